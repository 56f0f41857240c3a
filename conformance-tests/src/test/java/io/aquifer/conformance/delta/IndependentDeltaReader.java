package io.aquifer.conformance.delta;

import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.KernelDeltaTables;
import io.aquifer.storage.objects.S3TestStorage;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A second way to read a Delta table, sharing nothing with Aquifer's query path but the Delta log:
 * Delta Kernel lists the live files of the latest snapshot (with deletion vectors and partition
 * values), and a plain in-memory DuckDB reads exactly those Parquet files. No planner, no compiler,
 * no warehouse node, no Flight.
 */
final class IndependentDeltaReader {
  private IndependentDeltaReader() {}

  /**
   * The table's files where this reader can read them: the location itself for a local table, a
   * fresh local copy of the bucket's objects for a table in S3 (suites run with {@code
   * -Daquifer.test.storage=s3}); a plain DuckDB reads only local files here.
   */
  static URI readable(URI location) {
    return S3TestStorage.localCopy(location);
  }

  /** The latest snapshot, as Delta Kernel resolves it. */
  static DeltaSnapshot snapshot(URI location) {
    return new KernelDeltaTables().latest(readable(location));
  }

  /** The rows of the latest snapshot, columns in {@code columns} order (logical names). */
  static RowSet read(URI location, List<String> columns) throws SQLException {
    return read(snapshot(location), columns);
  }

  /** The rows of one version. */
  static RowSet read(URI location, long version, List<String> columns) throws SQLException {
    return read(new KernelDeltaTables().atVersion(readable(location), version), columns);
  }

  private static RowSet read(DeltaSnapshot snapshot, List<String> columns) throws SQLException {
    if (snapshot.files().isEmpty()) {
      return new RowSet(List.of());
    }
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duckdb.createStatement()) {
      List<String> selects = new ArrayList<>();
      for (DataFile file : snapshot.files()) {
        selects.add(selectFile(snapshot, file, columns, fileColumns(s, file)));
      }
      try (ResultSet rs = s.executeQuery(String.join("\nUNION ALL BY NAME\n", selects))) {
        return RowSet.of(rs);
      }
    }
  }

  /** The top-level column names in a Parquet file (files written before ADD COLUMNS lack some). */
  private static java.util.Set<String> fileColumns(Statement s, DataFile file) throws SQLException {
    java.util.Set<String> names = new java.util.HashSet<>();
    String path = Path.of(file.path()).toString().replace("'", "''");
    try (ResultSet rs = s.executeQuery("SELECT name FROM parquet_schema('" + path + "')")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static String selectFile(
      DeltaSnapshot snapshot, DataFile file, List<String> columns, java.util.Set<String> present) {
    List<String> items = new ArrayList<>();
    for (String name : columns) {
      Column column =
          snapshot
              .schema()
              .column(name)
              .orElseThrow(() -> new IllegalArgumentException("no column " + name));
      String logical = quote(column.name());
      boolean partition =
          snapshot.partitionColumns().stream().anyMatch(p -> p.equalsIgnoreCase(column.name()));
      if (partition) {
        String value = file.partitionValues().get(column.name());
        items.add(
            (value == null ? "NULL" : "'" + value.replace("'", "''") + "'")
                + "::"
                + duckDbType(column)
                + " AS "
                + logical);
      } else if (!present.contains(column.physicalName())) {
        // a column added after the file was written: NULL in every row
        items.add("NULL::" + duckDbType(column) + " AS " + logical);
      } else {
        items.add(quote(column.physicalName()) + " AS " + logical);
      }
    }
    String path = Path.of(file.path()).toString().replace("'", "''");
    String where = "";
    if (file.hasDeletionVector()) {
      where =
          " WHERE file_row_number NOT IN ("
              + java.util.Arrays.stream(file.deletedRowPositions())
                  .mapToObj(Long::toString)
                  .collect(Collectors.joining(","))
              + ")";
    }
    return "SELECT "
        + String.join(", ", items)
        + " FROM read_parquet('"
        + path
        + "', file_row_number = true)"
        + where;
  }

  private static String duckDbType(Column column) {
    if (column.type() instanceof DecimalType d) {
      return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
    }
    if (column.type() instanceof PrimitiveType p) {
      return switch (p) {
        case BOOLEAN -> "BOOLEAN";
        case TINYINT -> "TINYINT";
        case SMALLINT -> "SMALLINT";
        case INT -> "INTEGER";
        case BIGINT -> "BIGINT";
        case FLOAT -> "FLOAT";
        case DOUBLE -> "DOUBLE";
        case DATE -> "DATE";
        case TIMESTAMP -> "TIMESTAMPTZ";
        case TIMESTAMP_NTZ -> "TIMESTAMP";
        case BINARY -> "BLOB";
        default -> "VARCHAR";
      };
    }
    throw new IllegalArgumentException("nested partition column " + column.name());
  }

  private static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
