package io.aquifer.storage.delta;

import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** DuckDB as an independent reader and writer of Parquet files for the tests. */
final class DuckDbFiles implements AutoCloseable {
  private final Connection connection;

  DuckDbFiles() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
  }

  /** Writes the rows of a query to one Parquet file. */
  void writeParquet(Path file, String query) throws SQLException {
    execute("COPY (" + query + ") TO " + literal(file.toString()) + " (FORMAT parquet)");
  }

  long count(URI file) throws SQLException {
    return count(literal(Paths.get(file).toString()));
  }

  /** Row count of a read_parquet argument: one quoted path or a glob. */
  long count(String readParquetArgument) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM read_parquet(" + readParquetArgument + ")")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Column name to DuckDB type name of a read_parquet argument, in file order. */
  Map<String, String> describe(String readParquetArgument) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + readParquetArgument + ")")) {
      while (rs.next()) {
        columns.put(rs.getString(1), rs.getString(2));
      }
    }
    return columns;
  }

  /** Values of one column of a file (as text), skipping rows at the given positions. */
  List<String> columnValues(URI file, String column, long[] skippedPositions) throws SQLException {
    List<String> values = new ArrayList<>();
    java.util.Set<Long> skipped =
        java.util.Arrays.stream(skippedPositions).boxed().collect(Collectors.toSet());
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT CAST("
                    + identifier(column)
                    + " AS VARCHAR), file_row_number FROM read_parquet("
                    + literal(Paths.get(file).toString())
                    + ", file_row_number = true)")) {
      while (rs.next()) {
        if (!skipped.contains(rs.getLong(2))) {
          values.add(rs.getString(1));
        }
      }
    }
    return values;
  }

  /** Values of one column over a read_parquet argument, as text. */
  List<String> columnValues(String readParquetArgument, String column) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT CAST("
                    + identifier(column)
                    + " AS VARCHAR) FROM read_parquet("
                    + readParquetArgument
                    + ")")) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  /** The name DuckDB gives a Delta type when it reads Parquet written by Spark. */
  static String duckDbType(DataType type) {
    if (type instanceof PrimitiveType p) {
      return switch (p) {
        case BOOLEAN -> "BOOLEAN";
        case TINYINT -> "TINYINT";
        case SMALLINT -> "SMALLINT";
        case INT -> "INTEGER";
        case BIGINT -> "BIGINT";
        case FLOAT -> "FLOAT";
        case DOUBLE -> "DOUBLE";
        case STRING -> "VARCHAR";
        case BINARY -> "BLOB";
        case DATE -> "DATE";
        case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
        case TIMESTAMP_NTZ -> "TIMESTAMP";
      };
    } else if (type instanceof DecimalType d) {
      return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
    } else if (type instanceof ArrayType a) {
      return duckDbType(a.elementType()) + "[]";
    } else if (type instanceof MapType m) {
      return "MAP(" + duckDbType(m.keyType()) + ", " + duckDbType(m.valueType()) + ")";
    } else if (type instanceof StructType s) {
      List<String> fields = new ArrayList<>();
      for (Column c : s.fields()) {
        fields.add(c.name() + " " + duckDbType(c.type()));
      }
      return "STRUCT(" + String.join(", ", fields) + ")";
    }
    throw new IllegalArgumentException(type.toString());
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
