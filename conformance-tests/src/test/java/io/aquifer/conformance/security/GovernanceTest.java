package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unity Catalog's privileges through the Flight SQL JDBC driver, with two tokens: the admin, and
 * bob, a user with nothing until granted. Grants take effect on the next statement, revokes too;
 * what bob may not see is absent from SHOW and the driver's metadata calls; a view reads with its
 * owner's rights; the result cache never answers bob with a result he could not compute.
 */
class GovernanceTest {
  @TempDir Path dataDirectory;

  @Test
  void grantQueryRevokeDenied() throws Exception {
    try (ConformanceServer server =
            ConformanceServer.start(dataDirectory, Map.of(ServerConfig.RESULT_CACHE, "true"));
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA sales");
      execute(admin, "CREATE TABLE sales.orders AS SELECT 1 AS id UNION ALL SELECT 2 AS id");
      execute(admin, "CREATE SCHEMA secret");
      execute(admin, "CREATE TABLE secret.t AS SELECT 42 AS x");
      execute(admin, "CREATE VIEW sales.answer AS SELECT x FROM secret.t");
      String bobToken = SecurityServer.userToken(dataDirectory, "bob");
      try (Connection bob = connect(server.jdbcUrl(), bobToken)) {
        // nothing granted: denied, naming the privilege and the object; nothing listed
        String message =
            assertFails(
                "PERMISSION_DENIED",
                "42501",
                () -> single(bob, "SELECT count(*) FROM sales.orders"));
        assertTrue(message.contains("USE CATALOG on catalog main"), message);
        assertEquals(List.of(), column(bob, "SHOW CATALOGS", 1));
        assertEquals(List.of(), column(bob, "SHOW SCHEMAS IN main", 1));
        assertEquals(List.of(), tables(bob, "%"));

        execute(admin, "GRANT USE CATALOG ON CATALOG main TO `bob`");
        execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.sales TO bob");

        assertEquals(2, single(bob, "SELECT count(*) FROM sales.orders"));
        assertEquals(List.of("main"), column(bob, "SHOW CATALOGS", 1));
        assertEquals(List.of("sales"), column(bob, "SHOW SCHEMAS IN main", 1));
        assertEquals(List.of("answer", "orders"), column(bob, "SHOW TABLES IN sales", 2));
        assertEquals(List.of("answer", "orders"), tables(bob, "%"));
        assertEquals(
            List.of("orders"),
            column(
                bob,
                "SELECT table_name FROM main.information_schema.tables"
                    + " WHERE table_schema <> 'information_schema' AND table_type <> 'VIEW'",
                1));
        // the view reads secret.t with its owner's (the admin's) rights; bob cannot read it himself
        assertEquals(42, single(bob, "SELECT x FROM sales.answer"));
        message =
            assertFails("PERMISSION_DENIED", "42501", () -> single(bob, "SELECT * FROM secret.t"));
        assertTrue(message.contains("USE SCHEMA on schema main.secret"), message);
        assertFails("PERMISSION_DENIED", "42501", () -> execute(bob, "DESCRIBE secret.t"));

        // writing needs MODIFY
        message =
            assertFails(
                "PERMISSION_DENIED",
                "42501",
                () -> execute(bob, "INSERT INTO sales.orders VALUES (3)"));
        assertTrue(message.contains("MODIFY on table main.sales.orders"), message);
        execute(admin, "GRANT MODIFY ON TABLE sales.orders TO bob");
        execute(bob, "INSERT INTO sales.orders VALUES (3)");
        assertEquals(3, single(admin, "SELECT count(*) FROM sales.orders"));
        assertFails(
            "PERMISSION_DENIED", "42501", () -> execute(bob, "CREATE TABLE sales.mine (x INT)"));

        // SHOW GRANTS: the object's own grants, its owner and what it inherits
        assertEquals(
            List.of(
                "admin|OWN|TABLE|main.sales.orders",
                "bob|MODIFY|TABLE|main.sales.orders",
                "bob|SELECT|SCHEMA|main.sales",
                "bob|USE SCHEMA|SCHEMA|main.sales",
                "bob|USE CATALOG|CATALOG|main"),
            grants(admin, "SHOW GRANTS ON TABLE sales.orders"));
        assertEquals(
            List.of(
                "bob|SELECT|SCHEMA|main.sales",
                "bob|USE SCHEMA|SCHEMA|main.sales",
                "bob|USE CATALOG|CATALOG|main"),
            grants(bob, "SHOW GRANTS `bob` ON SCHEMA sales"));

        // bad input: Databricks' errors, nothing changed
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(bob, "GRANT SELECT ON SCHEMA secret TO bob"));
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> execute(admin, "GRANT SELECT ON TABLE sales.orders TO `nobody@example.com`"));
        assertFails(
            "PRIVILEGE_NOT_APPLICABLE",
            "42000",
            () -> execute(admin, "GRANT CREATE SCHEMA ON TABLE sales.orders TO bob"));
        assertFails(
            "ROUTINE_NOT_FOUND",
            "42883",
            () -> execute(admin, "GRANT EXECUTE ON FUNCTION f TO bob"));
        assertFails(
            "UNSUPPORTED_FEATURE",
            "0A000",
            () -> execute(admin, "GRANT READ VOLUME ON VOLUME v TO bob"));
        assertFails(
            "TABLE_OR_VIEW_NOT_FOUND",
            "42P01",
            () -> execute(admin, "GRANT SELECT ON TABLE sales.missing TO bob"));

        // a result the admin cached is not served to bob once he lost SELECT: revoke holds on the
        // next statement
        String query = "SELECT sum(id) FROM sales.orders";
        assertEquals(6, single(admin, query));
        assertEquals(6, single(admin, query));
        assertEquals(6, single(bob, query));
        execute(admin, "REVOKE SELECT ON SCHEMA sales FROM bob");
        assertFails("PERMISSION_DENIED", "42501", () -> single(bob, query));
        assertFails("PERMISSION_DENIED", "42501", () -> single(bob, "SELECT * FROM sales.answer"));
        // what he still holds keeps the schema visible; REVOKE ALL PRIVILEGES empties it
        assertEquals(List.of("sales"), column(bob, "SHOW SCHEMAS IN main", 1));
        execute(admin, "REVOKE ALL PRIVILEGES ON SCHEMA sales FROM bob");
        execute(admin, "REVOKE MODIFY ON TABLE sales.orders FROM bob");
        assertEquals(List.of(), column(bob, "SHOW SCHEMAS IN main", 1));
        assertEquals(6, single(admin, query));
      }
    }
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      long value = rs.getLong(1);
      assertFalse(rs.next());
      return value;
    }
  }

  private static List<String> column(Connection c, String sql, int column) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(column));
      }
    }
    return values.stream().sorted().toList();
  }

  private static List<String> grants(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertEquals("principal", rs.getMetaData().getColumnName(1));
      assertEquals("ActionType", rs.getMetaData().getColumnName(2));
      assertEquals("ObjectType", rs.getMetaData().getColumnName(3));
      assertEquals("ObjectKey", rs.getMetaData().getColumnName(4));
      while (rs.next()) {
        rows.add(
            rs.getString(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getString(3)
                + "|"
                + rs.getString(4));
      }
    }
    return rows;
  }

  /** The driver's getTables: names of the tables and views bob's metadata call lists in main. */
  private static List<String> tables(Connection c, String pattern) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getTables("main", null, pattern, null)) {
      while (rs.next()) {
        if (!"information_schema".equals(rs.getString("TABLE_SCHEM"))) {
          names.add(rs.getString("TABLE_NAME"));
        }
      }
    }
    return names.stream().sorted().toList();
  }
}
