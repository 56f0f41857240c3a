package io.aquifer.conformance.hostile;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a client can see of the warehouse, as text: catalogs, schemas, tables and views, each
 * table's DESCRIBE, its rows (sorted) and its Delta history, and each view's rows. Two states are
 * equal if nothing a user could observe has changed.
 */
record WarehouseState(Map<String, List<String>> observations) {
  WarehouseState {
    observations = Map.copyOf(observations);
  }

  static WarehouseState capture(Connection c) throws SQLException {
    Map<String, List<String>> seen = new TreeMap<>();
    List<String> catalogs = column(rows(c, "SHOW CATALOGS", seen), 0);
    for (String catalog : catalogs) {
      List<String> schemas = column(rows(c, "SHOW SCHEMAS IN `" + catalog + "`", seen), 0);
      for (String schema : schemas) {
        String qualified = "`" + catalog + "`.`" + schema + "`";
        List<List<String>> tables = rows(c, "SHOW TABLES IN " + qualified, seen);
        List<String> views = column(rows(c, "SHOW VIEWS IN " + qualified, seen), 1);
        for (List<String> table : tables) {
          String name = qualified + ".`" + table.get(1) + "`";
          rows(c, "DESCRIBE TABLE " + name, seen);
          sortedRows(c, "SELECT * FROM " + name, seen);
          if (!views.contains(table.get(1))) {
            history(c, name, seen);
          }
        }
      }
    }
    return new WarehouseState(seen);
  }

  /** What differs from {@code other}, one line per observation; empty if nothing. */
  List<String> differences(WarehouseState other) {
    List<String> out = new ArrayList<>();
    TreeMap<String, List<String>> all = new TreeMap<>(observations);
    other.observations.forEach(all::putIfAbsent);
    for (String key : all.keySet()) {
      List<String> mine = observations.get(key);
      List<String> theirs = other.observations.get(key);
      if (mine == null || !mine.equals(theirs)) {
        out.add(key + ": " + mine + " -> " + theirs);
      }
    }
    return out;
  }

  /** The Delta version and operation of each commit, without timestamps. */
  private static void history(Connection c, String table, Map<String, List<String>> seen) {
    List<String> commits = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE HISTORY " + table)) {
      while (rs.next()) {
        commits.add(rs.getString("version") + " " + rs.getString("operation"));
      }
    } catch (SQLException e) {
      commits.add("ERROR " + e.getMessage());
    }
    seen.put("DESCRIBE HISTORY " + table, commits);
  }

  /** The rows of a query; a failing query is observed as its error. */
  private static List<List<String>> rows(Connection c, String sql, Map<String, List<String>> seen) {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    } catch (SQLException e) {
      seen.put(sql, List.of("ERROR " + e.getMessage()));
      return List.of();
    }
    seen.put(sql, rows.stream().map(String::valueOf).toList());
    return rows;
  }

  private static void sortedRows(Connection c, String sql, Map<String, List<String>> seen) {
    rows(c, sql, seen);
    seen.put(sql, seen.get(sql).stream().sorted().toList());
  }

  private static List<String> column(List<List<String>> rows, int index) {
    return rows.stream().map(r -> r.get(Math.min(index, r.size() - 1))).toList();
  }
}
