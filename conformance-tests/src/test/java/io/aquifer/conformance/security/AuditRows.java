package io.aquifer.conformance.security;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads audit and lineage rows as name-to-text maps, polling for rows written in the background.
 */
final class AuditRows {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private AuditRows() {}

  /** Polls {@code sql} until a row matches (the audit is written in the background). */
  static Map<String, String> awaitRow(
      Connection c, String sql, Predicate<Map<String, String>> match) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    List<Map<String, String>> last = List.of();
    while (Instant.now().isBefore(deadline)) {
      last = rows(c, sql);
      for (Map<String, String> row : last) {
        if (match.test(row)) {
          return row;
        }
      }
      Thread.sleep(100);
    }
    return fail("no matching row within " + DEADLINE + " in " + last);
  }

  /**
   * Every row of {@code sql}, keyed by lower-case column label, values as text (null stays null).
   */
  static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, String>> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = rs.getObject(i);
          row.put(meta.getColumnLabel(i).toLowerCase(), value == null ? null : value.toString());
        }
        out.add(row);
      }
      return out;
    }
  }
}
