package io.aquifer.conformance.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Runs a semantics file through a real client connection, in the format of the server's SQL
 * behaviour files (sqllogictest style):
 *
 * <pre>
 * statement ok
 * CREATE TABLE t (a INT)
 *
 * statement error 22012 [text the message contains]
 * SELECT 1 / 0
 *
 * query [rowsort]
 * SELECT a, 'x' FROM t
 * ----
 * 1|x
 * NULL|x
 * </pre>
 *
 * {@code query columns=1,3} compares only those columns (1-based), for statements whose other
 * columns vary from run to run (timestamps, locations).
 *
 * <p>{@code names} compares the result's column names (the driver's {@code getColumnLabel}), one a
 * line, instead of its rows:
 *
 * <pre>
 * names
 * SELECT count(*), 1 + 1 FROM t
 * ----
 * count(1)
 * (1 + 1)
 * </pre>
 *
 * <p>Values print as Java prints what the driver returns ({@code getObject}): NULL, decimals with
 * their scale, doubles as {@code 3.5} or {@code 2.0}, booleans {@code true}/{@code false}. Lines
 * starting with {@code #} are comments.
 */
final class SqlScript {
  private SqlScript() {}

  static void run(Path file, Connection connection) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int i = 0;
    while (i < lines.size()) {
      String header = lines.get(i).strip();
      if (header.isEmpty() || header.startsWith("#")) {
        i++;
        continue;
      }
      String where = file.getFileName() + ":" + (i + 1);
      i++;
      StringBuilder sql = new StringBuilder();
      while (i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).equals("----")) {
        sql.append(lines.get(i)).append('\n');
        i++;
      }
      List<String> expected = new ArrayList<>();
      if (i < lines.size() && lines.get(i).equals("----")) {
        i++;
        while (i < lines.size() && !lines.get(i).isBlank()) {
          expected.add(lines.get(i));
          i++;
        }
      }
      String statement = sql.toString().strip();
      if (header.equals("statement ok")) {
        statementOk(connection, where, statement);
      } else if (header.startsWith("statement error")) {
        String[] parts = header.split("\\s+", 4);
        statementError(
            connection,
            where,
            statement,
            parts.length > 2 ? parts[2] : null,
            parts.length > 3 ? parts[3] : null);
      } else if (header.equals("names")) {
        names(connection, where, statement, expected);
      } else if (header.startsWith("query")) {
        query(connection, where, statement, expected, header.contains("rowsort"), columns(header));
      } else {
        fail(where + ": unknown directive '" + header + "'");
      }
    }
  }

  private static void statementOk(Connection connection, String where, String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      fail(where + ": expected success but got " + e.getMessage());
    }
  }

  private static void statementError(
      Connection connection, String where, String sql, String sqlState, String text) {
    try (Statement s = connection.createStatement()) {
      if (s.execute(sql)) {
        try (ResultSet rs = s.getResultSet()) {
          while (rs.next()) {
            // an error may come with the rows
          }
        }
      }
      fail(
          where
              + ": expected an error"
              + (sqlState == null ? "" : " " + sqlState)
              + " but the statement succeeded: "
              + sql);
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      if (sqlState != null && !message.contains("SQLSTATE: " + sqlState)) {
        fail(where + ": expected SQLSTATE " + sqlState + " in: " + message);
      }
      if (text != null
          && !message.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT))) {
        fail(where + ": expected '" + text + "' in: " + message);
      }
    }
  }

  /** The 1-based columns named by a {@code columns=1,3} option; empty for all. */
  private static List<Integer> columns(String header) {
    for (String part : header.split("\\s+")) {
      if (part.startsWith("columns=")) {
        return java.util.Arrays.stream(part.substring("columns=".length()).split(","))
            .map(Integer::parseInt)
            .toList();
      }
    }
    return List.of();
  }

  private static void query(
      Connection connection,
      String where,
      String sql,
      List<String> expected,
      boolean rowsort,
      List<Integer> columns) {
    List<String> actual = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int c = 1; c <= md.getColumnCount(); c++) {
          if (columns.isEmpty() || columns.contains(c)) {
            values.add(text(rs.getObject(c)));
          }
        }
        actual.add(String.join("|", values));
      }
    } catch (SQLException e) {
      fail(where + ": query failed: " + e.getMessage());
    }
    List<String> want = new ArrayList<>(expected);
    if (rowsort) {
      Collections.sort(actual);
      Collections.sort(want);
    }
    assertEquals(String.join("\n", want), String.join("\n", actual), where + ": " + sql);
  }

  private static void names(
      Connection connection, String where, String sql, List<String> expected) {
    List<String> actual = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      for (int c = 1; c <= md.getColumnCount(); c++) {
        actual.add(md.getColumnLabel(c));
      }
      while (rs.next()) {
        // read the rows: the statement must also run, not only plan
      }
    } catch (SQLException e) {
      fail(where + ": query failed: " + e.getMessage());
    }
    assertEquals(String.join("\n", expected), String.join("\n", actual), where + ": " + sql);
  }

  private static String text(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    return value.toString();
  }
}
