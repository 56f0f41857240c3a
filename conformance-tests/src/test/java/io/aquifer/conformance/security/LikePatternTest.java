package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Name patterns of SHOW ... LIKE and of the drivers' metadata calls against a long name, with
 * patterns that make a backtracking matcher run for hours ({@code %a%a%a...%b} against {@code
 * aaaa...}); they must answer at once and correctly, and a pattern past the cap must fail clearly.
 * (The timeout only keeps a regression from hanging the build.)
 */
class LikePatternTest {
  @TempDir Path dataDirectory;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void pathologicalPatternsMatchInLinearTime() throws Exception {
    String longName = "a".repeat(240);
    String evilShow = "*a".repeat(30) + "*b";
    String evilLike = "%a".repeat(30) + "%b";
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + longName + " (id INT)");
      s.execute("CREATE TABLE a_b (id INT)");
      assertEquals(List.of(), show(s, "SHOW TABLES LIKE '" + evilShow + "'"));
      assertEquals(List.of("a_b"), show(s, "SHOW TABLES LIKE '*a*b'"));
      assertEquals(List.of(longName), show(s, "SHOW TABLES LIKE '" + "*a".repeat(30) + "'"));
      assertEquals(
          List.of("a_b", longName), show(s, "SHOW TABLES LIKE 'x|" + "*a".repeat(30) + "*|a*b'"));
      assertEquals(List.of(), tables(c, evilLike));
      assertEquals(List.of("a_b"), tables(c, "%a%\\_b"));
      assertEquals(List.of(longName), tables(c, "a%a%a" + "_".repeat(100) + "%"));
      String tooLong = "*".repeat(1001);
      assertFails("INVALID_PATTERN", "22025", () -> show(s, "SHOW TABLES LIKE '" + tooLong + "'"));
    }
  }

  private static List<String> show(Statement s, String sql) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        names.add(rs.getString("tableName"));
      }
    }
    return names.stream().sorted().toList();
  }

  private static List<String> tables(Connection c, String pattern) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getTables("main", "default", pattern, null)) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    }
    return names.stream().sorted().toList();
  }
}
