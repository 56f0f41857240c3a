package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's log as an operator reads it: {@code aquifer start} in its own process, its log
 * (standard error, with Aquifer's debug lines on) captured to a file. Every statement ends with one
 * INFO line naming its id, principal, state, duration and rows; the admin token, which the banner
 * shows once on standard output, is never written to the log, whatever the clients send it through
 * (token property, user/password, Avatica, a wrong token that contains it).
 */
class StatementLogTest {
  private static final Pattern END_LINE =
      Pattern.compile(
          "^\\S+ \\[[^\\]]+\\] INFO io\\.aquifer\\.gateway\\.Gateway - statement"
              + " ([0-9a-f-]{36}) (SUCCEEDED|FAILED|CANCELED|CLOSED) principal=(\\S+)"
              + " duration_ms=(\\d+) rows=(\\d+)(?: error=([A-Z_.]+) sqlstate=([0-9A-Z]{5}))?$");

  private static final List<String> SQL =
      List.of(
          "CREATE SCHEMA logs",
          "INSERT INTO logs.t VALUES (1), (2), (3)",
          "SELECT x FROM logs.t WHERE x >= 2 ORDER BY x",
          "SELECT nope FROM logs.t",
          "SELECT sum(x) FROM logs.t");

  @TempDir Path dataDirectory;

  @Test
  void oneEndLinePerStatementAndNeverTheAdminToken() throws Exception {
    Path out = dataDirectory.resolve("server.out");
    Path log = dataDirectory.resolve("server.log");
    Process process = startServer(out, log);
    String token;
    Map<String, String> texts;
    try {
      token = Files.readString(dataDirectory.resolve(ServerProcess.TOKEN_FILE)).trim();
      JsonNode info =
          new ObjectMapper().readTree(dataDirectory.resolve(ConnectionFile.NAME).toFile());
      String flight = info.path("jdbc").path("arrowFlightSql").asText();
      Properties byToken = new Properties();
      byToken.setProperty("token", token);
      try (Connection c = DriverManager.getConnection(flight, byToken);
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA logs");
        s.execute("CREATE TABLE logs.t (x BIGINT)");
        assertEquals(3, s.executeUpdate("INSERT INTO logs.t VALUES (1), (2), (3)"));
        try (ResultSet rs = s.executeQuery("SELECT x FROM logs.t WHERE x >= 2 ORDER BY x")) {
          int rows = 0;
          while (rs.next()) {
            rows++;
          }
          assertEquals(2, rows);
        }
        SQLException bad =
            assertThrows(SQLException.class, () -> s.executeQuery("SELECT nope FROM logs.t"));
        assertTrue(bad.getMessage().contains("UNRESOLVED_COLUMN"), bad.getMessage());
        try (PreparedStatement p = c.prepareStatement("SELECT x FROM logs.t WHERE x = ?")) {
          p.setLong(1, 3);
          try (ResultSet rs = p.executeQuery()) {
            assertTrue(rs.next());
          }
        }
      }
      Properties byPassword = new Properties();
      byPassword.setProperty("user", "token");
      byPassword.setProperty("password", token);
      try (Connection c = DriverManager.getConnection(flight, byPassword);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM logs.t")) {
        assertTrue(rs.next());
      }
      Properties wrong = new Properties();
      wrong.setProperty("token", token + "x");
      assertThrows(SQLException.class, () -> DriverManager.getConnection(flight, wrong).close());
      String avatica =
          "jdbc:avatica:remote:url="
              + info.path("avatica").path("url").asText()
              + ";serialization=protobuf";
      try (Connection c = DriverManager.getConnection(avatica, byToken);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT sum(x) FROM logs.t")) {
        assertTrue(rs.next());
        assertEquals(6, rs.getLong(1));
      }
      texts = statementTexts(flight, byToken, SQL);
    } finally {
      process.destroy(); // SIGTERM: the server shuts down and flushes its log
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    String logText = Files.readString(log);
    String banner = Files.readString(out);
    assertTrue(banner.contains(token), "the banner shows the admin token once:\n" + banner);
    assertFalse(logText.contains(token), "the admin token is in the log:\n" + logText);
    assertTrue(
        logText.lines().anyMatch(l -> l.contains(" DEBUG ")),
        "debug logging should be on, so every level is checked:\n" + logText);

    Map<String, Matcher> ends = new HashMap<>();
    for (String line : logText.lines().toList()) {
      if (line.contains("io.aquifer.gateway.Gateway - statement ")) {
        Matcher m = END_LINE.matcher(line);
        if (m.matches()) {
          assertEquals(null, ends.put(m.group(1), m), "two end lines for " + m.group(1));
        }
      }
    }
    // The statements above, by the id the history recorded for each text.
    assertEnd(ends, texts, "CREATE SCHEMA logs", "SUCCEEDED", 0, null);
    assertEnd(ends, texts, "INSERT INTO logs.t VALUES (1), (2), (3)", "SUCCEEDED", 3, null);
    assertEnd(ends, texts, "SELECT x FROM logs.t WHERE x >= 2 ORDER BY x", "SUCCEEDED", 2, null);
    assertEnd(ends, texts, "SELECT nope FROM logs.t", "FAILED", 0, "UNRESOLVED_COLUMN");
    assertEnd(ends, texts, "SELECT sum(x) FROM logs.t", "SUCCEEDED", 1, null);
    for (Matcher m : ends.values()) {
      assertEquals("admin", m.group(3), m.group());
    }
  }

  private static void assertEnd(
      Map<String, Matcher> ends,
      Map<String, String> texts,
      String sql,
      String state,
      long rows,
      String errorClass) {
    List<String> ids =
        texts.entrySet().stream()
            .filter(e -> e.getValue().equals(sql))
            .map(e -> e.getKey())
            .toList();
    assertEquals(1, ids.size(), "history entries for " + sql + ": " + texts);
    Matcher end = ends.get(ids.get(0));
    assertTrue(end != null, "no end line for statement " + ids.get(0) + " (" + sql + ")");
    assertEquals(state, end.group(2), end.group());
    assertEquals(rows, Long.parseLong(end.group(5)), end.group());
    assertEquals(errorClass, end.group(6), end.group());
    if (errorClass != null) {
      assertEquals(5, end.group(7).length(), end.group());
    }
  }

  /**
   * Statement id to text, from {@code system.query.history}, once it lists every one of {@code
   * expected} (a statement is recorded as it ends, which may come just after its client read it).
   */
  private static Map<String, String> statementTexts(
      String url, Properties credentials, List<String> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Map<String, String> texts = new HashMap<>();
      try (Connection c = DriverManager.getConnection(url, credentials);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT statement_id, statement_text FROM system.query.history")) {
        while (rs.next()) {
          texts.put(rs.getString(1), rs.getString(2));
        }
      }
      if (texts.values().containsAll(expected) || System.nanoTime() > deadline) {
        return texts;
      }
      Thread.sleep(100);
    }
  }

  private Process startServer(Path out, Path log) throws Exception {
    return ServerProcess.start(
        dataDirectory,
        ProcessBuilder.Redirect.to(out.toFile()),
        ProcessBuilder.Redirect.to(log.toFile()),
        log,
        List.of("-Dorg.slf4j.simpleLogger.log.io.aquifer=debug"));
  }
}
