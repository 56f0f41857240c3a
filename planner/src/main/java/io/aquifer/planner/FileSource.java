package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * How the files of a {@code read_files} scan are read, as the gateway decided from the call's
 * options. The engine reads them with its own readers; the planner only carries this along.
 *
 * @param kind PARQUET, CSV, JSON, TEXT, BINARYFILE, AVRO, ORC or XML
 * @param header CSV: the first line of each file names the columns
 * @param delimiter CSV: the character between values
 * @param quote CSV: the quoting character
 * @param escape CSV: the character escaping a quote inside a quoted value
 * @param multiLine JSON: records span lines
 * @param wholeText TEXT: one row per file instead of one per line
 * @param mode FAILFAST, DROPMALFORMED or PERMISSIVE
 * @param userPaths each file's URI (as the scan names it) to the path the user knows it by (its
 *     {@code /Volumes} path), for BINARYFILE's {@code path} column and {@code _metadata}
 * @param dateFormat CSV and JSON: the engine's strptime format for DATE values (null: ISO dates)
 * @param timestampFormat CSV and JSON: likewise for TIMESTAMP values
 * @param encoding CSV: the files' character set as the engine names it (null: UTF-8)
 * @param xml XML: the row elements and how they become columns (null for other kinds)
 */
public record FileSource(
    Kind kind,
    boolean header,
    char delimiter,
    char quote,
    char escape,
    boolean multiLine,
    boolean wholeText,
    String mode,
    Map<String, String> userPaths,
    String dateFormat,
    String timestampFormat,
    String encoding,
    XmlOptions xml) {
  /**
   * The physical name of the hidden {@code _metadata} column of a read_files table (not a column of
   * the files: the engine fills it from each row's file).
   */
  public static final String METADATA_COLUMN = "\u0001_metadata";

  /** The physical name of the rescued data column (values that did not convert, as JSON). */
  public static final String RESCUED_DATA_COLUMN = "\u0001_rescued_data";

  public enum Kind {
    PARQUET,
    CSV,
    JSON,
    TEXT,
    BINARYFILE,
    AVRO,
    ORC,
    XML
  }

  public FileSource(
      Kind kind,
      boolean header,
      char delimiter,
      char quote,
      char escape,
      boolean multiLine,
      boolean wholeText,
      String mode,
      Map<String, String> userPaths) {
    this(
        kind, header, delimiter, quote, escape, multiLine, wholeText, mode, userPaths, null, null,
        null, null);
  }

  public FileSource {
    requireNonNull(kind, "kind");
    requireNonNull(mode, "mode");
    userPaths = Map.copyOf(userPaths);
  }
}
