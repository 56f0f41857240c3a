package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

/**
 * How the files of a scan are read: Delta's Parquet (the default), or CSV or JSON for COPY INTO.
 *
 * @param kind PARQUET, CSV or JSON
 * @param header CSV: the first line of each file names the columns (matched to the scan's columns
 *     by name); without it the columns are taken in the table's order
 * @param delimiter CSV: the one character between values
 * @param quote CSV: the character that quotes values
 * @param escape CSV: the character that escapes a quote inside a quoted value
 * @param multiLine JSON: a record may span lines (a file holds one object or an array of them);
 *     otherwise one object per line
 * @param mode what a malformed value (one that does not convert to its column's type) does
 * @param wholeText TEXT: a file is one row, not one row per line
 * @param inferSchema the scan has no columns: the engine reads the files with its own type
 *     detection (CSV and JSON across all files, by name) and the fragment asks only for the
 *     resulting columns ({@code read_files} schema inference)
 * @param userPaths BINARYFILE: what the {@code path} column shows for each of the scan's files, in
 *     their order (the {@code /Volumes} path); empty: the path the engine read
 */
public record SourceFormat(
    Kind kind,
    boolean header,
    char delimiter,
    char quote,
    char escape,
    boolean multiLine,
    Mode mode,
    boolean wholeText,
    boolean inferSchema,
    java.util.List<String> userPaths) {
  public enum Kind {
    PARQUET,
    CSV,
    JSON,
    /** One {@code value} column: a row per line (or per file with {@code wholeText}). */
    TEXT,
    /** Columns path, modificationTime, length, content: a row per file. */
    BINARYFILE
  }

  /** Databricks' bad-record modes. */
  public enum Mode {
    /** The load fails, naming the file and record. */
    FAILFAST,
    /** Rows with a malformed value are left out. */
    DROPMALFORMED,
    /** A malformed value reads as NULL. */
    PERMISSIVE
  }

  public static final SourceFormat PARQUET =
      new SourceFormat(Kind.PARQUET, false, ',', '"', '"', false, Mode.FAILFAST);

  public SourceFormat(
      Kind kind,
      boolean header,
      char delimiter,
      char quote,
      char escape,
      boolean multiLine,
      Mode mode) {
    this(
        kind, header, delimiter, quote, escape, multiLine, mode, false, false, java.util.List.of());
  }

  public SourceFormat {
    requireNonNull(kind, "kind");
    requireNonNull(mode, "mode");
    userPaths = userPaths == null ? java.util.List.of() : java.util.List.copyOf(userPaths);
    if (delimiter == '\n' || delimiter == '\r' || delimiter == quote) {
      throw new IllegalArgumentException("the delimiter must not be the quote or a line break");
    }
  }

  public static SourceFormat csv(boolean header, char delimiter) {
    return csv(header, delimiter, '"', '"', Mode.FAILFAST);
  }

  public static SourceFormat csv(
      boolean header, char delimiter, char quote, char escape, Mode mode) {
    return new SourceFormat(Kind.CSV, header, delimiter, quote, escape, false, mode);
  }

  public static SourceFormat json(boolean multiLine, Mode mode) {
    return new SourceFormat(Kind.JSON, false, ',', '"', '"', multiLine, mode);
  }

  /** The same format, reading the files only to detect their columns. */
  public SourceFormat inferring() {
    return new SourceFormat(
        kind, header, delimiter, quote, escape, multiLine, mode, wholeText, true, userPaths);
  }
}
