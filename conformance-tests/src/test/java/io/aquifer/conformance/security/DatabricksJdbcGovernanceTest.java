package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance through Databricks' own JDBC driver (databricks-jdbc 3.4.5) in both its modes, Thrift
 * (the Databricks SQL protocol at the warehouse's httpPath) and REST (SQL sessions and the
 * Statement Execution API), with three principals: the admin, an analyst granted one schema, an
 * outsider granted nothing. A denied SELECT (also of a system table) is PERMISSION_DENIED with
 * SQLSTATE 42501, what one may not see is absent from getCatalogs, getSchemas, getTables and
 * getColumns, a row filter holds for each and a revoke on the next statement.
 */
class DatabricksJdbcGovernanceTest {
  @TempDir Path dataDirectory;

  @Test
  void deniedReadsInvisibleTablesAndRowFiltersHoldOverThrift() throws Exception {
    governs(false);
  }

  /**
   * The same in REST mode ({@code useThriftClient=0}: SQL sessions and the Statement Execution API;
   * the driver's metadata calls arrive as SHOW statements).
   */
  @Test
  void deniedReadsInvisibleTablesAndRowFiltersHoldOverRest() throws Exception {
    governs(true);
  }

  private void governs(boolean restMode) throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory, Map.of())) {
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      String jdbcUrl = server.server().databricksRest().jdbcUrl();
      assertTrue(jdbcUrl.contains(";useThriftClient=0"), jdbcUrl);
      String rest = restMode ? jdbcUrl : jdbcUrl.replace(";useThriftClient=0", "");
      try (Connection admin =
              DriverManager.getConnection(rest + ";UID=token;PWD=" + server.token());
          Connection analyst =
              DriverManager.getConnection(rest + ";UID=token;PWD=" + analystToken);
          Connection outsider =
              DriverManager.getConnection(rest + ";UID=token;PWD=" + outsiderToken)) {
        execute(admin, "CREATE SCHEMA sales");
        execute(admin, "CREATE SCHEMA secret");
        execute(
            admin,
            "CREATE TABLE sales.orders AS SELECT 1 AS id, 'eu' AS region"
                + " UNION ALL SELECT 2, 'us' UNION ALL SELECT 3, 'eu'");
        execute(admin, "CREATE TABLE secret.pay AS SELECT 1 AS id, 100 AS amount");
        execute(
            admin,
            "CREATE FUNCTION sales.eu_for_analyst(r STRING) RETURNS BOOLEAN"
                + " RETURN is_account_group_member('admins') OR (current_user() = 'analyst'"
                + " AND r = 'eu')");
        execute(admin, "ALTER TABLE sales.orders SET ROW FILTER sales.eu_for_analyst ON (region)");
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO analyst");
        execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.sales TO analyst");

        // a denied SELECT: PERMISSION_DENIED, SQLSTATE 42501, naming privilege and object
        for (Connection denied : List.of(analyst, outsider)) {
          SQLException e =
              assertThrows(SQLException.class, () -> rows(denied, "SELECT * FROM secret.pay"));
          assertEquals("42501", e.getSQLState(), e.getMessage());
          assertTrue(e.getMessage().contains("PERMISSION_DENIED"), e.getMessage());
        }
        SQLException outside =
            assertThrows(SQLException.class, () -> rows(outsider, "SELECT * FROM sales.orders"));
        assertEquals("42501", outside.getSQLState(), outside.getMessage());
        assertTrue(outside.getMessage().contains("USE CATALOG"), outside.getMessage());

        // the system catalog's tables need grants too
        for (Connection denied : List.of(analyst, outsider)) {
          SQLException e =
              assertThrows(
                  SQLException.class, () -> rows(denied, "SELECT * FROM system.access.audit"));
          assertEquals("42501", e.getSQLState(), e.getMessage());
          assertTrue(e.getMessage().contains("PERMISSION_DENIED"), e.getMessage());
        }

        // getTables: what one may not see is absent, not denied
        assertEquals(List.of("sales.orders", "secret.pay"), tables(admin));
        assertEquals(List.of("sales.orders"), tables(analyst));
        assertEquals(List.of(), tables(outsider));
        assertEquals(List.of("sales"), schemas(analyst));
        assertEquals(List.of(), schemas(outsider));
        assertTrue(column(analyst.getMetaData().getCatalogs(), "TABLE_CAT").contains("main"));
        assertFalse(column(outsider.getMetaData().getCatalogs(), "TABLE_CAT").contains("main"));
        for (Connection c : List.of(analyst, outsider)) {
          assertFalse(column(c.getMetaData().getCatalogs(), "TABLE_CAT").contains("system"));
          assertEquals(
              List.of(),
              column(c.getMetaData().getColumns("main", "secret", "%", "%"), "COLUMN_NAME"));
        }

        // the row filter answers for each caller
        assertEquals(List.of("1|eu", "2|us", "3|eu"), rows(admin, "SELECT * FROM sales.orders"));
        assertEquals(List.of("1|eu", "3|eu"), rows(analyst, "SELECT * FROM sales.orders"));
        assertEquals(List.of("2"), rows(analyst, "SELECT count(*) FROM main.sales.orders"));

        // revoke holds on the next statement
        execute(admin, "REVOKE SELECT ON SCHEMA main.sales FROM analyst");
        SQLException revoked =
            assertThrows(SQLException.class, () -> rows(analyst, "SELECT * FROM sales.orders"));
        assertEquals("42501", revoked.getSQLState(), revoked.getMessage());

        // the audit log names the client's address, which the Thrift front end saw
        assertEquals(
            List.of("127.0.0.1|403"),
            awaitRows(
                admin,
                "SELECT DISTINCT source_ip_address, response_status_code FROM system.access.audit"
                    + " WHERE action_name = 'executeStatement' AND user_identity_email = 'outsider'"));
        assertEquals(
            List.of("127.0.0.1|200"),
            awaitRows(
                admin,
                "SELECT DISTINCT source_ip_address, response_status_code FROM system.access.audit"
                    + " WHERE action_name = 'tokenLogin' AND user_identity_email = 'analyst'"));
        assertEquals(
            List.of("127.0.0.1"),
            awaitRows(
                admin,
                "SELECT DISTINCT source_ip_address FROM system.access.audit"
                    + " WHERE action_name = 'updatePermissions'"));
      }
    }
  }

  /** The rows of a query once it has any: audit rows are written a moment after the event. */
  private static List<String> awaitRows(Connection c, String sql) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    List<String> rows = rows(c, sql);
    while (rows.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      rows = rows(c, sql);
    }
    return rows;
  }

  /** The user schemas of catalog main the driver's getSchemas lists. */
  private static List<String> schemas(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    for (String schema : column(c.getMetaData().getSchemas("main", "%"), "TABLE_SCHEM")) {
      if (!schema.equals("information_schema")
          && !schema.equals("tpch")
          && !schema.equals("default")) {
        names.add(schema);
      }
    }
    names.sort(null);
    return names;
  }

  private static List<String> column(ResultSet rs, String name) throws SQLException {
    try (rs) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(name));
      }
      return out;
    }
  }

  /** The user tables of catalog main the driver's getTables lists, as schema.table. */
  private static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getTables("main", "%", "%", null)) {
      while (rs.next()) {
        String schema = rs.getString("TABLE_SCHEM");
        if (!schema.equals("information_schema") && !schema.equals("tpch")) {
          names.add(schema + "." + rs.getString("TABLE_NAME"));
        }
      }
    }
    names.sort(null);
    return names;
  }

  /** The rows ordered by the first column, each as its values joined with '|'. */
  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          values.add(String.valueOf(rs.getString(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    rows.sort(null);
    return rows;
  }
}
