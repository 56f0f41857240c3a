package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

/**
 * How the files of a scan are read: Delta's Parquet (the default), or CSV for COPY INTO.
 *
 * @param kind PARQUET or CSV
 * @param header CSV: the first line of each file names the columns (matched to the scan's columns
 *     by name); without it the columns are taken in the table's order
 * @param delimiter CSV: the one character between values
 */
public record SourceFormat(Kind kind, boolean header, char delimiter) {
  public enum Kind {
    PARQUET,
    CSV
  }

  public static final SourceFormat PARQUET = new SourceFormat(Kind.PARQUET, false, ',');

  public SourceFormat {
    requireNonNull(kind, "kind");
    if (delimiter == '\n' || delimiter == '\r' || delimiter == '"') {
      throw new IllegalArgumentException("the delimiter must not be a quote or line break");
    }
  }

  public static SourceFormat csv(boolean header, char delimiter) {
    return new SourceFormat(Kind.CSV, header, delimiter);
  }
}
