package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session temporary views through the Arrow Flight SQL JDBC driver: each connection is its own
 * session, which alone sees the temporary views it created, until it closes.
 */
class TemporaryViewTest {
  @TempDir static Path dataDirectory;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(dataDirectory);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA tv");
      s.execute("CREATE TABLE tv.nums (n BIGINT)");
      s.execute("INSERT INTO tv.nums VALUES (1), (2), (3), (4)");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void visibleOnlyInItsSessionAndGoneWhenItCloses() throws Exception {
    try (Connection first = server.connect();
        Connection second = server.connect();
        Statement a = first.createStatement();
        Statement b = second.createStatement()) {
      a.execute("CREATE TEMPORARY VIEW evens AS SELECT n FROM tv.nums WHERE n % 2 = 0");
      assertEquals(2, count(a, "SELECT count(*) FROM evens"));
      assertEquals(6, count(a, "SELECT sum(n) FROM EVENS"), "names ignore case");
      try (PreparedStatement p = first.prepareStatement("SELECT n FROM evens WHERE n > ?")) {
        p.setLong(1, 2);
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(4, rs.getLong(1));
          assertFalse(rs.next());
        }
      }

      SQLException hidden =
          assertThrows(SQLException.class, () -> count(b, "SELECT count(*) FROM evens"));
      assertTrue(hidden.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), hidden.getMessage());
      b.execute("CREATE TEMP VIEW evens AS SELECT n FROM tv.nums WHERE n > 10");
      assertEquals(0, count(b, "SELECT count(*) FROM evens"), "each session has its own");
      assertEquals(2, count(a, "SELECT count(*) FROM evens"));

      SQLException exists =
          assertThrows(
              SQLException.class, () -> a.execute("CREATE TEMPORARY VIEW evens AS SELECT 1 AS n"));
      assertTrue(
          exists.getMessage().contains("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS"), exists.getMessage());
      assertEquals(2, count(a, "SELECT count(*) FROM evens"), "a failed CREATE changes nothing");
      a.execute("CREATE OR REPLACE TEMP VIEW evens AS SELECT n FROM tv.nums WHERE n <= 2");
      assertEquals(3, count(a, "SELECT sum(n) FROM evens"));

      SQLException qualified =
          assertThrows(
              SQLException.class, () -> a.execute("CREATE TEMPORARY VIEW tv.v AS SELECT 1 AS x"));
      assertTrue(
          qualified.getMessage().contains("TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS"),
          qualified.getMessage());
      assertThrows(SQLException.class, () -> count(a, "SELECT count(*) FROM tv.v"));
      SQLException table =
          assertThrows(
              SQLException.class, () -> a.execute("CREATE TEMPORARY TABLE tmp AS SELECT 1 AS x"));
      assertTrue(table.getMessage().contains("only views can be TEMPORARY"), table.getMessage());
      assertThrows(SQLException.class, () -> a.execute("CREATE TEMP TABLE tmp (x INT)"));
      assertThrows(SQLException.class, () -> count(a, "SELECT count(*) FROM tmp"));
      SQLException notQuery =
          assertThrows(
              SQLException.class, () -> a.execute("CREATE TEMPORARY VIEW bad AS SELECT nope"));
      assertTrue(notQuery.getMessage().contains("UNRESOLVED_COLUMN"), notQuery.getMessage());

      SQLException persistent =
          assertThrows(
              SQLException.class,
              () -> a.execute("CREATE VIEW tv.over_temp AS SELECT n FROM evens"));
      assertTrue(
          persistent.getMessage().contains("INVALID_TEMP_OBJ_REFERENCE"), persistent.getMessage());
      assertThrows(SQLException.class, () -> count(b, "SELECT count(*) FROM tv.over_temp"));
      a.execute("CREATE VIEW tv.over_table AS SELECT n FROM tv.nums");
      assertEquals(4, count(b, "SELECT count(*) FROM tv.over_table"));

      a.execute("DROP VIEW evens");
      assertThrows(SQLException.class, () -> count(a, "SELECT count(*) FROM evens"));
      assertEquals(0, count(b, "SELECT count(*) FROM evens"), "the other session's stays");
      assertFalse(tableListed(first, "evens"), "a temporary view is not in the catalog");
    }
    try (Connection again = server.connect();
        Statement s = again.createStatement()) {
      SQLException gone =
          assertThrows(SQLException.class, () -> count(s, "SELECT count(*) FROM evens"));
      assertTrue(gone.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), gone.getMessage());
    }
  }

  /**
   * As in Spark, a one-part name finds the session's temporary view before a table of the current
   * schema with the same name; {@code schema.t} and {@code catalog.schema.t} still name the table,
   * and a permanent view over the table still reads the table. Creating or dropping a temporary
   * view, SHOW, DESCRIBE and EXPLAIN leave other sessions' kept plans alone.
   */
  @Test
  void aTemporaryViewShadowsATableOfTheSameOnePartName() throws Exception {
    io.aquifer.gateway.Gateway gateway = server.server().gateway();
    try (Connection first = server.connect();
        Connection second = server.connect();
        Statement a = first.createStatement();
        Statement b = second.createStatement()) {
      a.execute("CREATE TABLE tv.shadowed (n BIGINT)");
      a.execute("INSERT INTO tv.shadowed VALUES (1), (2), (3)");
      a.execute("USE SCHEMA tv");
      a.execute("CREATE VIEW tv.over_shadowed AS SELECT n FROM shadowed");
      b.execute("USE SCHEMA tv");
      b.execute("SET use_cached_result = false");
      String other = "SELECT count(*) AS other_session FROM shadowed";
      assertEquals(3, count(b, other));

      a.execute("CREATE TEMPORARY VIEW shadowed AS SELECT 10 AS n");
      assertEquals(1, count(a, "SELECT count(*) FROM shadowed"), "the temporary view");
      assertEquals(10, count(a, "SELECT max(n) FROM shadowed"));
      assertEquals(3, count(a, "SELECT count(*) FROM tv.shadowed"), "schema.t: the table");
      assertEquals(3, count(a, "SELECT count(*) FROM main.tv.shadowed"), "the table");
      assertEquals(3, count(a, "SELECT count(*) FROM tv.over_shadowed"), "a view reads the table");
      assertEquals(3, count(b, "SELECT count(*) FROM shadowed"), "another session: the table");

      // The other session's kept plan survives temporary views, SHOW, DESCRIBE and EXPLAIN.
      long planned = gateway.queriesPlanned();
      a.execute("CREATE OR REPLACE TEMPORARY VIEW shadowed AS SELECT 20 AS n");
      assertEquals(20, count(a, "SELECT max(n) FROM shadowed"), "the replaced temporary view");
      a.execute("SHOW TABLES IN tv");
      a.execute("DESCRIBE TABLE tv.shadowed");
      a.execute("EXPLAIN SELECT * FROM tv.shadowed");
      a.execute("DROP VIEW shadowed");
      assertEquals(3, count(a, "SELECT count(*) FROM shadowed"), "dropped: the table again");
      long theirs = gateway.queriesPlanned();
      assertEquals(3, count(b, other));
      assertEquals(theirs, gateway.queriesPlanned(), "not planned again");
      assertTrue(theirs > planned, "the first session's own queries were planned");

      // A DROP VIEW of a permanent view still moves the generation.
      a.execute("DROP VIEW tv.over_shadowed");
      theirs = gateway.queriesPlanned();
      assertEquals(3, count(b, other));
      assertEquals(theirs + 1, gateway.queriesPlanned(), "planned again after a catalog change");
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static boolean tableListed(Connection c, String name) throws SQLException {
    try (ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
      return rs.next();
    }
  }
}
