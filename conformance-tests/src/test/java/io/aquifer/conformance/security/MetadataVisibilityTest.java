package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import com.databricks.sdk.service.catalog.ListSchemasRequest;
import com.databricks.sdk.service.catalog.ListTablesRequest;
import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drivers' metadata calls ({@code getCatalogs}, {@code getSchemas}, {@code getTables}, {@code
 * getColumns}) of the Flight SQL JDBC driver and Avatica's remote driver, for an analyst granted
 * one schema and an outsider granted nothing, and the Unity Catalog REST listings through the
 * Databricks SDK for the same three principals: what one may not see is absent, not denied.
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

  /**
   * The Unity Catalog REST listings through the Databricks SDK: catalogs, schemas, tables, volumes
   * and functions for the admin (everything), an analyst granted one schema (that schema's objects
   * only) and an outsider granted nothing (none of them). What one may not see is absent: listing a
   * schema one may not see answers as for a schema that does not exist, never PERMISSION_DENIED.
   */
  @Test
  void unityCatalogListingsShowEachPrincipalOnlyWhatItMaySee() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      for (String schema : List.of("sales", "secret")) {
        execute(admin, "CREATE SCHEMA main." + schema);
        execute(admin, "CREATE TABLE main." + schema + ".t_" + schema + " (id INT)");
        execute(admin, "CREATE VOLUME main." + schema + ".v_" + schema);
        execute(
            admin,
            "CREATE FUNCTION main." + schema + ".f_" + schema + "(x INT) RETURNS INT RETURN x + 1");
      }
      String host = server.server().databricksRest().baseUrl();
      WorkspaceClient adminClient = client(host, server.token());
      WorkspaceClient analyst = client(host, SecurityServer.userToken(dataDirectory, "analyst"));
      WorkspaceClient outsider = client(host, SecurityServer.userToken(dataDirectory, "outsider"));
      execute(admin, "GRANT USE CATALOG ON CATALOG main TO analyst");
      execute(
          admin, "GRANT USE SCHEMA, SELECT, READ VOLUME, EXECUTE ON SCHEMA main.sales TO analyst");

      // catalogs
      assertTrue(catalogs(adminClient).contains("main"));
      assertTrue(catalogs(analyst).contains("main"));
      assertFalse(catalogs(outsider).contains("main"), catalogs(outsider).toString());

      // schemas
      List<String> adminSchemas = absentOrListed(() -> schemas(adminClient));
      assertTrue(adminSchemas.containsAll(List.of("sales", "secret")), adminSchemas.toString());
      List<String> analystSchemas = absentOrListed(() -> schemas(analyst));
      assertTrue(analystSchemas.contains("sales"), analystSchemas.toString());
      assertFalse(analystSchemas.contains("secret"), analystSchemas.toString());
      assertFalse(analystSchemas.contains("default"), analystSchemas.toString());
      assertEquals(List.of(), absentOrListed(() -> schemas(outsider)));

      // tables, volumes, functions of each schema
      for (String schema : List.of("sales", "secret")) {
        assertEquals(List.of("t_" + schema), tables(adminClient, schema), schema);
        assertEquals(List.of("v_" + schema), volumes(adminClient, schema), schema);
        assertEquals(List.of("f_" + schema), functions(adminClient, schema), schema);
      }
      assertEquals(List.of("t_sales"), absentOrListed(() -> tables(analyst, "sales")));
      assertEquals(List.of("v_sales"), absentOrListed(() -> volumes(analyst, "sales")));
      assertEquals(List.of("f_sales"), absentOrListed(() -> functions(analyst, "sales")));
      for (WorkspaceClient c : List.of(analyst, outsider)) {
        for (String schema : c == analyst ? List.of("secret") : List.of("sales", "secret")) {
          assertEquals(List.of(), absentOrListed(() -> tables(c, schema)), schema);
          assertEquals(List.of(), absentOrListed(() -> volumes(c, schema)), schema);
          assertEquals(List.of(), absentOrListed(() -> functions(c, schema)), schema);
        }
      }
    }
  }

  private static WorkspaceClient client(String host, String token) {
    return new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(token));
  }

  /**
   * What a listing answers: its names, or none when it answers that its parent does not exist (HTTP
   * 404); a refusal (403) fails the test, since what may not be seen must be absent.
   */
  private static List<String> absentOrListed(Supplier<List<String>> listing) {
    try {
      return listing.get();
    } catch (DatabricksError e) {
      assertEquals(404, e.getStatusCode(), "absent, not denied: " + e.getMessage());
      return List.of();
    }
  }

  private static List<String> catalogs(WorkspaceClient c) {
    List<String> names = new ArrayList<>();
    c.catalogs().list(new ListCatalogsRequest()).forEach(x -> names.add(x.getName()));
    return names;
  }

  private static List<String> schemas(WorkspaceClient c) {
    List<String> names = new ArrayList<>();
    c.schemas()
        .list(new ListSchemasRequest().setCatalogName("main"))
        .forEach(x -> names.add(x.getName()));
    return names;
  }

  private static List<String> tables(WorkspaceClient c, String schema) {
    List<String> names = new ArrayList<>();
    c.tables()
        .list(new ListTablesRequest().setCatalogName("main").setSchemaName(schema))
        .forEach(x -> names.add(x.getName()));
    return names;
  }

  private static List<String> volumes(WorkspaceClient c, String schema) {
    List<String> names = new ArrayList<>();
    c.volumes().list("main", schema).forEach(x -> names.add(x.getName()));
    return names;
  }

  private static List<String> functions(WorkspaceClient c, String schema) {
    List<String> names = new ArrayList<>();
    c.functions().list("main", schema).forEach(x -> names.add(x.getName()));
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
}
