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
 * @param fileSizes each of the scan's files' size in bytes, in their order, for the {@code
 *     _metadata} column (empty when the scan has none)
 * @param fileModified each file's modification time (milliseconds since the epoch), likewise
 * @param dateFormat CSV and JSON: the DuckDB {@code strptime} format DATE values are read with;
 *     null: the engine's own (ISO) conversion
 * @param timestampFormat CSV and JSON: likewise for TIMESTAMP values
 * @param encoding CSV: the files' character set as DuckDB names it ({@code utf-8}, {@code utf-16},
 *     {@code latin-1})
 * @param rowTag XML: the name of the elements that are rows
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
    java.util.List<String> userPaths,
    java.util.List<Long> fileSizes,
    java.util.List<Long> fileModified,
    String dateFormat,
    String timestampFormat,
    String encoding,
    String rowTag) {
  /**
   * The physical name of the {@code _metadata} column of a read_files scan: a STRUCT of each row's
   * file (path, name, size, block start and length, modification time), not a column of the files.
   */
  public static final String METADATA_COLUMN = io.aquifer.planner.FileSource.METADATA_COLUMN;

  /** The physical name of PERMISSIVE's {@code _rescued_data} column, not a column of the files. */
  public static final String RESCUED_DATA_COLUMN =
      io.aquifer.planner.FileSource.RESCUED_DATA_COLUMN;

  public enum Kind {
    PARQUET,
    CSV,
    JSON,
    /** One {@code value} column: a row per line (or per file with {@code wholeText}). */
    TEXT,
    /** Columns path, modificationTime, length, content: a row per file. */
    BINARYFILE,
    /** Avro data files, read by the node with the Avro library and handed to the engine. */
    AVRO,
    /** ORC files, read by the node with the ORC library and handed to the engine. */
    ORC,
    /** XML files, read by the node with the JDK's StAX parser and handed to the engine. */
    XML
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

  public SourceFormat(
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
    this(
        kind,
        header,
        delimiter,
        quote,
        escape,
        multiLine,
        mode,
        wholeText,
        inferSchema,
        userPaths,
        java.util.List.of(),
        java.util.List.of(),
        null,
        null,
        null,
        null);
  }

  public SourceFormat {
    requireNonNull(kind, "kind");
    requireNonNull(mode, "mode");
    userPaths = userPaths == null ? java.util.List.of() : java.util.List.copyOf(userPaths);
    fileSizes = fileSizes == null ? java.util.List.of() : java.util.List.copyOf(fileSizes);
    fileModified = fileModified == null ? java.util.List.of() : java.util.List.copyOf(fileModified);
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
        kind,
        header,
        delimiter,
        quote,
        escape,
        multiLine,
        mode,
        wholeText,
        true,
        userPaths,
        fileSizes,
        fileModified,
        dateFormat,
        timestampFormat,
        encoding,
        rowTag);
  }

  /** The same format with CSV and JSON parsing options (nulls: the engine's defaults). */
  public SourceFormat withParsing(String dateFormat, String timestampFormat, String encoding) {
    return new SourceFormat(
        kind,
        header,
        delimiter,
        quote,
        escape,
        multiLine,
        mode,
        wholeText,
        inferSchema,
        userPaths,
        fileSizes,
        fileModified,
        dateFormat,
        timestampFormat,
        encoding,
        rowTag);
  }

  /** The same format reading XML files whose {@code rowTag} elements are the rows. */
  public SourceFormat withRowTag(String rowTag) {
    return new SourceFormat(
        kind,
        header,
        delimiter,
        quote,
        escape,
        multiLine,
        mode,
        wholeText,
        inferSchema,
        userPaths,
        fileSizes,
        fileModified,
        dateFormat,
        timestampFormat,
        encoding,
        rowTag);
  }

  /** The same options with another kind (a scan's files converted to that kind's reading). */
  public SourceFormat withKind(Kind kind) {
    return new SourceFormat(
        kind,
        header,
        delimiter,
        quote,
        escape,
        multiLine,
        mode,
        wholeText,
        inferSchema,
        userPaths,
        fileSizes,
        fileModified,
        dateFormat,
        timestampFormat,
        encoding,
        rowTag);
  }

  /** The same format for some of the scan's files: their user paths, sizes and times. */
  public SourceFormat forFiles(
      java.util.List<String> userPaths,
      java.util.List<Long> fileSizes,
      java.util.List<Long> fileModified) {
    return new SourceFormat(
        kind,
        header,
        delimiter,
        quote,
        escape,
        multiLine,
        mode,
        wholeText,
        inferSchema,
        userPaths,
        fileSizes,
        fileModified,
        dateFormat,
        timestampFormat,
        encoding,
        rowTag);
  }
}
