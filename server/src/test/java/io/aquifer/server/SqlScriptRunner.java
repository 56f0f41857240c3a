package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.List;

/**
 * Runs SQL behaviour files through a real client connection. The format follows sqllogictest:
 *
 * <pre>
 * statement ok
 * CREATE TABLE t (a INT)
 *
 * statement error 42P01
 * SELECT * FROM missing
 *
 * query [rowsort]
 * SELECT a, 'x' FROM t
 * ----
 * 1|x
 * NULL|x
 * </pre>
 *
 * Values print as text: NULL, numbers without trailing zeros in decimals kept as the server returns
 * them, booleans true/false. An error expectation names the SQLSTATE and, optionally, text the
 * message must contain.
 */
final class SqlScriptRunner {
  private SqlScriptRunner() {}

  static void run(Path file, Connection connection) throws Exception {
    run(file, connection, java.util.Map.of());
  }

  /**
   * @param variables {@code ${name}} in a statement or an expected line is replaced by the value
   */
  static void run(Path file, Connection connection, java.util.Map<String, String> variables)
      throws Exception {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      for (java.util.Map.Entry<String, String> v : variables.entrySet()) {
        line = line.replace("${" + v.getKey() + "}", v.getValue());
      }
      lines.add(line);
    }
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        i++;
        continue;
      }
      int start = i + 1;
      String header = line;
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
      String where = file.getFileName() + ":" + start;
      String statement = sql.toString().strip();
      if (header.equals("statement ok")) {
        try (Statement s = connection.createStatement()) {
          s.execute(statement);
        } catch (SQLException e) {
          fail(where + ": expected success but got " + e.getMessage());
        }
      } else if (header.startsWith("statement error")) {
        String[] parts = header.split("\\s+", 4);
        String state = parts.length > 2 ? parts[2] : null;
        String text = parts.length > 3 ? parts[3] : null;
        try (Statement s = connection.createStatement()) {
          s.execute(statement);
          if (s.getResultSet() != null) {
            s.getResultSet().next();
          }
          fail(where + ": expected an error but the statement succeeded");
        } catch (SQLException e) {
          String message = String.valueOf(e.getMessage());
          if (state != null && !message.contains(state)) {
            fail(where + ": expected SQLSTATE " + state + " in: " + message);
          }
          if (text != null && !message.toLowerCase().contains(text.toLowerCase())) {
            fail(where + ": expected '" + text + "' in: " + message);
          }
        }
      } else if (header.startsWith("query")) {
        List<String> actual = new ArrayList<>();
        try (Statement s = connection.createStatement();
            ResultSet rs = s.executeQuery(statement)) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            List<String> values = new ArrayList<>();
            for (int c = 1; c <= md.getColumnCount(); c++) {
              values.add(text(rs.getObject(c)));
            }
            actual.add(String.join("|", values));
          }
        } catch (SQLException e) {
          fail(where + ": query failed: " + e.getMessage());
        }
        if (header.contains("rowsort")) {
          Collections.sort(actual);
          List<String> sorted = new ArrayList<>(expected);
          Collections.sort(sorted);
          expected = sorted;
        }
        assertEquals(
            String.join("\n", expected), String.join("\n", actual), where + ": " + statement);
      } else {
        fail(where + ": unknown directive '" + header + "'");
      }
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }
    return value.toString();
  }
}
