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
