package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbQuoting.identifier;
import static io.aquifer.exec.duckdb.DuckDbQuoting.string;

import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.duckdb.DuckDbTypes.FieldNames;
import io.aquifer.storage.types.PrimitiveType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a {@link ScanSpec} into the temporary view the fragment's SQL reads.
 *
 * <p>Files with the same partition values are read by one {@code read_parquet} over their list;
 * groups are combined with UNION ALL. File columns are selected by physical name, cast to the
 * column's type and named by the logical name; partition columns are typed constants. A file with
 * deleted rows is read on its own and filtered on {@code file_row_number}. Without files the view
 * is empty but typed.
 */
final class DuckDbScanViews {
  /** The one column of a scan that produces no columns (e.g. for {@code count(*)}). */
  static final String PLACEHOLDER_COLUMN = "_aquifer_row";

  private DuckDbScanViews() {}

  /** Where a file's rows are read from instead of its Parquet: a table of the node data cache. */
  interface CachedFiles {
    CachedFiles NONE = file -> java.util.Optional.empty();

    java.util.Optional<String> table(ScanFile file);
  }

  static String createViewSql(ScanSpec scan) {
    return createViewSql(scan, CachedFiles.NONE);
  }

  static String createViewSql(ScanSpec scan, CachedFiles cached) {
    return createViewSql(scan, cached, java.util.Set.of());
  }

  /**
   * The view; {@code headerNames}: the CSV files' header fields as written (see {@link
   * #csvHeaderNames}), for schema inference to tell a header column named like {@code column1} from
   * the engine's names for values beyond the header.
   */
  static String createViewSql(
      ScanSpec scan, CachedFiles cached, java.util.Set<String> headerNames) {
    return "CREATE OR REPLACE TEMPORARY VIEW "
        + identifier(scan.relationName())
        + " AS\n"
        + selectSql(scan, cached, headerNames);
  }

  /**
   * CSV files with a header, for schema inference or a scan that rescues or drops rows for values
   * beyond the header: every file's first line, read with the scan's dialect as values, its
   * non-empty fields as written. Empty otherwise (no query).
   */
  static java.util.Set<String> csvHeaderNames(java.sql.Connection connection, ScanSpec scan)
      throws java.sql.SQLException {
    io.aquifer.exec.SourceFormat format = scan.format();
    boolean extras =
        format.mode() != io.aquifer.exec.SourceFormat.Mode.FAILFAST
            && (format.mode() == io.aquifer.exec.SourceFormat.Mode.DROPMALFORMED
                || scan.columns().stream()
                    .anyMatch(
                        c ->
                            c.physicalName()
                                .equals(io.aquifer.exec.SourceFormat.RESCUED_DATA_COLUMN)));
    if (format.kind() != io.aquifer.exec.SourceFormat.Kind.CSV
        || !format.text().header()
        || scan.files().isEmpty()
        || !(format.inferSchema() || extras)) {
      return java.util.Set.of();
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    try (java.sql.Statement statement = connection.createStatement()) {
      for (ScanFile f : scan.files()) {
        String sql =
            "SELECT * FROM read_csv("
                + string(DuckDbQuoting.enginePath(f.path()))
                + ", delim = "
                + string(String.valueOf(format.text().delimiter()))
                + ", quote = "
                + string(String.valueOf(format.text().quote()))
                + ", escape = "
                + string(String.valueOf(format.text().escape()))
                + ", header = false, all_varchar = true, null_padding = true"
                + (format.text().encoding() != null
                    ? ", encoding = " + string(format.text().encoding())
                    : "")
                + ", hive_partitioning = false) LIMIT 1";
        try (java.sql.ResultSet rs = statement.executeQuery(sql)) {
          if (rs.next()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              String value = rs.getString(i);
              if (value != null) {
                names.add(value);
              }
            }
          }
        }
      }
    }
    return names;
  }

  static String selectSql(ScanSpec scan) {
    return selectSql(scan, CachedFiles.NONE);
  }

  static String selectSql(ScanSpec scan, CachedFiles cached) {
    return selectSql(scan, cached, java.util.Set.of());
  }

  private static String selectSql(
      ScanSpec scan, CachedFiles cached, java.util.Set<String> headerNames) {
    if (scan.files().isEmpty()) {
      return "SELECT " + emptyColumns(scan) + " WHERE false";
    }
    if (scan.format().inferSchema()) {
      return inferSelect(scan, cached, headerNames);
    }
    if (scan.columns().stream()
        .anyMatch(c -> c.physicalName().equals(io.aquifer.exec.SourceFormat.METADATA_COLUMN))) {
      return metadataSelect(scan, cached, headerNames);
    }
    if (scan.format().kind() == io.aquifer.exec.SourceFormat.Kind.TEXT) {
      return linesSelect(scan);
    }
    if (scan.format().kind() == io.aquifer.exec.SourceFormat.Kind.BINARYFILE) {
      return blobSelect(scan);
    }
    if (scan.format().kind() != io.aquifer.exec.SourceFormat.Kind.PARQUET) {
      return textSelect(scan, headerNames);
    }
    Map<List<String>, List<ScanFile>> groups = new LinkedHashMap<>();
    List<String> branches = new ArrayList<>();
    for (ScanFile file : scan.files()) {
      List<String> partitionSql = partitionLiterals(scan, file);
      if (file.deletedRowPositions().length > 0) {
        branches.add(branchWithDeletes(scan, partitionSql, file));
      } else {
        groups.computeIfAbsent(partitionSql, k -> new ArrayList<>()).add(file);
      }
    }
    List<String> all = new ArrayList<>();
    groups.forEach((partitionSql, files) -> all.add(branch(scan, partitionSql, files, cached)));
    all.addAll(branches);
    return String.join("\nUNION ALL\n", all);
  }

  private static String branch(
      ScanSpec scan, List<String> partitionSql, List<ScanFile> all, CachedFiles cached) {
    List<String> tables = new ArrayList<>();
    List<ScanFile> files = new ArrayList<>();
    for (ScanFile file : all) {
      cached.table(file).ifPresentOrElse(tables::add, () -> files.add(file));
    }
    if (!tables.isEmpty()) {
      // Cached tables hold a file's columns as read_parquet reads them; combined by name as
      // union_by_name combines files, and converted below exactly as the Parquet is.
      List<String> sources = new ArrayList<>();
      tables.forEach(t -> sources.add("SELECT * FROM " + t));
      if (!files.isEmpty()) {
        sources.add("SELECT * FROM " + readParquet(files));
      }
      return "SELECT "
          + columns(scan, partitionSql)
          + " FROM "
          + withMissingColumns(scan, "(" + String.join(" UNION ALL BY NAME ", sources) + ")");
    }
    return "SELECT "
        + columns(scan, partitionSql)
        + " FROM "
        + withMissingColumns(scan, readParquet(files));
  }

  private static String readParquet(List<ScanFile> files) {
    String paths =
        files.stream()
            .map(f -> string(DuckDbQuoting.enginePath(f.path())))
            .collect(Collectors.joining(", ", "[", "]"));
    String options =
        files.size() > 1
            ? ", union_by_name = true, hive_partitioning = false"
            : ", hive_partitioning = false";
    return "read_parquet(" + paths + options + ")";
  }

  private static String paths(ScanSpec scan) {
    return scan.files().stream()
        .map(f -> string(DuckDbQuoting.enginePath(f.path())))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * A read_files scan with the {@code _metadata} column: each file read on its own (as the scan
   * without that column), its rows given the file's STRUCT of path (as the user names it), name,
   * size, block start (0) and length (the whole file) and modification time.
   */
  private static String metadataSelect(
      ScanSpec scan, CachedFiles cached, java.util.Set<String> headerNames) {
    io.aquifer.exec.SourceFormat format = scan.format();
    List<ScanColumn> fileColumns =
        scan.columns().stream()
            .filter(c -> !c.physicalName().equals(io.aquifer.exec.SourceFormat.METADATA_COLUMN))
            .toList();
    List<String> branches = new ArrayList<>();
    for (int i = 0; i < scan.files().size(); i++) {
      ScanFile file = scan.files().get(i);
      String path =
          i < format.files().userPaths().size()
              ? format.files().userPaths().get(i)
              : DuckDbQuoting.enginePath(file.path());
      long size = i < format.files().sizes().size() ? format.files().sizes().get(i) : 0;
      long modified = i < format.files().modified().size() ? format.files().modified().get(i) : 0;
      ScanSpec one =
          new ScanSpec(
              scan.relationName(),
              fileColumns,
              List.of(file),
              format.forFiles(
                  new io.aquifer.exec.SourceFormat.FileList(
                      List.of(path), List.of(size), List.of(modified))));
      String name = path.substring(path.lastIndexOf('/') + 1);
      List<String> items = new ArrayList<>();
      for (ScanColumn c : scan.columns()) {
        if (c.physicalName().equals(io.aquifer.exec.SourceFormat.METADATA_COLUMN)) {
          items.add(
              "CAST(struct_pack(file_path := "
                  + string(path)
                  + ", file_name := "
                  + string(name)
                  + ", file_size := "
                  + size
                  + "::BIGINT, file_block_start := 0::BIGINT, file_block_length := "
                  + size
                  + "::BIGINT, file_modification_time := TIMESTAMPTZ '1970-01-01 00:00:00+00' +"
                  + " to_milliseconds("
                  + modified
                  + ")) AS "
                  + DuckDbTypes.toDuckDb(c.type())
                  + ") AS "
                  + identifier(c.name()));
        } else {
          items.add(identifier(c.name()));
        }
      }
      branches.add(
          "SELECT "
              + String.join(", ", items)
              + " FROM ("
              + selectSql(one, cached, headerNames)
              + ")");
    }
    return String.join("\nUNION ALL\n", branches);
  }

  /**
   * read_files schema inference: the files read with the engine's own type detection, combined by
   * column name; the fragment asks for no rows, only the columns.
   */
  private static String inferSelect(
      ScanSpec scan, CachedFiles cached, java.util.Set<String> headerNames) {
    io.aquifer.exec.SourceFormat format = scan.format();
    List<String> tables = new ArrayList<>();
    scan.files().forEach(f -> cached.table(f).ifPresent(tables::add));
    if (format.kind() == io.aquifer.exec.SourceFormat.Kind.PARQUET
        && tables.size() == scan.files().size()) {
      // Files read into tables of the connection (Avro, ORC): their columns combined by name.
      return "SELECT * FROM ("
          + tables.stream()
              .map(t -> "SELECT * FROM " + t)
              .collect(Collectors.joining(" UNION ALL BY NAME "))
          + ")";
    }
    String read =
        switch (format.kind()) {
          case PARQUET -> "read_parquet(" + paths(scan) + ", union_by_name = true";
          case CSV ->
              "read_csv("
                  + paths(scan)
                  + ", delim = "
                  + string(String.valueOf(format.text().delimiter()))
                  + ", quote = "
                  + string(String.valueOf(format.text().quote()))
                  + ", escape = "
                  + string(String.valueOf(format.text().escape()))
                  + ", header = "
                  + format.text().header()
                  + (format.text().header() ? ", null_padding = true" : "")
                  + parsingOptions(format, true)
                  + ", union_by_name = true";
          case JSON ->
              "read_json("
                  + paths(scan)
                  + ", format = "
                  + (format.text().multiLine() ? "'auto'" : "'newline_delimited'")
                  + parsingOptions(format, false)
                  + ", union_by_name = true";
          default ->
              throw new IllegalArgumentException(
                  format.kind() + " files have a fixed schema; nothing to infer");
        };
    if (format.kind() == io.aquifer.exec.SourceFormat.Kind.CSV && format.text().header()) {
      // Values beyond the header are no columns (the engine names them column2, ...): they are
      // rescued or make their row malformed when the files are read. A header field written so
      // (headerNames, the files' first lines) is a column.
      String keep =
          headerNames.stream()
              .sorted()
              .map(DuckDbQuoting::string)
              .collect(Collectors.joining(", ", "[", "]::VARCHAR[]"));
      return "SELECT COLUMNS(lambda c: NOT regexp_full_match(c, 'column[0-9]+') OR list_contains("
          + keep
          + ", c)) FROM "
          + read
          + ", hive_partitioning = false)";
    }
    return "SELECT * FROM " + read + ", hive_partitioning = false)";
  }

  /**
   * TEXT files: one {@code value} per line (line breaks {@code \n} or {@code \r\n}, a last line
   * break ends the last line), or per file with {@code wholeText}.
   */
  private static String linesSelect(ScanSpec scan) {
    String value;
    String from = "read_text(" + paths(scan) + ")";
    if (scan.format().text().wholeText()) {
      value = "content";
    } else {
      value = "rtrim(line, chr(13))";
      from =
          "(SELECT unnest(string_split(CASE WHEN suffix(content, chr(10)) THEN"
              + " left(content, length(content) - 1) ELSE content END, chr(10))) AS line FROM "
              + from
              + " WHERE content <> '')";
    }
    List<String> columns = new ArrayList<>();
    for (ScanColumn c : scan.columns()) {
      columns.add(
          "CAST("
              + value
              + " AS "
              + DuckDbTypes.toDuckDb(c.type())
              + ") AS "
              + identifier(c.name()));
    }
    return "SELECT " + String.join(", ", columns) + " FROM " + from;
  }

  /**
   * BINARYFILE: a row per file with Spark's columns path, modificationTime, length and content;
   * {@code path} as the user named the file.
   */
  private static String blobSelect(ScanSpec scan) {
    List<String> branches = new ArrayList<>();
    List<String> userPaths = scan.format().files().userPaths();
    for (int i = 0; i < scan.files().size(); i++) {
      ScanFile f = scan.files().get(i);
      String path = i < userPaths.size() ? string(userPaths.get(i)) : "filename";
      List<String> columns = new ArrayList<>();
      for (ScanColumn c : scan.columns()) {
        String value =
            switch (c.physicalName().toLowerCase(java.util.Locale.ROOT)) {
              case "path" -> path;
              case "modificationtime" -> "last_modified";
              case "length" -> "size";
              case "content" -> "content";
              default -> "NULL";
            };
        columns.add(
            "CAST("
                + value
                + " AS "
                + DuckDbTypes.toDuckDb(c.type())
                + ") AS "
                + identifier(c.name()));
      }
      if (columns.isEmpty()) {
        columns.add("TRUE AS " + identifier(PLACEHOLDER_COLUMN));
      }
      branches.add(
          "SELECT "
              + String.join(", ", columns)
              + " FROM read_blob("
              + string(DuckDbQuoting.enginePath(f.path()))
              + ")");
    }
    return String.join("\nUNION ALL\n", branches);
  }

  /** The column a text scan numbers each file's records in, for FAILFAST's message. */
  private static final String RECORD_COLUMN = "_aquifer_record";

  private static final String FILE_COLUMN = "filename";

  /** The alias of a CSV row read whole, as a STRUCT of its columns. */
  private static final String CSV_ROW = "_aquifer_row";

  /** A JSON record read whole (JSON with a rescued data column; CSV rows for their extras). */
  private static final String RECORD_JSON = "_aquifer_record_json";

  /** The JSON path of a top-level key. */
  private static String jsonPath(String key) {
    return "$.\"" + key.replace("\"", "\\\"") + "\"";
  }

  /**
   * CSV and JSON files (COPY INTO): every value read as text and converted to the column's type.
   * CSV columns are matched by name with a header (a column no file has reads as NULL), by position
   * in the scan's order without one; JSON keys by name. A value that does not convert fails the
   * scan naming its file and line (FAILFAST), leaves its row out (DROPMALFORMED) or reads as NULL
   * (PERMISSIVE).
   */
  private static String textSelect(ScanSpec scan, java.util.Set<String> headerNames) {
    io.aquifer.exec.SourceFormat format = scan.format();
    boolean json = format.kind() == io.aquifer.exec.SourceFormat.Kind.JSON;
    io.aquifer.exec.SourceFormat.Mode mode = format.mode();
    ScanColumn rescued =
        scan.columns().stream()
            .filter(c -> c.physicalName().equals(io.aquifer.exec.SourceFormat.RESCUED_DATA_COLUMN))
            .findFirst()
            .orElse(null);
    // With a rescued data column a value that does not convert goes there, in every mode.
    boolean failFast = mode == io.aquifer.exec.SourceFormat.Mode.FAILFAST && rescued == null;
    boolean strict = mode == io.aquifer.exec.SourceFormat.Mode.FAILFAST;
    String paths =
        scan.files().stream()
            .map(f -> string(DuckDbQuoting.enginePath(f.path())))
            .collect(Collectors.joining(", ", "[", "]"));
    String varcharColumns =
        scan.columns().stream()
            .filter(c -> !isComputed(c))
            .map(c -> string(c.physicalName()) + ": 'VARCHAR'")
            .collect(Collectors.joining(", ", ", columns = {", "}"));
    StringBuilder read = new StringBuilder();
    // JSON with a rescued data column: each record read whole, so that keys that are not columns
    // can be rescued too; the columns' values taken from it by key, as text.
    boolean wholeRecords = json && rescued != null;
    if (wholeRecords) {
      read.append("(SELECT ")
          .append(identifier(FILE_COLUMN))
          .append(", ")
          .append(identifier(RECORD_JSON));
      for (ScanColumn c : scan.columns()) {
        if (!isComputed(c)) {
          read.append(", json_extract_string(")
              .append(identifier(RECORD_JSON))
              .append(", ")
              .append(string(jsonPath(c.physicalName())))
              .append(") AS ")
              .append(identifier(c.physicalName()));
        }
      }
      read.append(" FROM read_json_objects(")
          .append(paths)
          .append(", format = ")
          .append(format.text().multiLine() ? "'auto'" : "'newline_delimited'")
          .append(", filename = true) AS ")
          .append(identifier("_aquifer_records"))
          .append("(")
          .append(identifier(RECORD_JSON))
          .append(", ")
          .append(identifier(FILE_COLUMN))
          .append("))");
    } else if (json) {
      read.append("read_json(")
          .append(paths)
          .append(", format = ")
          .append(format.text().multiLine() ? "'auto'" : "'newline_delimited'")
          .append(varcharColumns)
          .append(", hive_partitioning = false");
    } else {
      read.append("read_csv(")
          .append(paths)
          .append(", delim = ")
          .append(string(String.valueOf(format.text().delimiter())))
          .append(", quote = ")
          .append(string(String.valueOf(format.text().quote())))
          .append(", escape = ")
          .append(string(String.valueOf(format.text().escape())))
          .append(", all_varchar = true")
          .append(", hive_partitioning = false, header = ")
          .append(format.text().header());
      if (format.text().encoding() != null) {
        read.append(", encoding = ").append(string(format.text().encoding()));
      }
      if (format.text().header()) {
        read.append(", union_by_name = true");
      } else if (strict) {
        read.append(", auto_detect = false").append(varcharColumns);
      } else {
        // The files' width detected, the scan's columns named by position: values beyond them
        // are read as further columns (column2, ...), to be rescued or to mark the row malformed,
        // rather than the row being dropped as an error.
        String names =
            scan.columns().stream()
                .filter(c -> !isComputed(c))
                .map(c -> string(c.physicalName()))
                .collect(Collectors.joining(", ", "[", "]"));
        if (!names.equals("[]")) {
          read.append(", names = ").append(names);
        }
        read.append(", union_by_name = true");
      }
      if (!strict) {
        read.append(", ignore_errors = true, null_padding = true");
      }
    }
    if (!wholeRecords) {
      if (failFast || rescued != null) {
        read.append(", filename = true");
      }
      read.append(")");
    }
    String source =
        format.text().header() && !json
            ? withMissingColumns(scan, read.toString())
            : read.toString();
    // CSV values beyond the scan's columns (without a header) or beyond the header's names, which
    // the engine reads as columns column2, column3, ...: rescued in PERMISSIVE, a malformed row in
    // DROPMALFORMED (FAILFAST's strict reading fails on them). Header columns that are no scan
    // column are left out, as before.
    boolean csvExtras =
        !json
            && !strict
            && (rescued != null || mode == io.aquifer.exec.SourceFormat.Mode.DROPMALFORMED);
    String extras = null;
    if (csvExtras) {
      source =
          "(SELECT *, to_json("
              + identifier(CSV_ROW)
              + ")::VARCHAR AS "
              + identifier(RECORD_JSON)
              + " FROM "
              + source
              + " AS "
              + identifier(CSV_ROW)
              + ")";
      String known =
          java.util.stream.Stream.concat(
                  scan.columns().stream()
                      .filter(c -> !isComputed(c))
                      .map(c -> c.physicalName().toLowerCase(java.util.Locale.ROOT)),
                  java.util.stream.Stream.of(FILE_COLUMN))
              .map(name -> string(name))
              .collect(Collectors.joining(", ", "[", "]"));
      extras =
          "list_filter(json_keys("
              + identifier(RECORD_JSON)
              + "), lambda k: NOT list_contains("
              + known
              + ", lower(k)) AND regexp_full_match(k, 'column[0-9]+') AND NOT list_contains("
              + headerNames.stream()
                  .sorted()
                  .map(DuckDbQuoting::string)
                  .collect(Collectors.joining(", ", "[", "]::VARCHAR[]"))
              + ", k) AND json_extract_string("
              + identifier(RECORD_JSON)
              + ", '$.\"' || replace(k, '\"', '\\\"') || '\"') IS NOT NULL)";
    }
    if (failFast) {
      source =
          "(SELECT *, row_number() OVER (PARTITION BY "
              + identifier(FILE_COLUMN)
              + ") AS "
              + identifier(RECORD_COLUMN)
              + " FROM "
              + source
              + ")";
    }
    String where =
        format.text().header() && !json
            ? "line ' || (" + identifier(RECORD_COLUMN) + " + 1)"
            : (json && format.text().multiLine() ? "record ' || " : "line ' || ")
                + identifier(RECORD_COLUMN);
    List<String> columns = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    List<String> rescuedValues = new ArrayList<>();
    for (ScanColumn c : scan.columns()) {
      if (c == rescued) {
        continue;
      }
      String value = identifier(c.physicalName());
      String type = DuckDbTypes.toDuckDb(c.type());
      String converted = "TRY_CAST(" + parsed(value, c, format) + " AS " + type + ")";
      String bad = "(" + value + " IS NOT NULL AND " + converted + " IS NULL)";
      malformed.add(bad);
      rescuedValues.add(
          "CASE WHEN "
              + bad
              + " THEN to_json("
              + string(c.name())
              + ")::VARCHAR || ':' || to_json("
              + value
              + ")::VARCHAR END");
      String out = converted;
      if (failFast) {
        out =
            "CASE WHEN "
                + bad
                + " THEN error('MALFORMED_RECORD_IN_PARSING: ' || "
                + identifier(FILE_COLUMN)
                + " || ' "
                + where
                + " || ': value ''' || "
                + value
                + " || ''' of column "
                + c.name().replace("'", "''")
                + " is not a valid "
                + type.replace("'", "''")
                + " (mode FAILFAST)') ELSE "
                + converted
                + " END";
      }
      columns.add(out + " AS " + identifier(c.name()));
    }
    if (wholeRecords) {
      // Keys that are no column (compared with their case) go to the rescued data as they are.
      String known =
          scan.columns().stream()
              .filter(c -> !isComputed(c))
              .map(c -> string(c.physicalName()))
              .collect(Collectors.joining(", ", "[", "]"));
      String others =
          "list_filter(json_keys("
              + identifier(RECORD_JSON)
              + "), lambda k: NOT list_contains("
              + known
              + ", k))";
      malformed.add("(len(" + others + ") > 0)");
      rescuedValues.add(
          "NULLIF(array_to_string(list_transform("
              + others
              + ", lambda k: to_json(k)::VARCHAR || ':' || json_extract("
              + identifier(RECORD_JSON)
              + ", '$.\"' || replace(k, '\"', '\\\"') || '\"')::VARCHAR), ','), '')");
    }
    if (extras != null && rescued != null) {
      malformed.add("(len(" + extras + ") > 0)");
      // Named as Spark names columns by position (_c2): the file has no name for them.
      rescuedValues.add(
          "NULLIF(array_to_string(list_transform("
              + extras
              + ", lambda k: to_json('_c' || substr(k, 7))::VARCHAR || ':' || json_extract("
              + identifier(RECORD_JSON)
              + ", '$.\"' || replace(k, '\"', '\\\"') || '\"')::VARCHAR), ','), '')");
    }
    if (rescued != null) {
      columns.add(
          scan.columns().indexOf(rescued),
          rescuedSql(scan, malformed, rescuedValues) + " AS " + identifier(rescued.name()));
    }
    String select = "SELECT " + String.join(", ", columns) + " FROM " + source;
    List<String> dropped = new ArrayList<>();
    if (mode == io.aquifer.exec.SourceFormat.Mode.DROPMALFORMED) {
      if (rescued == null) {
        dropped.addAll(malformed);
      }
      if (extras != null) {
        // Values beyond the columns make the row malformed, rescued data column or not.
        dropped.add("(len(" + extras + ") > 0)");
      }
    }
    if (!dropped.isEmpty()) {
      select += " WHERE NOT (" + String.join(" OR ", dropped) + ")";
    }
    return select;
  }

  /** A column the engine computes rather than reads from the files. */
  private static boolean isComputed(ScanColumn c) {
    return c.physicalName().equals(io.aquifer.exec.SourceFormat.RESCUED_DATA_COLUMN)
        || c.physicalName().equals(io.aquifer.exec.SourceFormat.METADATA_COLUMN);
  }

  /**
   * The text of a value before its conversion: DATE and TIMESTAMP values parsed with the dateFormat
   * and timestampFormat options when given.
   */
  private static String parsed(String value, ScanColumn c, io.aquifer.exec.SourceFormat format) {
    String pattern =
        c.type() == PrimitiveType.DATE
            ? format.text().dateFormat()
            : c.type() == PrimitiveType.TIMESTAMP || c.type() == PrimitiveType.TIMESTAMP_NTZ
                ? format.text().timestampFormat()
                : null;
    return pattern == null ? value : "try_strptime(" + value + ", " + string(pattern) + ")";
  }

  /** read_csv's and read_json's options for dateFormat, timestampFormat and encoding. */
  private static String parsingOptions(io.aquifer.exec.SourceFormat format, boolean csv) {
    StringBuilder out = new StringBuilder();
    if (format.text().dateFormat() != null) {
      out.append(", dateformat = ").append(string(format.text().dateFormat()));
    }
    if (format.text().timestampFormat() != null) {
      out.append(", timestampformat = ").append(string(format.text().timestampFormat()));
    }
    if (csv && format.text().encoding() != null) {
      out.append(", encoding = ").append(string(format.text().encoding()));
    }
    return out.toString();
  }

  /**
   * The rescued data column: a JSON object of the row's values that did not convert, by column
   * name, and {@code _file_path} (the file as the user names it); NULL when every value converted
   * (array_to_string leaves out the NULLs of the values that converted).
   */
  private static String rescuedSql(
      ScanSpec scan, List<String> malformed, List<String> rescuedValues) {
    if (malformed.isEmpty()) {
      return "CAST(NULL AS VARCHAR)";
    }
    List<String> userPaths = scan.format().files().userPaths();
    StringBuilder path = new StringBuilder("CASE " + identifier(FILE_COLUMN));
    for (int i = 0; i < scan.files().size(); i++) {
      String user =
          i < userPaths.size()
              ? userPaths.get(i)
              : DuckDbQuoting.enginePath(scan.files().get(i).path());
      path.append(" WHEN ")
          .append(string(DuckDbQuoting.enginePath(scan.files().get(i).path())))
          .append(" THEN ")
          .append(string(user));
    }
    path.append(" END");
    return "CASE WHEN "
        + String.join(" OR ", malformed)
        + " THEN '{' || array_to_string(["
        + String.join(", ", rescuedValues)
        + "] || ['\"_file_path\":' || to_json("
        + path
        + ")::VARCHAR], ',') || '}' END";
  }

  /**
   * A file written before ADD COLUMNS lacks the new column: the files are read together with an
   * empty relation that has every file column as a NULL, and a column no file holds reads as NULL.
   * The NULLs are untyped, so no file column changes type, except where the conversion to the
   * column's type needs a typed value: TIMESTAMP (typed TIMESTAMP, to which DuckDB never converts a
   * file's TIMESTAMPTZ) and nested types with physical field names.
   */
  private static String withMissingColumns(ScanSpec scan, String readParquet) {
    String nulls =
        scan.columns().stream()
            .filter(c -> !c.partitionColumn() && !isComputed(c))
            .map(c -> missingValue(c) + " AS " + identifier(c.physicalName()))
            .distinct()
            .collect(Collectors.joining(", "));
    if (nulls.isEmpty()) {
      return readParquet;
    }
    return "(SELECT * FROM " + readParquet + " UNION ALL BY NAME SELECT " + nulls + " WHERE false)";
  }

  private static String missingValue(ScanColumn c) {
    if (c.type() == PrimitiveType.TIMESTAMP) {
      return "CAST(NULL AS TIMESTAMP)";
    }
    if (DuckDbTypes.hasRenamedFields(c.type())) {
      return "CAST(NULL AS " + DuckDbTypes.toDuckDb(c.type(), FieldNames.PHYSICAL) + ")";
    }
    return "NULL";
  }

  private static String branchWithDeletes(ScanSpec scan, List<String> partitionSql, ScanFile file) {
    String positions =
        Arrays.stream(file.deletedRowPositions())
            .mapToObj(Long::toString)
            .collect(Collectors.joining(", ", "[", "]::BIGINT[]"));
    return "SELECT "
        + columns(scan, partitionSql)
        + " FROM "
        + withMissingColumns(
            scan,
            "read_parquet(["
                + string(DuckDbQuoting.enginePath(file.path()))
                + "], file_row_number = true, hive_partitioning = false)")
        + " WHERE file_row_number NOT IN (SELECT UNNEST("
        + positions
        + "))";
  }

  private static String columns(ScanSpec scan, List<String> partitionSql) {
    if (scan.columns().isEmpty()) {
      return "TRUE AS " + identifier(PLACEHOLDER_COLUMN);
    }
    List<String> out = new ArrayList<>();
    int partition = 0;
    for (ScanColumn c : scan.columns()) {
      String value =
          c.partitionColumn()
              ? partitionSql.get(partition++)
              : DuckDbValueConversion.convert(
                  identifier(c.physicalName()), c.type(), FieldNames.PHYSICAL, FieldNames.LOGICAL);
      out.add(value + " AS " + identifier(c.name()));
    }
    return String.join(", ", out);
  }

  private static String emptyColumns(ScanSpec scan) {
    if (scan.columns().isEmpty()) {
      return "TRUE AS " + identifier(PLACEHOLDER_COLUMN);
    }
    return scan.columns().stream()
        .map(c -> "CAST(NULL AS " + DuckDbTypes.toDuckDb(c.type()) + ") AS " + identifier(c.name()))
        .collect(Collectors.joining(", "));
  }

  /** The SQL constants of the file's partition columns, in scan column order. */
  private static List<String> partitionLiterals(ScanSpec scan, ScanFile file) {
    List<String> out = new ArrayList<>();
    for (ScanColumn c : scan.columns()) {
      if (c.partitionColumn()) {
        out.add(partitionLiteral(c, partitionValue(file.partitionValues(), c.name())));
      }
    }
    return out;
  }

  private static String partitionValue(Map<String, String> values, String name) {
    if (values.containsKey(name)) {
      return values.get(name);
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * A partition value as Delta serializes it, as a typed constant. Delta writes NULL as a missing
   * or null value, and an empty string means NULL for every type but STRING.
   */
  static String partitionLiteral(ScanColumn column, String value) {
    String type = DuckDbTypes.toDuckDb(column.type());
    if (value == null || (value.isEmpty() && column.type() != PrimitiveType.STRING)) {
      return "CAST(NULL AS " + type + ")";
    }
    if (column.type() == PrimitiveType.BINARY) {
      return "encode(" + string(value) + ")";
    }
    if (column.type() == PrimitiveType.TIMESTAMP && isWallClock(value)) {
      // Delta writes timestamp partition values in UTC; not in the session time zone.
      return "timezone('UTC', CAST(" + string(value) + " AS TIMESTAMP))";
    }
    return "CAST(" + string(value) + " AS " + type + ")";
  }

  private static boolean isWallClock(String value) {
    try {
      java.time.LocalDateTime.parse(value.trim().replace(' ', 'T'));
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }
}
