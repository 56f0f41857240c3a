package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session configuration through Databricks' JDBC driver in Thrift mode: the URL properties named
 * like Databricks SQL's configuration parameters arrive in OpenSession's {@code configuration}.
 */
class DatabricksJdbcSessionConfTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    url =
        server.server().databricksRest().jdbcUrl().replace(";useThriftClient=0", "")
            + ";UID=token;PWD="
            + server.token();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String setting(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("SET " + name)) {
      assertTrue(rs.next());
      return rs.getString(2);
    }
  }

  private static long epochSeconds(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT unix_timestamp(TIMESTAMP '2024-01-01 00:00:00')")) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void theTimeZoneComesFromTheUrl() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      assertEquals("UTC", setting(s, "timezone"));
      assertEquals(1704067200L, epochSeconds(s));
    }
    try (Connection c = DriverManager.getConnection(url + ";TIMEZONE=America/New_York");
        Statement s = c.createStatement()) {
      assertEquals("America/New_York", setting(s, "spark.sql.session.timeZone"));
      // The literal is read in the session's zone: midnight in New York is 05:00 UTC.
      assertEquals(1704067200L + 5 * 3600, epochSeconds(s));
    }
  }

  @Test
  void useCachedResultAndAnsiModeComeFromTheUrl() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                url + ";USE_CACHED_RESULT=false;ANSI_MODE=true;ENABLE_PHOTON=true");
        Statement s = c.createStatement()) {
      assertEquals("false", setting(s, "use_cached_result"));
    }
  }

  @Test
  void aBadValueRefusesTheSession() {
    SQLException zone =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(url + ";TIMEZONE=Mars/Olympus_Mons").close());
    assertTrue(zone.getMessage().contains("INVALID_CONF_VALUE.TIME_ZONE"), zone.getMessage());
    SQLException timeout =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(url + ";STATEMENT_TIMEOUT=soon").close());
    assertTrue(timeout.getMessage().contains("STATEMENT_TIMEOUT"), timeout.getMessage());
    SQLException ansi =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(url + ";ANSI_MODE=false").close());
    assertTrue(ansi.getMessage().contains("ANSI_MODE"), ansi.getMessage());
  }

  @Test
  void aStatementTimeoutFromTheUrlCancelsWith57014() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement setup = c.createStatement()) {
      setup.execute("CREATE TABLE IF NOT EXISTS spin (id BIGINT)");
      setup.execute("INSERT INTO spin VALUES (0)");
      for (long n = 1; n < 1 << 14; n *= 2) {
        setup.execute("INSERT INTO spin SELECT id + " + n + " FROM spin");
      }
    }
    String slow =
        "SELECT count(*) FROM spin a, spin b, spin c WHERE (a.id * 7 + b.id * 3 + c.id) % 1000003 = 17";
    try (Connection c = DriverManager.getConnection(url + ";STATEMENT_TIMEOUT=1");
        Statement s = c.createStatement()) {
      assertEquals("1", setting(s, "STATEMENT_TIMEOUT"));
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(slow).next());
      assertEquals("57014", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("STATEMENT_TIMEOUT"), e.getMessage());
    }
  }
}
