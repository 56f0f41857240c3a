package io.aquifer.tpch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A query's result read from a JDBC {@link ResultSet}, each value normalized to one Java type per
 * kind so that results of different drivers (Flight SQL, DuckDB, Avatica) compare alike: integers
 * as {@link BigInteger}, DECIMAL as {@link BigDecimal}, floating point as {@link Double}, dates as
 * {@link LocalDate}, everything else as its {@code getString} text; SQL NULL as null.
 */
public record ActualResult(List<String> columns, List<List<Object>> rows) {
  public ActualResult {
    columns = List.copyOf(columns);
    rows = rows.stream().map(r -> Collections.unmodifiableList(new ArrayList<>(r))).toList();
  }

  /** Reads every remaining row. */
  public static ActualResult read(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int count = meta.getColumnCount();
    List<String> columns = new ArrayList<>(count);
    int[] types = new int[count];
    for (int i = 1; i <= count; i++) {
      columns.add(meta.getColumnLabel(i));
      types[i - 1] = meta.getColumnType(i);
    }
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      Object[] row = new Object[count];
      for (int i = 1; i <= count; i++) {
        row[i - 1] = value(rs, i, types[i - 1]);
      }
      rows.add(Arrays.asList(row));
    }
    return new ActualResult(columns, rows);
  }

  private static Object value(ResultSet rs, int index, int type) throws SQLException {
    Object value;
    switch (type) {
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.LONGNVARCHAR -> {
        return rs.getString(index);
      }
      case Types.DECIMAL, Types.NUMERIC -> value = rs.getBigDecimal(index);
      default -> value = rs.getObject(index);
    }
    if (value == null || rs.wasNull()) {
      return null;
    }
    return normalize(value, rs, index);
  }

  static Object normalize(Object value, ResultSet rs, int index) throws SQLException {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof BigInteger i) {
      return i;
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof LocalDate date) {
      return date;
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    if (value instanceof LocalDateTime dateTime) {
      return dateTime.toString();
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    return rs == null ? value.toString() : rs.getString(index);
  }
}
