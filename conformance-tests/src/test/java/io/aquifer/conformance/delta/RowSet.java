package io.aquifer.conformance.delta;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows as a sorted multiset of canonical text, so that what two different readers return (the Arrow
 * Flight SQL JDBC driver, DuckDB's JDBC driver) can be compared value by value: numbers by value,
 * floats widened exactly to double, timestamps as UTC instants, dates as ISO dates, binary as hex,
 * lists in order, structs and maps by sorted key.
 */
record RowSet(List<String> rows) {
  RowSet {
    rows = rows.stream().sorted().toList();
  }

  static RowSet of(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        values.add(canonical(value(rs, i)));
      }
      rows.add(String.join(" | ", values));
    }
    return new RowSet(rows);
  }

  /**
   * The column's value. The Arrow Flight SQL driver's {@code getObject(int)} is not implemented for
   * some nested types (Avatica's type switch); {@code getObject(int, Object.class)} reads the Arrow
   * value directly, except for timestamps, which {@code getTimestamp} reads.
   */
  private static Object value(ResultSet rs, int column) throws SQLException {
    try {
      return rs.getObject(column);
    } catch (RuntimeException notImplemented) {
      try {
        return rs.getObject(column, Object.class);
      } catch (SQLException | RuntimeException notForThisType) {
        return rs.getTimestamp(column);
      }
    }
  }

  int size() {
    return rows.size();
  }

  /** A short account of the rows only one side has, for assertion messages. */
  String differenceFrom(RowSet other) {
    List<String> missing = new ArrayList<>(other.rows);
    List<String> extra = new ArrayList<>();
    for (String row : rows) {
      if (!missing.remove(row)) {
        extra.add(row);
      }
    }
    return "only here "
        + extra.subList(0, Math.min(5, extra.size()))
        + " ("
        + extra.size()
        + "), only there "
        + missing.subList(0, Math.min(5, missing.size()))
        + " ("
        + missing.size()
        + ")";
  }

  static String canonical(Object value) throws SQLException {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Array array) {
      return canonical(array.getArray());
    }
    if (value instanceof Object[] array) {
      List<String> items = new ArrayList<>();
      for (Object item : array) {
        items.add(canonical(item));
      }
      return items.toString();
    }
    if (value instanceof List<?> list) {
      if (!list.isEmpty() && list.stream().allMatch(RowSet::isMapEntry)) {
        // Arrow's MAP: a list of {key, value} structs.
        Map<String, String> map = new TreeMap<>();
        for (Object entry : list) {
          Map<?, ?> e = (Map<?, ?>) entry;
          map.put(canonical(e.get("key")), canonical(e.get("value")));
        }
        return map.toString();
      }
      List<String> items = new ArrayList<>();
      for (Object item : list) {
        items.add(canonical(item));
      }
      return items.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, String> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sorted.put(canonical(e.getKey()), canonical(e.getValue()));
      }
      return sorted.toString();
    }
    if (value.getClass().getName().equals("org.duckdb.DuckDBStruct")) {
      try {
        Method getMap = value.getClass().getMethod("getMap");
        return canonical(getMap.invoke(value));
      } catch (ReflectiveOperationException e) {
        throw new SQLException("cannot read a DuckDB struct", e);
      }
    }
    if (value instanceof BigDecimal d) {
      return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }
    if (value instanceof Float f) {
      return Double.toString(f.doubleValue());
    }
    if (value instanceof Double d) {
      return Double.toString(d);
    }
    if (value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof Long) {
      return Long.toString(((Number) value).longValue());
    }
    if (value instanceof java.math.BigInteger i) {
      return i.toString();
    }
    if (value instanceof java.sql.Blob blob) {
      return canonical(blob.getBytes(1, (int) blob.length()));
    }
    if (value instanceof byte[] bytes) {
      return "0x" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    if (value instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC).toString();
    }
    if (value instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    if (value instanceof ZonedDateTime t) {
      return t.toInstant().toString();
    }
    if (value instanceof Instant t) {
      return t.toString();
    }
    return value.toString();
  }

  private static boolean isMapEntry(Object o) {
    return o instanceof Map<?, ?> m
        && m.size() == 2
        && m.containsKey("key")
        && m.containsKey("value");
  }
}
