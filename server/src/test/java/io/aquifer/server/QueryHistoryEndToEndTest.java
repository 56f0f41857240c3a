package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.PrincipalStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code system.query.history} through the Arrow Flight SQL JDBC driver: what ran, with its state,
 * rows and error; a user reads it only with grants (then everyone's), an admin always; the history
 * survives a restart.
 */
class QueryHistoryEndToEndTest {
  private static final String HISTORY =
      "SELECT statement_id, executed_by, statement_text, statement_type, execution_status,"
          + " error_class, error_sqlstate, error_message, client_application, produced_rows,"
          + " written_rows, read_files, pruned_files, from_result_cache, start_time, end_time,"
          + " total_duration_ms, warehouse_id, produced_bytes, planning_duration_ms,"
          + " compilation_duration_ms"
          + " FROM system.query.history ORDER BY end_time DESC";

  @TempDir Path dataDirectory;

  @Test
  void listsWhatRanPerUserAndKeepsItAcrossARestart() throws Exception {
    String bobToken;
    try (RunningServer server = RunningServer.start(dataDirectory)) {
      bobToken = createUserToken(server, "bob");
      try (Connection admin = server.connect();
          Statement s = admin.createStatement()) {
        s.execute("CREATE SCHEMA h");
        s.execute("CREATE TABLE h.t (x BIGINT)");
        assertEquals(3, s.executeUpdate("INSERT INTO h.t VALUES (1), (2), (3)"));
        assertEquals(1, s.executeUpdate("INSERT INTO h.t VALUES (4)"));
        try (ResultSet rs = s.executeQuery("SELECT x FROM h.t WHERE x >= 4 ORDER BY x")) {
          int rows = 0;
          while (rs.next()) {
            rows++;
          }
          assertEquals(1, rows);
        }
        assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM h.missing").next());
      }
      try (Connection bob = connect(server, bobToken);
          Statement s = bob.createStatement();
          ResultSet rs = s.executeQuery("SELECT 42 AS answer")) {
        assertTrue(rs.next());
      }

      Map<String, Map<String, Object>> all =
          awaitHistory(
              server,
              server.token(),
              rows ->
                  byText(rows).containsKey("SELECT 42 AS answer")
                      && byText(rows).containsKey("SELECT x FROM h.t WHERE x >= 4 ORDER BY x"));
      Map<String, Object> insert = all.get("INSERT INTO h.t VALUES (1), (2), (3)");
      assertEquals("FINISHED", insert.get("execution_status"));
      assertEquals("INSERT", insert.get("statement_type"));
      assertEquals(3L, insert.get("written_rows"));
      assertEquals("admin", insert.get("executed_by"));
      // The connection names no warehouse: the statements ran on the Starter Warehouse.
      assertEquals(
          server.server().warehouseStore().resolve("Starter Warehouse").id(),
          insert.get("warehouse_id"));
      assertEquals("Arrow Flight SQL", insert.get("client_application"));
      assertEquals(false, insert.get("from_result_cache"));

      Map<String, Object> select = all.get("SELECT x FROM h.t WHERE x >= 4 ORDER BY x");
      assertEquals("FINISHED", select.get("execution_status"));
      assertEquals("SELECT", select.get("statement_type"));
      assertEquals(1L, select.get("produced_rows"));
      assertTrue((Long) select.get("produced_bytes") > 0, select.toString());
      // Two files; statistics skip the one holding 1 to 3.
      assertEquals(1L, select.get("read_files"), select.toString());
      assertEquals(1L, select.get("pruned_files"), select.toString());
      assertNull(select.get("error_class"));
      Instant start = (Instant) select.get("start_time");
      Instant end = (Instant) select.get("end_time");
      assertFalse(end.isBefore(start));
      assertEquals(
          Duration.between(start, end).toMillis(), (long) select.get("total_duration_ms"), 1);
      // Planning is part of compilation (which also counts the queue wait and engine SQL).
      long planning = (Long) select.get("planning_duration_ms");
      assertTrue(
          planning >= 0 && planning <= (Long) select.get("compilation_duration_ms") + 1,
          select.toString());

      Map<String, Object> failed = all.get("SELECT * FROM h.missing");
      assertEquals("FAILED", failed.get("execution_status"));
      assertEquals("TABLE_OR_VIEW_NOT_FOUND", failed.get("error_class"));
      assertEquals("42P01", failed.get("error_sqlstate"));
      assertTrue(
          String.valueOf(failed.get("error_message")).contains("missing"), failed.toString());
      assertNull(failed.get("produced_rows"));
      // The driver prepares first: a statement rejected there never reached planning.
      assertNull(failed.get("planning_duration_ms"), failed.toString());

      assertEquals("CREATE", all.get("CREATE TABLE h.t (x BIGINT)").get("statement_type"));
      assertEquals("bob", all.get("SELECT 42 AS answer").get("executed_by"));

      // The history is a securable, as in Databricks: bob reads it only once an admin grants it,
      // and then reads everyone's statements.
      try (Connection bob = connect(server, bobToken);
          Statement s = bob.createStatement()) {
        SQLException denied = assertThrows(SQLException.class, () -> rows(s, HISTORY));
        assertTrue(denied.getMessage().contains("PERMISSION_DENIED"), denied.getMessage());
        try (Connection admin = server.connect();
            Statement a = admin.createStatement()) {
          a.execute("GRANT USE CATALOG ON CATALOG system TO bob");
          a.execute("GRANT USE SCHEMA, SELECT ON SCHEMA system.query TO bob");
        }
        Map<String, Map<String, Object>> seen = byText(rows(s, HISTORY));
        assertTrue(seen.containsKey("SELECT 42 AS answer"), seen.keySet().toString());
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM system.query.history WHERE executed_by = 'admin'")) {
          assertTrue(rs.next());
          assertTrue(rs.getLong(1) > 0);
        }
      }
    }

    try (RunningServer server = RunningServer.start(dataDirectory)) {
      Map<String, Map<String, Object>> all =
          awaitHistory(
              server,
              server.token(),
              rows -> byText(rows).containsKey("INSERT INTO h.t VALUES (4)"));
      assertEquals(1L, all.get("INSERT INTO h.t VALUES (4)").get("written_rows"));
      assertTrue(all.containsKey("SELECT 42 AS answer"));
      try (Connection admin = server.connect();
          Statement s = admin.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT executed_by, count(*) AS n FROM system.query.history"
                      + " WHERE statement_type = 'SELECT' GROUP BY executed_by ORDER BY"
                      + " executed_by")) {
        assertTrue(rs.next());
        assertEquals("admin", rs.getString(1));
        assertTrue(rs.next());
        assertEquals("bob", rs.getString(1));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void systemTablesAreReadOnlyAndNotMixedWithTables() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA m");
      s.execute("CREATE TABLE m.t (x BIGINT)");
      SQLException mixed =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeQuery(
                          "SELECT * FROM m.t, system.query.history WHERE x = total_duration_ms")
                      .next());
      assertTrue(mixed.getMessage().contains("UNSUPPORTED_FEATURE"), mixed.getMessage());
      SQLException create =
          assertThrows(SQLException.class, () -> s.execute("CREATE CATALOG system"));
      assertTrue(create.getMessage().contains("read-only system catalog"), create.getMessage());
    }
  }

  @Test
  void databricksFunctionsRunOverSystemTables() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      for (int i = 0; i < 3; i++) {
        try (ResultSet rs = s.executeQuery("SELECT " + i)) {
          assertTrue(rs.next());
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long total;
      while (true) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM system.query.history")) {
          assertTrue(rs.next());
          total = rs.getLong(1);
        }
        if (total >= 4 || System.nanoTime() > deadline) {
          break;
        }
        Thread.onSpinWait();
      }
      assertTrue(total >= 4, "history rows: " + total);
      // Databricks functions the gateway's own engine runs as a warehouse does; one query reads
      // the table twice and sees one set of rows.
      try (ResultSet rs =
          s.executeQuery(
              "SELECT size(collect_list(h.statement_id)) AS n,"
                  + " count_if(h.execution_status = 'FINISHED') AS finished,"
                  + " percentile_approx(h.total_duration_ms, 0.5) >= 0 AS p50,"
                  + " date_format(min(h.start_time), 'yyyy-MM-dd') AS day,"
                  + " max(date_trunc('HOUR', h.start_time)) <= max(h.start_time) AS hour,"
                  + " count(*) = (SELECT count(*) FROM system.query.history) AS same,"
                  + " max(datediff(h.end_time, h.start_time)) AS days"
                  + " FROM system.query.history h JOIN system.query.history g"
                  + " ON h.statement_id = g.statement_id")) {
        assertTrue(rs.next());
        long n = rs.getLong("n");
        assertTrue(n >= total, n + " rows listed, " + total + " counted before");
        assertTrue(rs.getLong("finished") >= 3, "finished: " + rs.getLong("finished"));
        assertTrue(rs.getBoolean("p50"));
        assertTrue(rs.getBoolean("hour"));
        assertTrue(rs.getBoolean("same"), "a self-join saw the table change within one query");
        assertEquals(0, rs.getLong("days"));
        try (Statement t = c.createStatement();
            ResultSet first =
                t.executeQuery(
                    "SELECT min(start_time) FROM system.query.history"
                        + " WHERE start_time IS NOT NULL")) {
          assertTrue(first.next());
          assertEquals(
              first
                  .getTimestamp(1)
                  .toInstant()
                  .atZone(java.time.ZoneOffset.UTC)
                  .toLocalDate()
                  .toString(),
              rs.getString("day"));
        }
      }
      // A global aggregate over no rows still gives its one row.
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*), max(total_duration_ms), collect_list(statement_id)"
                  + " FROM system.query.history WHERE statement_id = 'none'")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getLong(1));
        assertEquals(null, rs.getObject(2));
        assertFalse(rs.next());
      }
      // The session time zone applies as on a warehouse.
      s.execute("SET TIME ZONE 'Asia/Kolkata'");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT date_format(TIMESTAMP '2024-01-01 00:00:00 UTC', 'HH:mm'),"
                  + " count(*) > 0 FROM system.query.history")) {
        assertTrue(rs.next());
        assertEquals("05:30", rs.getString(1));
        assertTrue(rs.getBoolean(2));
      }
    }
  }

  /** What {@code aquifer token create --user NAME} does: a new non-admin user and a token. */
  static String createUserToken(RunningServer server, String user) {
    try (CatalogDatabase database =
        CatalogDatabase.open(server.dataDirectory().resolve(AquiferServer.CATALOG_FILE))) {
      new PrincipalStore(database).createUser(user, false);
      return new AccessTokenStore(database)
          .createToken(user, Optional.of("test"), Optional.empty())
          .token();
    }
  }

  private static Connection connect(RunningServer server, String token) throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", token);
    return DriverManager.getConnection(server.jdbcUrl(), p);
  }

  /** Polls the history as the token's user until {@code ready} holds, for up to 30 s. */
  private static Map<String, Map<String, Object>> awaitHistory(
      RunningServer server, String token, Predicate<List<Map<String, Object>>> ready)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<Map<String, Object>> rows;
      try (Connection c = connect(server, token);
          Statement s = c.createStatement()) {
        rows = rows(s, HISTORY);
      }
      if (ready.test(rows)) {
        return byText(rows);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the history never showed the statements: " + rows);
      }
      Thread.sleep(20);
    }
  }

  private static List<Map<String, Object>> rows(Statement s, String sql) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= columns; i++) {
          String name = rs.getMetaData().getColumnName(i);
          Object value =
              name.endsWith("_time")
                  ? Optional.ofNullable(rs.getTimestamp(i)).map(t -> t.toInstant()).orElse(null)
                  : rs.getObject(i);
          row.put(name, value);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Rows by statement text; the newest wins (rows come newest first). */
  private static Map<String, Map<String, Object>> byText(List<Map<String, Object>> rows) {
    Map<String, Map<String, Object>> byText = new HashMap<>();
    for (Map<String, Object> row : rows) {
      byText.putIfAbsent((String) row.get("statement_text"), row);
    }
    assertNotNull(byText);
    return byText;
  }
}
