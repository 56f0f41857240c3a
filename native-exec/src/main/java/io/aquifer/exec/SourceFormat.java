package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How the files of a scan are read: Delta's Parquet (the default), or CSV, JSON, TEXT, BINARYFILE,
 * Avro, ORC or XML for read_files and COPY INTO.
 *
 * @param kind PARQUET, CSV, JSON, ...
 * @param mode what a malformed value (one that does not convert to its column's type) does
 * @param inferSchema the scan has no columns: the engine reads the files with its own type
 *     detection (CSV and JSON across all files, by name) and the fragment asks only for the
 *     resulting columns ({@code read_files} schema inference)
 * @param text how text files are parsed (CSV, JSON, TEXT and XML options)
 * @param files the scan's files as the user named them, with their sizes and times
 */
public record SourceFormat(
    Kind kind, Mode mode, boolean inferSchema, TextOptions text, FileList files) {
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

  /**
   * How text files are parsed.
   *
   * @param header CSV: the first line of each file names the columns (matched to the scan's columns
   *     by name); without it the columns are taken in the table's order
   * @param delimiter CSV: the one character between values
   * @param quote CSV: the character that quotes values
   * @param escape CSV: the character that escapes a quote inside a quoted value
   * @param multiLine JSON: a record may span lines (a file holds one object or an array of them);
   *     otherwise one object per line
   * @param wholeText TEXT: a file is one row, not one row per line
   * @param dateFormat CSV and JSON: the DuckDB {@code strptime} format DATE values are read with;
   *     null: the engine's own (ISO) conversion
   * @param timestampFormat CSV and JSON: likewise for TIMESTAMP values
   * @param encoding CSV: the files' character set as DuckDB names it ({@code utf-8}, {@code
   *     utf-16}, {@code latin-1}); null: UTF-8
   * @param xml XML: the row elements and how they become columns (null for other kinds)
   */
  public record TextOptions(
      boolean header,
      char delimiter,
      char quote,
      char escape,
      boolean multiLine,
      boolean wholeText,
      String dateFormat,
      String timestampFormat,
      String encoding,
      io.aquifer.planner.XmlOptions xml) {
    /** No header, comma-separated, double quotes, one JSON record per line. */
    public static final TextOptions DEFAULT =
        new TextOptions(false, ',', '"', '"', false, false, null, null, null, null);

    public TextOptions {
      if (delimiter == '\n' || delimiter == '\r' || delimiter == quote) {
        throw new IllegalArgumentException("the delimiter must not be the quote or a line break");
      }
    }

    public static TextOptions csv(boolean header, char delimiter, char quote, char escape) {
      return new TextOptions(
          header, delimiter, quote, escape, false, false, null, null, null, null);
    }

    public static TextOptions json(boolean multiLine) {
      return new TextOptions(false, ',', '"', '"', multiLine, false, null, null, null, null);
    }

    public static TextOptions xml(io.aquifer.planner.XmlOptions xml) {
      return new TextOptions(false, ',', '"', '"', false, false, null, null, null, xml);
    }

    /** The same options with CSV and JSON value conversions (nulls: the engine's defaults). */
    public TextOptions withConversions(String dateFormat, String timestampFormat, String encoding) {
      return new TextOptions(
          header,
          delimiter,
          quote,
          escape,
          multiLine,
          wholeText,
          dateFormat,
          timestampFormat,
          encoding,
          xml);
    }
  }

  /**
   * The scan's files as the user sees them, in the scan's order (all empty when the scan needs none
   * of them).
   *
   * @param userPaths what the {@code path} column of BINARYFILE and {@code _metadata} show for each
   *     file (the {@code /Volumes} path); empty: the path the engine read
   * @param sizes each file's size in bytes, for the {@code _metadata} column
   * @param modified each file's modification time (milliseconds since the epoch), likewise
   */
  public record FileList(List<String> userPaths, List<Long> sizes, List<Long> modified) {
    public static final FileList NONE = new FileList(List.of(), List.of(), List.of());

    public FileList {
      userPaths = userPaths == null ? List.of() : List.copyOf(userPaths);
      sizes = sizes == null ? List.of() : List.copyOf(sizes);
      modified = modified == null ? List.of() : List.copyOf(modified);
    }
  }

  public static final SourceFormat PARQUET = of(Kind.PARQUET, TextOptions.DEFAULT, Mode.FAILFAST);

  public SourceFormat {
    requireNonNull(kind, "kind");
    requireNonNull(mode, "mode");
    text = text == null ? TextOptions.DEFAULT : text;
    files = files == null ? FileList.NONE : files;
  }

  /** A format reading all of a scan's files with these options. */
  public static SourceFormat of(Kind kind, TextOptions text, Mode mode) {
    return new SourceFormat(kind, mode, false, text, FileList.NONE);
  }

  public static SourceFormat csv(boolean header, char delimiter) {
    return csv(header, delimiter, '"', '"', Mode.FAILFAST);
  }

  public static SourceFormat csv(
      boolean header, char delimiter, char quote, char escape, Mode mode) {
    return of(Kind.CSV, TextOptions.csv(header, delimiter, quote, escape), mode);
  }

  public static SourceFormat json(boolean multiLine, Mode mode) {
    return of(Kind.JSON, TextOptions.json(multiLine), mode);
  }

  /** The same format, reading the files only to detect their columns. */
  public SourceFormat inferring() {
    return new SourceFormat(kind, mode, true, text, files);
  }

  /** The same options with another kind (a scan's files converted to that kind's reading). */
  public SourceFormat withKind(Kind kind) {
    return new SourceFormat(kind, mode, inferSchema, text, files);
  }

  /** The same format for some of the scan's files: their user paths, sizes and times. */
  public SourceFormat forFiles(FileList files) {
    return new SourceFormat(kind, mode, inferSchema, text, files);
  }
}
