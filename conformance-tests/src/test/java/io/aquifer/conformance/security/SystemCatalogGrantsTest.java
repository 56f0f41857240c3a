package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables of the {@code system} catalog are securables, as in Databricks, through the Flight SQL
 * JDBC driver and Avatica's remote driver: an admin reads them all; an analyst (granted one schema
 * of {@code main}) and an outsider (nothing) are refused with PERMISSION_DENIED until an admin
 * grants USE CATALOG, USE SCHEMA and SELECT, and then read every row (Databricks applies no row
 * rule; an admin's dynamic view gives each caller their own); a revoke holds on the next statement;
 * non-admins cannot grant them; nothing of {@code system} is listed to a principal without grants.
 */
class SystemCatalogGrantsTest {
  private static final List<String> SYSTEM_TABLES =
      List.of(
          "system.query.history",
          "system.access.audit",
          "system.access.table_lineage",
          "system.cache.result_cache");

  @TempDir Path dataDirectory;

  @Test
  void systemTablesNeedGrants() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA main.sales");
      execute(admin, "CREATE TABLE main.sales.orders AS SELECT 1 AS id");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      execute(admin, "GRANT USE CATALOG ON CATALOG main TO analyst");
      execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.sales TO analyst");
      // a dynamic view, as Databricks recommends for sharing a system table row by row
      execute(
          admin,
          "CREATE VIEW main.sales.my_statements AS SELECT statement_text FROM"
              + " system.query.history WHERE executed_by = current_user()");
      for (String table : SYSTEM_TABLES) {
        rows(admin, "SELECT * FROM " + table);
      }
      String avatica =
          "jdbc:avatica:remote:url=http://127.0.0.1:"
              + server.server().avaticaPort()
              + ";serialization=protobuf";
      for (String url : List.of(server.jdbcUrl(), avatica)) {
        try (Connection analyst = connect(url, analystToken);
            Connection outsider = connect(url, outsiderToken)) {
          rows(analyst, "SELECT count(*) FROM main.sales.orders");
          for (Connection c : List.of(analyst, outsider)) {
            for (String table : SYSTEM_TABLES) {
              String message =
                  assertFails(
                      "PERMISSION_DENIED", "42501", () -> rows(c, "SELECT * FROM " + table));
              assertTrue(message.contains("USE CATALOG on catalog system"), message);
            }
            assertFails(
                "PERMISSION_DENIED",
                "42501",
                () -> execute(c, "GRANT SELECT ON TABLE system.query.history TO analyst"));
            assertFails(
                "PERMISSION_DENIED",
                "42501",
                () -> rows(c, "SHOW GRANTS ON TABLE system.query.history"));
            assertAbsent(c, url);
          }

          execute(admin, "GRANT USE CATALOG ON CATALOG system TO analyst");
          execute(admin, "GRANT USE SCHEMA ON SCHEMA system.query TO analyst");
          // USE CATALOG and USE SCHEMA alone do not read
          String message =
              assertFails(
                  "PERMISSION_DENIED",
                  "42501",
                  () -> rows(analyst, "SELECT * FROM system.query.history"));
          assertTrue(message.contains("SELECT on table system.query.history"), message);
          execute(admin, "GRANT SELECT ON TABLE system.query.history TO analyst");
          // every principal's statements, not only the analyst's own
          List<String> by = rows(analyst, "SELECT DISTINCT executed_by FROM system.query.history");
          assertTrue(by.contains("admin") && by.contains("analyst"), by.toString());
          // other schemas still need their own grants; the outsider still nothing
          assertFails(
              "PERMISSION_DENIED",
              "42501",
              () -> rows(analyst, "SELECT * FROM system.access.audit"));
          assertFails(
              "PERMISSION_DENIED",
              "42501",
              () -> rows(outsider, "SELECT * FROM system.query.history"));
          assertTrue(
              rows(analyst, "SHOW GRANTS ON TABLE system.query.history")
                  .contains("analyst|SELECT|TABLE|system.query.history"));
          assertAbsent(outsider, url);

          // the revoke holds on the next statement
          execute(admin, "REVOKE SELECT ON TABLE system.query.history FROM analyst");
          assertFails(
              "PERMISSION_DENIED",
              "42501",
              () -> rows(analyst, "SELECT * FROM system.query.history"));
          execute(admin, "REVOKE USE SCHEMA ON SCHEMA system.query FROM analyst");
          execute(admin, "REVOKE USE CATALOG ON CATALOG system FROM analyst");

          // the dynamic view reads with its owner's rights: each reader's own statements
          execute(admin, "GRANT SELECT ON VIEW main.sales.my_statements TO outsider");
          execute(admin, "GRANT USE CATALOG ON CATALOG main TO outsider");
          execute(admin, "GRANT USE SCHEMA ON SCHEMA main.sales TO outsider");
          String marker = "SELECT 'outsider was here " + url.length() + "'";
          rows(outsider, marker);
          List<String> mine = awaitRow(outsider, "SELECT * FROM main.sales.my_statements", marker);
          assertFalse(
              mine.stream().anyMatch(t -> t.contains("CREATE VIEW")),
              "the admin's statements are not the outsider's: " + mine);
          execute(admin, "REVOKE SELECT ON VIEW main.sales.my_statements FROM outsider");
          execute(admin, "REVOKE USE CATALOG ON CATALOG main FROM outsider");
          execute(admin, "REVOKE USE SCHEMA ON SCHEMA main.sales FROM outsider");
        }
      }

      // Databricks' Query History REST API keeps its own rule: the caller's statements, no grant
      java.net.http.HttpResponse<String> history =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              server.server().databricksRest().baseUrl()
                                  + "/api/2.0/sql/history/queries?max_results=1000"))
                      .header("Authorization", "Bearer " + outsiderToken)
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, history.statusCode(), history.body());
      List<String> users = new ArrayList<>();
      for (com.fasterxml.jackson.databind.JsonNode q :
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(history.body()).path("res")) {
        users.add(q.path("user_name").asText());
      }
      assertFalse(users.isEmpty(), history.body());
      assertEquals(List.of("outsider"), users.stream().distinct().toList(), history.body());
    }
  }

  /** Nothing of the system catalog is listed: SHOW, the driver's metadata calls. */
  private static void assertAbsent(Connection c, String url) throws SQLException {
    assertFalse(rows(c, "SHOW CATALOGS").contains("system"), url);
    DatabaseMetaData md = c.getMetaData();
    assertFalse(column(md.getCatalogs(), "TABLE_CAT").contains("system"), url);
    assertEquals(List.of(), column(md.getSchemas("system", "%"), "TABLE_SCHEM"), url);
    assertEquals(List.of(), column(md.getTables("system", "%", "%", null), "TABLE_NAME"), url);
    assertEquals(List.of(), column(md.getColumns("system", "%", "%", "%"), "COLUMN_NAME"), url);
  }

  /** Polls until a row equals {@code text} (the history is written when a statement ends). */
  private static List<String> awaitRow(Connection c, String sql, String text) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    List<String> last = rows(c, sql);
    while (!last.contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = rows(c, sql);
    }
    assertTrue(last.contains(text), "no " + text + " in " + last);
    return last;
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

  private static List<String> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(String.valueOf(rs.getObject(i)));
        }
        out.add(String.join("|", row));
      }
      return out;
    }
  }
}
