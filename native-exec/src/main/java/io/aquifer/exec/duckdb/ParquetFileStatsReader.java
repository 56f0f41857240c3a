package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbQuoting.string;

import io.aquifer.storage.delta.FileStats;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Delta statistics of a Parquet file back from its footer ({@code parquet_metadata}): the row
 * count, and min, max and null count of each top-level primitive column, combined over the row
 * groups. A column gets no min/max when some row group has values but no statistics, and no null
 * count when some row group lacks one. BINARY columns get null counts only, as in Delta.
 */
public final class ParquetFileStatsReader {
  private ParquetFileStatsReader() {}

  public static FileStats read(Connection connection, Path file, TableSchema schema)
      throws SQLException {
    String path = string(file.toString());
    List<Column> columns = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder("SELECT (SELECT sum(num_rows) FROM parquet_file_metadata(")
            .append(path)
            .append("))");
    for (Column c : schema.columns()) {
      if (!(c.type() instanceof PrimitiveType) && !(c.type() instanceof DecimalType)) {
        continue;
      }
      columns.add(c);
      String inColumn = "path_in_schema = " + string(c.physicalName());
      boolean minMax = c.type() != PrimitiveType.BINARY;
      String type = DuckDbTypes.toDuckDb(c.type());
      sql.append(", ")
          .append(
              minMax
                  ? javaReadable(
                      "min(TRY_CAST(stats_min_value AS "
                          + type
                          + ")) FILTER (WHERE "
                          + inColumn
                          + ")",
                      c.type())
                  : "NULL")
          .append(", ")
          .append(
              minMax
                  ? javaReadable(
                      "max(TRY_CAST(stats_max_value AS "
                          + type
                          + ")) FILTER (WHERE "
                          + inColumn
                          + ")",
                      c.type())
                  : "NULL")
          .append(", sum(stats_null_count) FILTER (WHERE ")
          .append(inColumn)
          .append("), count(*) FILTER (WHERE ")
          .append(inColumn)
          .append(" AND stats_null_count IS NULL), count(*) FILTER (WHERE ")
          .append(inColumn)
          .append(" AND (stats_min_value IS NULL OR stats_max_value IS NULL)")
          .append(" AND coalesce(stats_null_count, -1) <> num_values)");
    }
    sql.append(" FROM parquet_metadata(").append(path).append(")");

    Map<String, Object> min = new HashMap<>();
    Map<String, Object> max = new HashMap<>();
    Map<String, Long> nulls = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql.toString())) {
      rs.next();
      long rows = rs.getLong(1);
      int index = 2;
      for (Column c : columns) {
        Object low = value(rs, index, c.type());
        Object high = value(rs, index + 1, c.type());
        long nullCount = rs.getLong(index + 2);
        boolean nullCountKnown = !rs.wasNull() && rs.getLong(index + 3) == 0;
        boolean minMaxKnown = rs.getLong(index + 4) == 0;
        index += 5;
        if (nullCountKnown) {
          nulls.put(c.name(), nullCount);
        }
        if (minMaxKnown && low != null && high != null) {
          min.put(c.name(), low);
          max.put(c.name(), high);
        }
      }
      return new FileStats(rows, min, max, nulls);
    }
  }

  /** An expression the JDBC driver returns unambiguously for the type. */
  private static String javaReadable(String expression, DataType type) {
    if (type instanceof DecimalType) {
      return "CAST(" + expression + " AS VARCHAR)";
    }
    return switch ((PrimitiveType) type) {
      case DATE -> "CAST(" + expression + " - DATE '1970-01-01' AS BIGINT)";
      case TIMESTAMP, TIMESTAMP_NTZ -> "epoch_us(" + expression + ")";
      default -> expression;
    };
  }

  private static Object value(ResultSet rs, int index, DataType type) throws SQLException {
    if (type instanceof DecimalType) {
      String text = rs.getString(index);
      return text == null ? null : new BigDecimal(text);
    }
    Object value =
        switch ((PrimitiveType) type) {
          case BOOLEAN -> rs.getBoolean(index);
          case TINYINT -> rs.getByte(index);
          case SMALLINT -> rs.getShort(index);
          case INT -> rs.getInt(index);
          case BIGINT -> rs.getLong(index);
          case FLOAT -> rs.getFloat(index);
          case DOUBLE -> rs.getDouble(index);
          case STRING -> rs.getString(index);
          case BINARY -> null;
          case DATE -> LocalDate.ofEpochDay(rs.getLong(index));
          case TIMESTAMP -> instant(rs.getLong(index));
          case TIMESTAMP_NTZ -> LocalDateTime.ofInstant(instant(rs.getLong(index)), ZoneOffset.UTC);
        };
    return rs.wasNull() ? null : value;
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
