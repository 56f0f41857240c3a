package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.results.cache.ResultCache;
import io.aquifer.results.cache.ResultCacheMetrics;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.KernelDeltaTables;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query result cache through the Arrow Flight SQL JDBC driver: a repeated query is answered
 * from the cache however it is spelled; a table change by Aquifer or by another Delta writer is
 * never answered stale; entries survive a restart and are answered without starting the warehouse;
 * {@code SET use_cached_result = false} bypasses it; the query history marks hits.
 */
class ResultCacheEndToEndTest {
  private static final Map<String, String> CACHE_ON = Map.of(ServerConfig.RESULT_CACHE, "true");

  @TempDir Path dataDirectory;

  @Test
  void repeatedQueriesHitUntilTheTableChanges() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA rc");
      s.execute("CREATE TABLE rc.t (id BIGINT, name STRING)");
      s.execute("INSERT INTO rc.t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      ResultCache cache = cache(server);

      String first = "SELECT id, name FROM rc.t WHERE id >= 2 ORDER BY id";
      assertEquals(List.of("2:b", "3:c"), rows(s, first));
      long hits = cache.metrics().hits();
      // Whitespace, keyword case and a table alias do not change the plan.
      assertEquals(
          List.of("2:b", "3:c"),
          rows(s, "select  x.id,\n x.name from rc.t AS x where x.id >= 2 order by x.id"));
      assertEquals(hits + 1, cache.metrics().hits(), "the respelled query is a hit");

      // An INSERT makes a new version: the next run is a miss and sees the new row.
      s.execute("INSERT INTO rc.t VALUES (4, 'd')");
      long misses = cache.metrics().misses();
      assertEquals(List.of("2:b", "3:c", "4:d"), rows(s, first));
      assertEquals(misses + 1, cache.metrics().misses());
      assertEquals(List.of("2:b", "3:c", "4:d"), rows(s, first));
      assertEquals(hits + 2, cache.metrics().hits());

      // Another Delta writer removes every file: the cached answer must not be served.
      URI location = server.server().gateway().tableLocation("main", "rc", "t").orElseThrow();
      KernelDeltaTables otherWriter = new KernelDeltaTables();
      DeltaSnapshot before = otherWriter.latest(location);
      otherWriter.commit(
          location,
          new CommitRequest(before.version(), "DELETE", Map.of(), List.of(), before.files(), true));
      assertEquals(List.of(), rows(s, first), "an external commit is seen at once");

      // SET use_cached_result = false: neither answered from nor counted as a lookup.
      s.execute("SET use_cached_result = false");
      long lookups = cache.metrics().hits() + cache.metrics().misses();
      assertEquals(List.of(), rows(s, first));
      assertEquals(lookups, cache.metrics().hits() + cache.metrics().misses());
      assertEquals("false", single(s, "SET use_cached_result"));
      s.execute("SET use_cached_result = true");

      // Non-deterministic functions are never cached.
      long bypassed = cache.metrics().bypassed();
      rows(s, "SELECT id, current_timestamp() AS now FROM rc.t");
      rows(s, "SELECT id, current_timestamp() AS now FROM rc.t");
      assertEquals(bypassed + 2, cache.metrics().bypassed());

      // A bad value is refused with the settings error.
      SQLException bad =
          org.junit.jupiter.api.Assertions.assertThrows(
              SQLException.class, () -> s.execute("SET use_cached_result = maybe"));
      assertTrue(bad.getMessage().contains("true or false"), bad.getMessage());
    }
  }

  @Test
  void catalogChangesBetweenIdenticalTextsAreNeverAnsweredStale() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      ResultCache cache = cache(server);
      s.execute("CREATE SCHEMA rc");
      s.execute("CREATE TABLE rc.t (id BIGINT)");
      s.execute("INSERT INTO rc.t VALUES (1), (2)");
      String query = "SELECT count(*) AS n, max(id) AS m FROM rc.t";
      assertEquals(List.of("2:2"), rows(s, query));
      long hits = cache.metrics().hits();
      assertEquals(List.of("2:2"), rows(s, query));
      assertEquals(hits + 1, cache.metrics().hits(), "the same text twice is a hit");

      // DROP and CREATE a table of the same name, at the same Delta version (create, one insert).
      s.execute("DROP TABLE rc.t");
      s.execute("CREATE TABLE rc.t (id BIGINT)");
      s.execute("INSERT INTO rc.t VALUES (1), (7), (9)");
      assertEquals(List.of("3:9"), rows(s, query), "a replaced table is not answered stale");

      // RENAME the table away and create another under its name.
      s.execute("ALTER TABLE rc.t RENAME TO rc.t_old");
      s.execute("CREATE TABLE rc.t (id BIGINT)");
      s.execute("INSERT INTO rc.t VALUES (5)");
      assertEquals(List.of("1:5"), rows(s, query), "a renamed table is not answered stale");

      // CREATE OR REPLACE VIEW between two identical texts.
      String viewQuery = "SELECT count(*) AS n, max(id) AS m FROM rc.v";
      s.execute("CREATE VIEW rc.v AS SELECT id FROM rc.t_old WHERE id > 5");
      assertEquals(List.of("2:9"), rows(s, viewQuery));
      hits = cache.metrics().hits();
      assertEquals(List.of("2:9"), rows(s, viewQuery));
      assertEquals(hits + 1, cache.metrics().hits(), "the view query twice is a hit");
      s.execute("CREATE OR REPLACE VIEW rc.v AS SELECT id FROM rc.t_old WHERE id < 5");
      assertEquals(List.of("1:1"), rows(s, viewQuery), "a replaced view is not answered stale");
    }
  }

  @Test
  void anEntrySurvivesARestartAndAnswersWithoutStartingTheWarehouse() throws Exception {
    String query = "SELECT sum(id) AS total, count(*) AS n FROM rc.t";
    String originId;
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA rc");
      s.execute("CREATE TABLE rc.t (id BIGINT)");
      s.execute("INSERT INTO rc.t VALUES (1), (2), (3)");
      assertEquals(List.of("6:3"), rows(s, query));
      originId = lastStatementId(server, query);
    }
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON)) {
      assertEquals(WarehouseState.STOPPED, starter(server));
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        assertEquals(List.of("6:3"), rows(s, query));
      }
      ResultCacheMetrics metrics = cache(server).metrics();
      assertEquals(1, metrics.hits(), "answered from the entry written before the restart");
      assertEquals(WarehouseState.STOPPED, starter(server), "a hit does not start the warehouse");

      Map<String, Object> entry = awaitHistoryEntry(server, query);
      assertEquals(true, entry.get("from_result_cache"));
      assertEquals(originId, entry.get("cache_origin_statement_id"));
    }
  }

  /**
   * A repeated text is answered without being planned again (the remembered plan's result cache
   * key): what would change the plan must still be seen at once.
   */
  @Test
  void aRepeatedTextThatIsNotPlannedAgainStillSeesEveryChange() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON)) {
      String bobToken = QueryHistoryEndToEndTest.createUserToken(server, "bob");
      ResultCache cache = cache(server);
      java.util.Properties p = new java.util.Properties();
      p.setProperty("token", bobToken);
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          Connection bobConnection = java.sql.DriverManager.getConnection(server.jdbcUrl(), p);
          Statement bob = bobConnection.createStatement()) {
        s.execute("CREATE SCHEMA rc");
        s.execute("CREATE TABLE rc.t (id BIGINT, ts TIMESTAMP)");
        s.execute("INSERT INTO rc.t VALUES (1, TIMESTAMP '2024-01-01 12:00:00')");
        s.execute("GRANT USE CATALOG ON CATALOG main TO `bob`");
        s.execute("GRANT USE SCHEMA ON SCHEMA rc TO `bob`");
        s.execute("GRANT SELECT ON TABLE rc.t TO `bob`");
        String query = "SELECT id FROM rc.t ORDER BY id";

        // REVOKE: bob's next run of the same text is refused, not answered from the cache.
        assertEquals(List.of("1"), rows(bob, query));
        long hits = cache.metrics().hits();
        assertEquals(List.of("1"), rows(bob, query));
        assertEquals(List.of("1"), rows(bob, query));
        assertEquals(hits + 2, cache.metrics().hits(), "bob's repeated text is a hit");
        s.execute("REVOKE SELECT ON TABLE rc.t FROM `bob`");
        SQLException refused =
            org.junit.jupiter.api.Assertions.assertThrows(
                SQLException.class, () -> rows(bob, query));
        assertTrue(
            String.valueOf(refused.getMessage())
                .toUpperCase(java.util.Locale.ROOT)
                .contains("PERMISSION"),
            refused.getMessage());

        // The same through Avatica's remote driver, which runs a text without preparing it first.
        s.execute("GRANT SELECT ON TABLE rc.t TO `bob`");
        java.util.Properties a = new java.util.Properties();
        a.setProperty("token", bobToken);
        try (Connection avatica =
                java.sql.DriverManager.getConnection(
                    "jdbc:avatica:remote:url=" + server.avaticaUrl() + ";serialization=protobuf",
                    a);
            Statement bobAvatica = avatica.createStatement()) {
          assertEquals(List.of("1"), rows(bobAvatica, query));
          hits = cache.metrics().hits();
          assertEquals(List.of("1"), rows(bobAvatica, query));
          assertEquals(hits + 1, cache.metrics().hits(), "bob's repeated text is a hit");
          s.execute("REVOKE SELECT ON TABLE rc.t FROM `bob`");
          SQLException refusedToo =
              org.junit.jupiter.api.Assertions.assertThrows(
                  SQLException.class, () -> rows(bobAvatica, query));
          assertTrue(
              String.valueOf(refusedToo.getMessage())
                  .toUpperCase(java.util.Locale.ROOT)
                  .contains("PERMISSION"),
              refusedToo.getMessage());
        }

        // INSERT between hits of the same text.
        assertEquals(List.of("1"), rows(s, query));
        assertEquals(List.of("1"), rows(s, query));
        s.execute("INSERT INTO rc.t VALUES (2, TIMESTAMP '2024-01-01 12:00:00')");
        assertEquals(List.of("1", "2"), rows(s, query), "an INSERT is seen at once");
        assertEquals(List.of("1", "2"), rows(s, query));

        // Another Delta writer's commit between hits of the same text.
        hits = cache.metrics().hits();
        assertEquals(List.of("1", "2"), rows(s, query));
        assertEquals(hits + 1, cache.metrics().hits());
        URI location = server.server().gateway().tableLocation("main", "rc", "t").orElseThrow();
        KernelDeltaTables otherWriter = new KernelDeltaTables();
        DeltaSnapshot before = otherWriter.latest(location);
        otherWriter.commit(
            location,
            new CommitRequest(
                before.version(), "DELETE", Map.of(), List.of(), before.files(), true));
        assertEquals(List.of(), rows(s, query), "an external commit is seen at once");
        s.execute("INSERT INTO rc.t VALUES (3, TIMESTAMP '2024-01-01 12:00:00')");

        // SET TIME ZONE between hits of the same text changes the answer.
        String local = "SELECT id, CAST(ts AS STRING) AS t FROM rc.t";
        s.execute("SET TIME ZONE 'UTC'");
        List<String> utc = rows(s, local);
        assertEquals(utc, rows(s, local));
        s.execute("SET TIME ZONE 'Asia/Tokyo'");
        List<String> tokyo = rows(s, local);
        assertFalse(utc.equals(tokyo), "the time zone changes the answer: " + utc + " " + tokyo);
        s.execute("SET TIME ZONE 'UTC'");
        assertEquals(utc, rows(s, local));

        // use_cached_result = false between hits of the same text: not looked up.
        s.execute("SET use_cached_result = false");
        long lookups = cache.metrics().hits() + cache.metrics().misses();
        assertEquals(List.of("3"), rows(s, query));
        assertEquals(lookups, cache.metrics().hits() + cache.metrics().misses());
        s.execute("SET use_cached_result = true");

        // A prepared statement run again is a hit, and sees an INSERT.
        try (java.sql.PreparedStatement ps = c.prepareStatement(query)) {
          assertEquals(List.of("3"), rows(ps));
          hits = cache.metrics().hits();
          assertEquals(List.of("3"), rows(ps));
          assertEquals(hits + 1, cache.metrics().hits());
          s.execute("INSERT INTO rc.t VALUES (4, TIMESTAMP '2024-01-01 12:00:00')");
          assertEquals(List.of("3", "4"), rows(ps));
        }

        // What the driver learns when it prepares a repeated text (columns) follows a view change.
        s.execute("CREATE VIEW rc.v AS SELECT id FROM rc.t");
        String star = "SELECT * FROM rc.v";
        for (int i = 0; i < 3; i++) {
          try (ResultSet rs = s.executeQuery(star)) {
            assertEquals(1, rs.getMetaData().getColumnCount());
          }
        }
        s.execute("CREATE OR REPLACE VIEW rc.v AS SELECT id, ts FROM rc.t");
        try (ResultSet rs = s.executeQuery(star)) {
          assertEquals(2, rs.getMetaData().getColumnCount(), "the replaced view's columns");
          assertTrue(rs.next());
          assertEquals("2024-01-01", rs.getString(2).substring(0, 10));
        }
      }
    }
  }

  /**
   * Without the result cache (the session turned it off) a repeated text runs its kept plan instead
   * of being planned again: what would change the plan must still be seen at once.
   */
  @Test
  void aRepeatedTextRunsItsKeptPlanAndStillSeesEveryChange() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON)) {
      String bobToken = QueryHistoryEndToEndTest.createUserToken(server, "bob");
      java.util.Properties p = new java.util.Properties();
      p.setProperty("token", bobToken);
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          Connection bobConnection = java.sql.DriverManager.getConnection(server.jdbcUrl(), p);
          Statement bob = bobConnection.createStatement()) {
        s.execute("CREATE SCHEMA pm");
        s.execute("CREATE TABLE pm.t (id BIGINT, ts TIMESTAMP)");
        s.execute("INSERT INTO pm.t VALUES (1, TIMESTAMP '2024-01-01 12:00:00')");
        s.execute("GRANT USE CATALOG ON CATALOG main TO `bob`");
        s.execute("GRANT USE SCHEMA ON SCHEMA pm TO `bob`");
        s.execute("GRANT SELECT ON TABLE pm.t TO `bob`");
        s.execute("SET use_cached_result = false");
        bob.execute("SET use_cached_result = false");
        String query = "SELECT id FROM pm.t ORDER BY id";

        // Repeated: planned once, then run from the kept plan.
        assertEquals(List.of("1"), rows(bob, query));
        long reused = server.server().gateway().plansReused();
        assertEquals(List.of("1"), rows(bob, query));
        assertEquals(List.of("1"), rows(bob, query));
        assertEquals(reused + 2, server.server().gateway().plansReused(), "the plan was kept");

        // REVOKE: bob's next run of the same text is refused.
        s.execute("REVOKE SELECT ON TABLE pm.t FROM `bob`");
        SQLException refused =
            org.junit.jupiter.api.Assertions.assertThrows(
                SQLException.class, () -> rows(bob, query));
        assertTrue(
            String.valueOf(refused.getMessage())
                .toUpperCase(java.util.Locale.ROOT)
                .contains("PERMISSION"),
            refused.getMessage());
        s.execute("GRANT SELECT ON TABLE pm.t TO `bob`");

        // A row filter added between runs of the same text holds at once.
        assertEquals(List.of("1"), rows(bob, query));
        assertEquals(List.of("1"), rows(bob, query));
        s.execute("INSERT INTO pm.t VALUES (2, TIMESTAMP '2024-01-01 12:00:00')");
        assertEquals(List.of("1", "2"), rows(bob, query), "an INSERT is seen at once");
        s.execute("CREATE FUNCTION pm.only_two(id BIGINT) RETURNS BOOLEAN RETURN id = 2");
        s.execute("ALTER TABLE pm.t SET ROW FILTER pm.only_two ON (id)");
        assertEquals(List.of("2"), rows(bob, query), "the row filter holds at once");
        s.execute("ALTER TABLE pm.t DROP ROW FILTER");
        assertEquals(List.of("1", "2"), rows(bob, query));

        // Another Delta writer's commit between runs of the same text.
        reused = server.server().gateway().plansReused();
        assertEquals(List.of("1", "2"), rows(bob, query));
        assertEquals(reused + 1, server.server().gateway().plansReused());
        URI location = server.server().gateway().tableLocation("main", "pm", "t").orElseThrow();
        KernelDeltaTables otherWriter = new KernelDeltaTables();
        DeltaSnapshot before = otherWriter.latest(location);
        otherWriter.commit(
            location,
            new CommitRequest(
                before.version(), "DELETE", Map.of(), List.of(), before.files(), true));
        assertEquals(List.of(), rows(bob, query), "an external commit is seen at once");
        s.execute("INSERT INTO pm.t VALUES (3, TIMESTAMP '2024-01-01 12:00:00')");

        // SET TIME ZONE between runs of the same text changes the answer.
        String local = "SELECT id, CAST(ts AS STRING) AS t FROM pm.t";
        s.execute("SET TIME ZONE 'UTC'");
        List<String> utc = rows(s, local);
        assertEquals(utc, rows(s, local));
        s.execute("SET TIME ZONE 'Asia/Tokyo'");
        List<String> tokyo = rows(s, local);
        assertFalse(utc.equals(tokyo), "the time zone changes the answer: " + utc + " " + tokyo);

        // A view replaced between runs of the same text.
        s.execute("CREATE VIEW pm.v AS SELECT id FROM pm.t");
        String star = "SELECT * FROM pm.v";
        for (int i = 0; i < 3; i++) {
          try (ResultSet rs = s.executeQuery(star)) {
            assertEquals(1, rs.getMetaData().getColumnCount());
          }
        }
        s.execute("CREATE OR REPLACE VIEW pm.v AS SELECT id, ts FROM pm.t");
        try (ResultSet rs = s.executeQuery(star)) {
          assertEquals(2, rs.getMetaData().getColumnCount(), "the replaced view's columns");
          assertTrue(rs.next());
          assertEquals("2024-01-01", rs.getString(2).substring(0, 10));
        }

        // A time-dependent query is never kept.
        reused = server.server().gateway().plansReused();
        for (int i = 0; i < 3; i++) {
          rows(s, "SELECT current_timestamp() AS now, id FROM pm.t");
        }
        assertEquals(reused, server.server().gateway().plansReused(), "never kept");
      }
    }
  }

  /**
   * A BI tool opens a connection per query: a second connection of the same user, with the same
   * current schema and settings, runs the first one's kept plan (and its prepare's answer); another
   * user, another current schema or a session with temporary views plans its own, and grants, row
   * filters and column masks still hold.
   */
  @Test
  void connectionsOfOneUserShareKeptPlansWhereNothingTellsThemApart() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON)) {
      String bobToken = QueryHistoryEndToEndTest.createUserToken(server, "bob");
      String carolToken = QueryHistoryEndToEndTest.createUserToken(server, "carol");
      io.aquifer.gateway.Gateway gateway = server.server().gateway();
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA xs");
        s.execute("CREATE SCHEMA xs2");
        s.execute("CREATE SCHEMA xs3");
        s.execute("CREATE TABLE xs.t (id BIGINT, secret STRING)");
        s.execute("INSERT INTO xs.t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        s.execute("CREATE TABLE xs2.t (id BIGINT, secret STRING)");
        s.execute("INSERT INTO xs2.t VALUES (10, 'z')");
        s.execute("CREATE TABLE xs.other (id BIGINT, secret STRING)");
        s.execute("INSERT INTO xs.other VALUES (100, 'o')");
        for (String user : List.of("bob", "carol")) {
          s.execute("GRANT USE CATALOG ON CATALOG main TO `" + user + "`");
          s.execute("GRANT USE SCHEMA, SELECT ON SCHEMA main.xs TO `" + user + "`");
          s.execute("GRANT USE SCHEMA, SELECT ON SCHEMA main.xs2 TO `" + user + "`");
          s.execute("GRANT USE SCHEMA ON SCHEMA main.xs3 TO `" + user + "`");
        }
        s.execute(
            "CREATE FUNCTION xs.mask_secret(v STRING) RETURNS STRING"
                + " RETURN CASE WHEN current_user() = 'bob' THEN v ELSE '***' END");
        s.execute("ALTER TABLE xs.t ALTER COLUMN secret SET MASK xs.mask_secret");
        s.execute(
            "CREATE FUNCTION xs.carol_sees_one(id BIGINT) RETURNS BOOLEAN"
                + " RETURN current_user() <> 'carol' OR id = 1");
        s.execute("ALTER TABLE xs.t SET ROW FILTER xs.carol_sees_one ON (id)");
      }
      String query = "SELECT id, secret FROM t ORDER BY id";

      // bob's first connection plans the text; his second runs that plan, prepare included.
      assertEquals(List.of("1|a", "2|b", "3|c"), run(server, bobToken, "xs", query, null));
      long plans = gateway.plansReused();
      long prepares = gateway.preparedReused();
      assertEquals(List.of("1|a", "2|b", "3|c"), run(server, bobToken, "xs", query, null));
      assertEquals(plans + 1, gateway.plansReused(), "a new connection runs the kept plan");
      // The second prepare, with the plan known, was remembered: the third is answered from it.
      assertEquals(List.of("1|a", "2|b", "3|c"), run(server, bobToken, "xs", query, null));
      assertEquals(plans + 2, gateway.plansReused());
      assertTrue(gateway.preparedReused() > prepares, "a new connection's prepare is answered");

      // carol: same text, same schema, her own plan, her row filter and mask.
      long planned = gateway.queriesPlanned();
      assertEquals(List.of("1|***"), run(server, carolToken, "xs", query, null));
      assertEquals(planned + 1, gateway.queriesPlanned(), "another user plans her own");
      assertEquals(List.of("1|***"), run(server, carolToken, "xs", query, null));
      assertEquals(planned + 1, gateway.queriesPlanned(), "and then shares it with herself");

      // Another current schema: another table, not bob's plan for xs.
      planned = gateway.queriesPlanned();
      assertEquals(List.of("10|z"), run(server, bobToken, "xs2", query, null));
      assertEquals(planned + 1, gateway.queriesPlanned(), "another current schema plans its own");

      // A temporary view named t (one-part names reach it before the current schema's tables) is
      // its session's own: a session without it does not get its plan.
      planned = gateway.queriesPlanned();
      assertEquals(
          List.of("100|o"),
          run(
              server,
              bobToken,
              "xs3",
              query,
              "CREATE TEMPORARY VIEW t AS SELECT id, secret FROM main.xs.other"));
      assertEquals(
          planned + 1, gateway.queriesPlanned(), "a session with a temporary view plans its own");
      SQLException notFound =
          org.junit.jupiter.api.Assertions.assertThrows(
              SQLException.class, () -> run(server, bobToken, "xs3", query, null));
      assertTrue(
          String.valueOf(notFound.getMessage()).contains("NOT_FOUND"), notFound.getMessage());
      // (CREATE TEMPORARY VIEW changes only its session's key: the shared plan is still kept.)
      assertEquals(List.of("1|a", "2|b", "3|c"), run(server, bobToken, "xs", query, null));
      plans = gateway.plansReused();
      assertEquals(List.of("1|a", "2|b", "3|c"), run(server, bobToken, "xs", query, null));
      assertEquals(plans + 1, gateway.plansReused(), "the shared plan reads bob's table");

      // REVOKE between runs: bob's next connection is refused.
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("REVOKE SELECT ON SCHEMA main.xs FROM `bob`");
      }
      SQLException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              SQLException.class, () -> run(server, bobToken, "xs", query, null));
      assertTrue(
          String.valueOf(refused.getMessage())
              .toUpperCase(java.util.Locale.ROOT)
              .contains("PERMISSION"),
          refused.getMessage());
      assertEquals(List.of("1|***"), run(server, carolToken, "xs", query, null));
    }
  }

  /**
   * Runs {@code query} on a new connection of the token's user with the result cache off, in {@code
   * schema}, after {@code setup} if any: its rows as {@code id|secret}.
   */
  private static List<String> run(
      RunningServer server, String token, String schema, String query, String setup)
      throws SQLException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("token", token);
    try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), p);
        Statement s = c.createStatement()) {
      s.execute("SET use_cached_result = false");
      s.execute("USE SCHEMA " + schema);
      if (setup != null) {
        s.execute(setup);
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(query)) {
        while (rs.next()) {
          rows.add(rs.getString(1) + "|" + rs.getString(2));
        }
      }
      return rows;
    }
  }

  private static List<String> rows(java.sql.PreparedStatement ps) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  @Test
  void principalsDoNotShareEntries() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON)) {
      String bobToken = QueryHistoryEndToEndTest.createUserToken(server, "bob");
      ResultCache cache = cache(server);
      String query = "SELECT 42 AS answer, 'x' AS tag";
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        assertEquals(List.of("42:x"), rows(s, query));
        assertEquals(List.of("42:x"), rows(s, query));
      }
      assertEquals(1, cache.metrics().hits());
      java.util.Properties p = new java.util.Properties();
      p.setProperty("token", bobToken);
      try (Connection bob = java.sql.DriverManager.getConnection(server.jdbcUrl(), p);
          Statement s = bob.createStatement()) {
        assertEquals(List.of("42:x"), rows(s, query));
      }
      assertEquals(1, cache.metrics().hits(), "bob's run is not answered from admin's entry");
      assertEquals(2, cache.metrics().misses());
    }
  }

  @Test
  void concurrentIdenticalQueriesComputeOnce() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON)) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA rc");
        s.execute("CREATE TABLE rc.t (id BIGINT)");
        s.execute(
            "INSERT INTO rc.t VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11),"
                + " (12), (13), (14)");
      }
      ResultCache cache = cache(server);
      long stores = cache.metrics().stores();
      String query = "SELECT id % 7 AS k, count(*) AS n FROM rc.t GROUP BY id % 7 ORDER BY k";
      int clients = 4;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<List<String>>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          Callable<List<String>> run =
              () -> {
                try (Connection c = server.connect();
                    Statement s = c.createStatement()) {
                  return rows(s, query);
                }
              };
          results.add(pool.submit(run));
        }
        List<String> expected = results.get(0).get();
        assertEquals(7, expected.size());
        assertEquals("0:2", expected.get(0));
        for (Future<List<String>> f : results) {
          assertEquals(expected, f.get());
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(stores + 1, cache.metrics().stores(), "computed and stored once");
    }
  }

  @Test
  void metricsTableAndCacheClear() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, CACHE_ON);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA rc");
      s.execute("CREATE TABLE rc.t (id BIGINT)");
      s.execute("INSERT INTO rc.t VALUES (1), (2)");
      String query = "SELECT count(*) FROM rc.t";
      rows(s, query);
      rows(s, query);
      assertEquals(
          List.of("true:1:1:0.5"),
          rows(s, "SELECT enabled, hits, misses, hit_rate FROM system.cache.result_cache"));
      ResultCache cache = cache(server);
      cache.drainWrites();
      assertEquals(1, cache.durableEntries());

      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.PrintStream oldOut = System.out;
      int code;
      try {
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        code =
            new picocli.CommandLine(new AquiferCommand())
                .execute("cache", "clear", "--data-dir=" + dataDirectory);
      } finally {
        System.setOut(oldOut);
      }
      assertEquals(0, code);
      assertTrue(
          out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("1 entries"),
          out.toString());
      assertEquals(0, cache.durableEntries());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (cache.metrics().memoryEntries() > 0) {
        assertFalse(System.nanoTime() > deadline, "the running server never dropped its entries");
        Thread.sleep(20);
      }
      long misses = cache.metrics().misses();
      rows(s, query);
      assertEquals(misses + 1, cache.metrics().misses(), "cleared: the query runs again");
    }
  }

  static ResultCache cache(RunningServer server) {
    return server.server().gateway().resultCache().orElseThrow();
  }

  private static WarehouseState starter(RunningServer server) {
    return server.server().warehouseStore().resolve(WarehouseSpec.STARTER_NAME).state();
  }

  static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? ":" : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(2);
    }
  }

  private static String lastStatementId(RunningServer server, String sql) throws Exception {
    Object id = awaitHistoryEntry(server, sql).get("statement_id");
    assertNotNull(id);
    return (String) id;
  }

  /** The newest history entry of {@code sql}, waiting for the asynchronous history to show it. */
  private static Map<String, Object> awaitHistoryEntry(RunningServer server, String sql)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT statement_id, from_result_cache, cache_origin_statement_id"
                    + " FROM system.query.history WHERE statement_text = '"
                    + sql.replace("'", "''")
                    + "' ORDER BY end_time DESC LIMIT 1")) {
          if (rs.next()) {
            return Map.of(
                "statement_id", rs.getString(1),
                "from_result_cache", rs.getBoolean(2),
                "cache_origin_statement_id", String.valueOf(rs.getString(3)));
          }
        }
      }
      assertFalse(System.nanoTime() > deadline, "the history never showed " + sql);
      Thread.sleep(20);
    }
  }
}
