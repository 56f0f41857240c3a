package io.aquifer.conformance.security;

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
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drivers' metadata calls ({@code getCatalogs}, {@code getSchemas}, {@code getTables}, {@code
 * getColumns}) of the Flight SQL JDBC driver and Avatica's remote driver, for an analyst granted
 * one schema and an outsider granted nothing: what one may not see is absent, not denied.
 */
class MetadataVisibilityTest {
  @TempDir Path dataDirectory;

  @Test
  void metadataCallsListOnlyWhatEachMaySee() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA main.sales");
      execute(admin, "CREATE SCHEMA main.secret");
      execute(admin, "CREATE TABLE main.sales.orders (id INT, amount DOUBLE)");
      execute(admin, "CREATE TABLE main.secret.salaries (name STRING, salary DOUBLE)");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      execute(admin, "GRANT USE CATALOG ON CATALOG main TO analyst");
      execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.sales TO analyst");
      String avatica =
          "jdbc:avatica:remote:url=http://127.0.0.1:"
              + server.server().avaticaPort()
              + ";serialization=protobuf";
      for (String url : List.of(server.jdbcUrl(), avatica)) {
        try (Connection analyst = connect(url, analystToken);
            Connection outsider = connect(url, outsiderToken)) {
          DatabaseMetaData a = analyst.getMetaData();
          DatabaseMetaData o = outsider.getMetaData();
          assertTrue(column(a.getCatalogs(), "TABLE_CAT").contains("main"), url);
          assertFalse(column(o.getCatalogs(), "TABLE_CAT").contains("main"), url);
          assertEquals(List.of("sales"), column(a.getSchemas("main", "%"), "TABLE_SCHEM"), url);
          assertEquals(List.of(), column(o.getSchemas("main", "%"), "TABLE_SCHEM"), url);
          assertEquals(
              List.of("orders"), column(a.getTables("main", "%", "%", null), "TABLE_NAME"), url);
          assertEquals(List.of(), column(o.getTables("main", "%", "%", null), "TABLE_NAME"), url);
          assertEquals(
              List.of("id", "amount"),
              column(a.getColumns("main", "%", "%", "%"), "COLUMN_NAME"),
              url);
          assertEquals(List.of(), column(o.getColumns("main", "%", "%", "%"), "COLUMN_NAME"), url);
          assertEquals(
              List.of(), column(a.getColumns("main", "secret", "%", "%"), "COLUMN_NAME"), url);
        }
      }
      // the admin sees both schemas through the same calls
      assertEquals(
          Map.of("sales", true, "secret", true),
          Map.of(
              "sales",
              column(admin.getMetaData().getSchemas("main", "%"), "TABLE_SCHEM").contains("sales"),
              "secret",
              column(admin.getMetaData().getSchemas("main", "%"), "TABLE_SCHEM")
                  .contains("secret")));
    }
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
}
