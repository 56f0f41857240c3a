package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a JDBC user of the official Arrow Flight SQL driver sees, against a real server. */
class FlightSqlEndToEndTest {
  @TempDir static Path dataDirectory;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(dataDirectory);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA e2e");
      s.execute("CREATE TABLE e2e.ten (x BIGINT)");
      s.execute("INSERT INTO e2e.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
      s.execute(
          "CREATE TABLE e2e.million AS SELECT a.x * 100000 + b.x * 10000 + c.x * 1000 + d.x * 100"
              + " + e.x * 10 + f.x AS id, 'row-' || CAST(a.x AS STRING) AS label"
              + " FROM e2e.ten a, e2e.ten b, e2e.ten c, e2e.ten d, e2e.ten e, e2e.ten f");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void badTokenIsRejected() {
    Properties p = new Properties();
    p.setProperty("token", "dapi" + "0".repeat(64));
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> {
              try (Connection c = DriverManager.getConnection(server.jdbcUrl(), p);
                  Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1").next();
              }
            });
    assertTrue(
        String.valueOf(e.getMessage()).toLowerCase().contains("unauthenticated")
            || String.valueOf(e.getMessage()).toLowerCase().contains("token"),
        e.getMessage());
  }

  @Test
  void basicAuthWithTheTokenAsPassword() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "token");
    p.setProperty("password", server.token());
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 40 + 2")) {
      assertTrue(rs.next());
      assertEquals(42, rs.getInt(1));
    }
  }

  @Test
  void preparedStatementsBindParameters() throws Exception {
    try (Connection c = server.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE e2e.params (id INT, name STRING, amount DECIMAL(10,2))");
      }
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO e2e.params VALUES (?, ?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          insert.setInt(1, i);
          insert.setString(2, "name " + i);
          insert.setBigDecimal(3, new BigDecimal(i + ".25"));
          assertEquals(1, insert.executeUpdate());
        }
      }
      try (PreparedStatement query =
          c.prepareStatement("SELECT name, amount FROM e2e.params WHERE id >= ? ORDER BY id")) {
        query.setInt(1, 2);
        try (ResultSet rs = query.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("name 2", rs.getString(1));
          assertEquals(new BigDecimal("2.25"), rs.getBigDecimal(2));
          assertTrue(rs.next());
          assertFalse(rs.next());
        }
      }
      // markers in MERGE's clauses, bound by position (untyped: strings)
      try (PreparedStatement merge =
          c.prepareStatement(
              "MERGE INTO e2e.params t USING (SELECT 1 AS id) s ON t.id = s.id"
                  + " WHEN MATCHED AND t.name = ? THEN UPDATE SET name = ?"
                  + " WHEN NOT MATCHED BY SOURCE AND t.name = ? THEN DELETE")) {
        merge.setString(1, "name 1");
        merge.setString(2, "merged");
        merge.setString(3, "name 3");
        assertEquals(2, merge.executeUpdate());
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, name FROM e2e.params ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals("merged", rs.getString(2));
        assertTrue(rs.next());
        assertEquals("name 2", rs.getString(2));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void timestampParametersBind() throws Exception {
    try (Connection c = server.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE e2e.events (id INT, at TIMESTAMP)");
        s.execute(
            "INSERT INTO e2e.events VALUES (1, TIMESTAMP '2024-05-01 10:00:00'), (2, TIMESTAMP '2030-01-01 00:00:00')");
      }
      try (PreparedStatement query = c.prepareStatement("SELECT id FROM e2e.events WHERE at < ?")) {
        query.setTimestamp(1, java.sql.Timestamp.valueOf("2025-06-01 00:00:00"));
        try (ResultSet rs = query.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(1, rs.getInt(1));
          assertFalse(rs.next());
        }
      }
    }
  }

  @Test
  void everyTypeRoundTrips() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE e2e.types (b BOOLEAN, t TINYINT, sm SMALLINT, i INT, l BIGINT, f FLOAT,"
              + " d DOUBLE, dec DECIMAL(20,5), s STRING, bin BINARY, dt DATE, ts TIMESTAMP,"
              + " ntz TIMESTAMP_NTZ, arr ARRAY<INT>, m MAP<STRING, INT>, st STRUCT<a: INT, b: STRING>)");
      s.execute(
          "INSERT INTO e2e.types SELECT true, CAST(1 AS TINYINT), CAST(2 AS SMALLINT), 3, 4, CAST(1.5 AS FLOAT),"
              + " 2.25, CAST(12345.67891 AS DECIMAL(20,5)), 'text', CAST('ab' AS BINARY), DATE '2024-02-29',"
              + " TIMESTAMP '2024-05-01 10:00:00', TIMESTAMP '2024-05-01 10:00:00', ARRAY[1, 2],"
              + " MAP['k', 7], named_struct('a', 5, 'b', 'x')");
      s.execute("INSERT INTO e2e.types (b) VALUES (NULL)");

      try (ResultSet rs = s.executeQuery("SELECT * FROM e2e.types ORDER BY b NULLS LAST")) {
        assertTrue(rs.next());
        assertEquals(true, rs.getBoolean("b"));
        assertEquals(1, rs.getByte("t"));
        assertEquals(2, rs.getShort("sm"));
        assertEquals(3, rs.getInt("i"));
        assertEquals(4L, rs.getLong("l"));
        assertEquals(1.5f, rs.getFloat("f"));
        assertEquals(2.25, rs.getDouble("d"));
        assertEquals(new BigDecimal("12345.67891"), rs.getBigDecimal("dec"));
        assertEquals("text", rs.getString("s"));
        assertEquals("ab", new String(rs.getBytes("bin"), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(java.sql.Date.valueOf("2024-02-29"), rs.getDate("dt"));
        assertEquals(
            java.sql.Timestamp.valueOf("2024-05-01 10:00:00").toLocalDateTime(),
            rs.getTimestamp("ntz").toLocalDateTime());
        assertTrue(rs.getObject("ts") != null);
        assertEquals(List.of(1, 2), new ArrayList<>((List<?>) rs.getObject("arr")));
        assertTrue(
            String.valueOf(rs.getObject("m")).contains("k"), String.valueOf(rs.getObject("m")));
        assertTrue(
            String.valueOf(rs.getObject("st")).contains("\"b\":\"x\""),
            String.valueOf(rs.getObject("st")));
        assertTrue(rs.next());
        rs.getBoolean("b");
        assertTrue(rs.wasNull());
        assertEquals(null, rs.getObject("arr"));
      }
    }
  }

  @Test
  void aMillionRowsStreamInBoundedMemory() throws Exception {
    long before = server.server().gateway().allocator().getAllocatedMemory();
    long rows = 0;
    long sum = 0;
    long peak = 0;
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, label FROM e2e.million")) {
      while (rs.next()) {
        rows++;
        sum += rs.getLong(1);
        if (rows % 50_000 == 0) {
          peak =
              Math.max(peak, server.server().gateway().allocator().getAllocatedMemory() - before);
        }
      }
    }
    assertEquals(1_000_000, rows);
    assertEquals(999_999L * 1_000_000L / 2, sum);
    // The result is about 1M * (8 + ~10) bytes = 18 MB; the server holds a few batches at a time.
    assertTrue(peak < 8L << 20, "server held " + peak + " bytes while streaming");
  }

  @Test
  void cancelStopsALongQueryAndTheServerKeepsServing() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      CompletableFuture<Throwable> outcome =
          CompletableFuture.supplyAsync(
              () -> {
                try (ResultSet rs =
                    s.executeQuery(
                        "SELECT count(*) FROM e2e.million a, e2e.million b WHERE (a.id * 31 + b.id * 17) % 1000003 = 5")) {
                  rs.next();
                  return null;
                } catch (SQLException e) {
                  return e;
                }
              });
      Thread.sleep(1500);
      assertFalse(outcome.isDone(), () -> "the query should still be running: " + outcome.join());
      s.cancel();
      Throwable error = outcome.get(30, TimeUnit.SECONDS);
      assertInstanceOf(SQLException.class, error);
      assertTrue(error.getMessage().toLowerCase().contains("cancel"), error.getMessage());
    }
    // The engine stopped too, not only the client's call (bounded wait, not a timing check).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (server.server().runningEngineQueries() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(
        0, server.server().runningEngineQueries(), "the engine still runs the canceled query");
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM e2e.ten")) {
      assertTrue(rs.next());
      assertEquals(10, rs.getLong(1));
    }
  }

  @Test
  void errorsNameTheProblemTheSqlStateAndThePosition() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(
              SQLException.class, () -> s.executeQuery("SELECT x FROM e2e.ten\nWHERE nope = 1"));
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
      assertTrue(e.getMessage().contains("SQLSTATE: 42703"), e.getMessage());
      assertTrue(e.getMessage().contains("line 2, column 7"), e.getMessage());
    }
  }

  @Test
  void metadataAsDbeaverBrowsesIt() throws Exception {
    try (Connection c = server.connect()) {
      DatabaseMetaData md = c.getMetaData();
      List<String> catalogs = new ArrayList<>();
      try (ResultSet rs = md.getCatalogs()) {
        while (rs.next()) {
          catalogs.add(rs.getString("TABLE_CAT"));
        }
      }
      assertTrue(catalogs.contains("main"), catalogs.toString());
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = md.getSchemas("main", null)) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.containsAll(List.of("default", "e2e")), schemas.toString());
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables("main", "e2e", "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertTrue(tables.containsAll(List.of("ten", "million")), tables.toString());
      try (ResultSet rs = md.getColumns("main", "e2e", "million", "%")) {
        assertTrue(rs.next());
        assertEquals("id", rs.getString("COLUMN_NAME"));
        assertEquals(java.sql.Types.BIGINT, rs.getInt("DATA_TYPE"));
        assertTrue(rs.next());
        assertEquals("label", rs.getString("COLUMN_NAME"));
        assertEquals(java.sql.Types.VARCHAR, rs.getInt("DATA_TYPE"));
        assertFalse(rs.next());
      }
      try (ResultSet rs = md.getPrimaryKeys("main", "e2e", "ten")) {
        assertFalse(rs.next());
      }
      assertEquals("Aquifer", md.getDatabaseProductName());
    }
  }

  @Test
  void catalogPropertyAndUseSwitchTheSession() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE CATALOG IF NOT EXISTS other");
      s.execute("CREATE SCHEMA IF NOT EXISTS other.default");
      s.execute("CREATE TABLE IF NOT EXISTS other.default.only_here (v INT)");
      s.execute("USE SCHEMA e2e");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
    }
    // Driver 18.3 sends the catalog= property as a session option; setCatalog() stays local.
    Properties p = new Properties();
    p.setProperty("token", server.token());
    p.setProperty("catalog", "other");
    Connection c = DriverManager.getConnection(server.jdbcUrl(), p);
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM only_here")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getLong(1));
    } finally {
      try {
        c.close();
      } catch (SQLException e) {
        // Driver 18.3 closes its client twice when catalog= is set ("Channel shutdown invoked").
      }
    }
  }

  @Test
  void historyAndTimeTravelAndDataSkipping() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE e2e.hist (id INT)");
      s.execute("INSERT INTO e2e.hist VALUES (1), (2)");
      s.execute("INSERT INTO e2e.hist VALUES (10), (11)");
      s.execute("INSERT INTO e2e.hist VALUES (20), (21)");
      s.execute("UPDATE e2e.hist SET id = 12 WHERE id = 11");
      List<String> operations = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE HISTORY e2e.hist")) {
        while (rs.next()) {
          operations.add(rs.getLong("version") + ":" + rs.getString("operation"));
        }
      }
      assertEquals(
          List.of("4:UPDATE", "3:WRITE", "2:WRITE", "1:WRITE", "0:CREATE TABLE"), operations);
      try (ResultSet rs = s.executeQuery("SELECT sum(id) FROM e2e.hist VERSION AS OF 3")) {
        assertTrue(rs.next());
        assertEquals(65, rs.getLong(1));
      }
      try (ResultSet rs = s.executeQuery("EXPLAIN SELECT * FROM e2e.hist WHERE id = 21")) {
        assertTrue(rs.next());
        String plan = rs.getString(1);
        assertTrue(plan.contains("files=[1/3]"), plan);
      }
    }
  }

  /**
   * An empty result through the 18.3 driver: a PreparedStatement lists its columns once; a plain
   * Statement lists them twice, a driver bug the server cannot avoid (docs/flight-sql-jdbc.md).
   * When a driver upgrade makes the second assertion fail, update that page.
   */
  @Test
  void emptyResults() throws Exception {
    String sql = "SELECT x, x * 2 AS y FROM e2e.ten WHERE x > 100";
    try (Connection c = server.connect()) {
      try (PreparedStatement ps = c.prepareStatement(sql);
          ResultSet rs = ps.executeQuery()) {
        assertEquals(2, rs.getMetaData().getColumnCount());
        assertEquals("y", rs.getMetaData().getColumnLabel(2));
        assertFalse(rs.next());
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        assertEquals(4, rs.getMetaData().getColumnCount(), "the driver's known duplicate columns");
        assertFalse(rs.next());
      }
    }
  }

  /**
   * The driver gives SQLException no SQLSTATE; it is in the message ({@code [CLASS] ... SQLSTATE:
   * 42703}) and in the Flight status metadata of the cause, which the driver keeps.
   */
  @Test
  void sqlStateTravelsInTheMessageAndTheStatusMetadata() throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(SQLException.class, () -> s.executeQuery("SELECT nosuch FROM e2e.ten"));
      assertTrue(e.getMessage().contains("[UNRESOLVED_COLUMN]"), e.getMessage());
      assertTrue(e.getMessage().contains("SQLSTATE: 42703"), e.getMessage());
      Throwable flight = e;
      while (flight != null
          && !flight.getClass().getSimpleName().equals("FlightRuntimeException")) {
        flight = flight.getCause();
      }
      assertTrue(flight != null, "the cause chain keeps the Flight status");
      Object status = flight.getClass().getMethod("status").invoke(flight);
      Object metadata = status.getClass().getMethod("metadata").invoke(status);
      Object sqlState =
          metadata.getClass().getMethod("get", String.class).invoke(metadata, "aquifer-sqlstate");
      assertEquals("42703", sqlState);
    }
  }

  /**
   * The driver runs a query in three calls (CreatePreparedStatement, GetFlightInfo, DoGet): its
   * engine work is done once, one fragment on the node and one history row per run. Repeated with
   * the result cache bypassed, the text is planned once, by the first prepare, and neither planned
   * nor validated again: the same work per query as Avatica's prepareAndExecute.
   */
  @Test
  void aQueryRunsItsEngineWorkOnceAndARepeatIsNotPlannedAgain() throws Exception {
    String query = "SELECT x AS runs_once FROM e2e.ten WHERE x < 5 ORDER BY x";
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("SET use_cached_result = false");
      AquiferServer aquifer = server.server();
      long fragments = aquifer.engineQueriesStarted();
      assertEquals(5, readAll(s, query));
      assertEquals(fragments + 1, aquifer.engineQueriesStarted(), "one fragment for one query");

      long plans = aquifer.gateway().plansReused();
      long prepares = aquifer.gateway().preparedReused();
      long planned = aquifer.gateway().queriesPlanned();
      assertEquals(5, readAll(s, query));
      assertEquals(5, readAll(s, query));
      assertEquals(5, readAll(s, query));
      assertEquals(fragments + 4, aquifer.engineQueriesStarted(), "one fragment per run");
      assertEquals(plans + 3, aquifer.gateway().plansReused(), "the first run's plan is kept");
      assertEquals(prepares + 3, aquifer.gateway().preparedReused(), "prepared on the first only");
      assertEquals(planned, aquifer.gateway().queriesPlanned(), "no repeat is planned again");

      String history =
          "SELECT count(*) FROM system.query.history WHERE statement_text = '" + query + "'";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long recorded;
      do {
        try (ResultSet rs = s.executeQuery(history)) {
          assertTrue(rs.next());
          recorded = rs.getLong(1);
        }
      } while (recorded < 4 && System.nanoTime() < deadline);
      assertEquals(4, recorded, "one history row per run");
    }
  }

  /**
   * The driver prepares every statement it runs: a new text is planned once for its prepare and run
   * together (the prepare's plan is kept for the run), with or without the result cache, and so is
   * a PreparedStatement's first execution.
   */
  @Test
  void aNewTextIsPlannedOnceForItsPrepareAndRun() throws Exception {
    AquiferServer aquifer = server.server();
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      long planned = aquifer.gateway().queriesPlanned();
      long reused = aquifer.gateway().plansReused();
      assertEquals(3, readAll(s, "SELECT x AS planned_once FROM e2e.ten WHERE x BETWEEN 2 AND 4"));
      assertEquals(planned + 1, aquifer.gateway().queriesPlanned(), "one plan, not two");
      assertEquals(reused + 1, aquifer.gateway().plansReused(), "the run took the prepare's plan");

      s.execute("SET use_cached_result = false");
      planned = aquifer.gateway().queriesPlanned();
      assertEquals(2, readAll(s, "SELECT x AS no_cache FROM e2e.ten WHERE x IN (7, 8)"));
      assertEquals(planned + 1, aquifer.gateway().queriesPlanned(), "one plan without the cache");

      planned = aquifer.gateway().queriesPlanned();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT count(*) AS prepared_once FROM e2e.ten WHERE x > 6")) {
        assertEquals(planned + 1, aquifer.gateway().queriesPlanned(), "planned by the prepare");
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(3, rs.getLong(1));
        }
        assertEquals(planned + 1, aquifer.gateway().queriesPlanned(), "and not by the run");
      }

      // A time-dependent text's plan is never kept: its run plans it again, as every run does.
      planned = aquifer.gateway().queriesPlanned();
      assertEquals(1, readAll(s, "SELECT current_timestamp() AS now_planned"));
      assertEquals(planned + 2, aquifer.gateway().queriesPlanned(), "not kept, planned again");
    }
  }

  /**
   * A table written between a prepare and its run (by this gateway, or by another Delta writer's
   * commit) is read as it is at the run: the prepare's plan is not used then.
   */
  @Test
  void aTableChangedBetweenPrepareAndRunIsReadFresh() throws Exception {
    AquiferServer aquifer = server.server();
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE e2e.changing (x BIGINT)");
      s.execute("INSERT INTO e2e.changing VALUES (1)");
      for (String cached : List.of("true", "false")) {
        s.execute("SET use_cached_result = " + cached);
        String query = "SELECT count(*) AS n_" + cached + " FROM e2e.changing";
        try (PreparedStatement ps = c.prepareStatement(query)) {
          long before;
          try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            before = rs.getLong(1);
          }
          try (PreparedStatement again = c.prepareStatement(query)) {
            s.execute("INSERT INTO e2e.changing VALUES (2)");
            long planned = aquifer.gateway().queriesPlanned();
            try (ResultSet rs = again.executeQuery()) {
              assertTrue(rs.next());
              assertEquals(before + 1, rs.getLong(1), "the INSERT after the prepare is seen");
            }
            assertEquals(planned + 1, aquifer.gateway().queriesPlanned(), "planned afresh");
          }
        }
        // Another writer's commit between the prepare and the run.
        try (PreparedStatement ps = c.prepareStatement(query)) {
          java.net.URI location =
              aquifer.gateway().tableLocation("main", "e2e", "changing").orElseThrow();
          io.aquifer.storage.delta.KernelDeltaTables other =
              new io.aquifer.storage.delta.KernelDeltaTables();
          io.aquifer.storage.delta.DeltaSnapshot snapshot = other.latest(location);
          other.commit(
              location,
              new io.aquifer.storage.delta.CommitRequest(
                  snapshot.version(),
                  "DELETE",
                  java.util.Map.of(),
                  List.of(),
                  snapshot.files(),
                  true));
          try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(0, rs.getLong(1), "the other writer's commit is seen");
          }
        }
        s.execute("INSERT INTO e2e.changing VALUES (1)");
      }
    }
  }

  private static int readAll(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      int rows = 0;
      while (rs.next()) {
        rs.getObject(1);
        rows++;
      }
      return rows;
    }
  }
}
