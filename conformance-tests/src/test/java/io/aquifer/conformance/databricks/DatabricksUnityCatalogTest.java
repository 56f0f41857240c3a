package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.catalog.CatalogInfo;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import com.databricks.sdk.service.catalog.ListSchemasRequest;
import com.databricks.sdk.service.catalog.ListTablesRequest;
import com.databricks.sdk.service.catalog.SchemaInfo;
import com.databricks.sdk.service.catalog.TableInfo;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.StatementState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.conformance.ConformanceServer;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.CatalogsApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.model.ListCatalogsResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unity Catalog 2.1 read calls and SCIM Me through the Databricks SDK for Java and the Unity
 * Catalog OSS client (io.unitycatalog:unitycatalog-client 0.6.0), against a real server.
 */
class DatabricksUnityCatalogTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static WorkspaceClient client;
  private static ApiClient unityCatalog;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    String host = server.server().databricksRest().baseUrl();
    client = new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(server.token()));
    for (String sql :
        List.of(
            "CREATE CATALOG sales",
            "CREATE SCHEMA demo",
            "CREATE TABLE demo.trips (id BIGINT NOT NULL, fare DECIMAL(10,2), city STRING)"
                + " COMMENT 'rides'",
            "CREATE VIEW demo.oslo AS SELECT id FROM demo.trips WHERE city = 'Oslo'")) {
      assertEquals(
          StatementState.SUCCEEDED,
          client
              .statementExecution()
              .executeStatement(
                  new ExecuteStatementRequest()
                      .setWarehouseId(server.server().databricksRest().warehouseId())
                      .setStatement(sql)
                      .setWaitTimeout("50s"))
              .getStatus()
              .getState(),
          sql);
    }
    URI uri = URI.create(host);
    unityCatalog =
        new ApiClient()
            .setScheme(uri.getScheme())
            .setHost(uri.getHost())
            .setPort(uri.getPort())
            .setBasePath("/api/2.1/unity-catalog")
            .setRequestInterceptor(b -> b.header("Authorization", "Bearer " + server.token()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sdkListsCatalogsSchemasAndTables() {
    List<String> catalogs = new ArrayList<>();
    for (CatalogInfo c : client.catalogs().list(new ListCatalogsRequest())) {
      catalogs.add(c.getName());
    }
    assertTrue(catalogs.contains("main"), catalogs.toString());
    List<String> schemas = new ArrayList<>();
    for (SchemaInfo s : client.schemas().list(new ListSchemasRequest().setCatalogName("main"))) {
      schemas.add(s.getFullName());
    }
    assertTrue(schemas.containsAll(List.of("main.default", "main.demo")), schemas.toString());
    List<String> tables =
        StreamSupport.stream(
                client
                    .tables()
                    .list(new ListTablesRequest().setCatalogName("main").setSchemaName("demo"))
                    .spliterator(),
                false)
            .map(t -> t.getName() + ":" + t.getTableType())
            .sorted()
            .toList();
    assertEquals(List.of("oslo:VIEW", "trips:MANAGED"), tables);
  }

  /**
   * Listing tables reads the schema's tables in one catalog call: the statements the listing runs
   * (its schema's DESCRIBE, which the query history shows) include none per listed table.
   */
  @Test
  void listingTablesRunsNoStatementPerTable() throws Exception {
    List<String> setup = new ArrayList<>(List.of("CREATE SCHEMA listing"));
    for (int i = 0; i < 3; i++) {
      setup.add("CREATE TABLE listing.t" + i + " (id INT)");
    }
    setup.add("CREATE VIEW listing.v AS SELECT id FROM listing.t0");
    for (String sql : setup) {
      assertEquals(
          StatementState.SUCCEEDED,
          client
              .statementExecution()
              .executeStatement(
                  new ExecuteStatementRequest()
                      .setWarehouseId(server.server().databricksRest().warehouseId())
                      .setStatement(sql)
                      .setWaitTimeout("50s"))
              .getStatus()
              .getState(),
          sql);
    }
    long tables =
        StreamSupport.stream(
                client
                    .tables()
                    .list(new ListTablesRequest().setCatalogName("main").setSchemaName("listing"))
                    .spliterator(),
                false)
            .count();
    assertEquals(4, tables);
    String base = server.server().databricksRest().baseUrl();
    HttpClient http = HttpClient.newHttpClient();
    List<String> texts = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (texts.stream()
        .noneMatch(t -> t.startsWith("DESCRIBE SCHEMA EXTENDED `main`.`listing`"))) {
      assertTrue(System.nanoTime() < deadline, "the listing's DESCRIBE SCHEMA: " + texts);
      HttpResponse<String> history =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/api/2.0/sql/history/queries?max_results=1000"))
                  .header("Authorization", "Bearer " + server.token())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, history.statusCode(), history.body());
      texts.clear();
      for (JsonNode q : new ObjectMapper().readTree(history.body()).path("res")) {
        texts.add(q.path("query_text").asText());
      }
    }
    List<String> perTable =
        texts.stream()
            .filter(t -> t.contains("listing"))
            .filter(
                t ->
                    t.startsWith("DESCRIBE TABLE")
                        || t.startsWith("SHOW TBLPROPERTIES")
                        || t.contains("information_schema.tables"))
            .toList();
    assertEquals(List.of(), perTable);
  }

  @Test
  void sdkGetsATableWithItsColumns() {
    TableInfo t = client.tables().get("main.demo.trips");
    assertEquals("main.demo.trips", t.getFullName());
    assertEquals("rides", t.getComment());
    assertEquals("DELTA", t.getDataSourceFormat().name());
    List<String> columns =
        t.getColumns().stream()
            .map(
                c ->
                    c.getName()
                        + " "
                        + c.getTypeText()
                        + " "
                        + c.getTypeName()
                        + " "
                        + c.getNullable())
            .toList();
    assertEquals(
        List.of(
            "id bigint LONG false", "fare decimal(10,2) DECIMAL true", "city string STRING true"),
        columns);
    assertTrue(client.tables().exists("main.demo.trips").getTableExists());
    assertFalse(client.tables().exists("main.demo.nope").getTableExists());
    DatabricksError missing =
        assertThrows(DatabricksError.class, () -> client.tables().get("main.demo.nope"));
    assertEquals(404, missing.getStatusCode());
    assertEquals("TABLE_DOES_NOT_EXIST", missing.getErrorCode());
    DatabricksError badName =
        assertThrows(DatabricksError.class, () -> client.tables().get("trips"));
    assertEquals(400, badName.getStatusCode());
  }

  @Test
  void sdkCurrentUserIsTheTokensPrincipal() {
    User me = client.currentUser().me(new com.databricks.sdk.service.iam.MeRequest());
    assertEquals("admin", me.getUserName());
    assertNotNull(me.getGroups());
  }

  @Test
  void unityCatalogClientReadsTheSameCatalog() throws ApiException {
    ListCatalogsResponse first = new CatalogsApi(unityCatalog).listCatalogs(null, 1);
    assertEquals(1, first.getCatalogs().size());
    assertNotNull(first.getNextPageToken(), "more than one catalog: main and sales");
    List<String> all = new ArrayList<>();
    all.add(first.getCatalogs().get(0).getName());
    String token = first.getNextPageToken();
    while (token != null) {
      ListCatalogsResponse page = new CatalogsApi(unityCatalog).listCatalogs(token, 1);
      page.getCatalogs().forEach(c -> all.add(c.getName()));
      token = page.getNextPageToken();
    }
    assertTrue(all.containsAll(List.of("main", "sales")), all.toString());
    assertEquals("main", new CatalogsApi(unityCatalog).getCatalog("main").getName());
    assertTrue(
        new SchemasApi(unityCatalog)
            .listSchemas("main", 100, null).getSchemas().stream()
                .anyMatch(s -> s.getName().equals("demo")));
    io.unitycatalog.client.model.TableInfo t =
        new TablesApi(unityCatalog).getTable("main.demo.trips", false, false);
    assertEquals(3, t.getColumns().size());
    assertEquals("decimal(10,2)", t.getColumns().get(1).getTypeText());
    assertEquals(
        List.of("oslo", "trips"),
        new TablesApi(unityCatalog)
            .listTables("main", "demo", 100, null).getTables().stream()
                .map(io.unitycatalog.client.model.TableInfo::getName)
                .sorted()
                .toList());
    ApiException e =
        assertThrows(ApiException.class, () -> new CatalogsApi(unityCatalog).getCatalog("nope"));
    assertEquals(404, e.getCode());
  }

  @Test
  void unityCatalogCallsNeedAToken() {
    ApiClient anonymous =
        new ApiClient()
            .setScheme("http")
            .setHost("127.0.0.1")
            .setPort(server.server().databricksRest().port())
            .setBasePath("/api/2.1/unity-catalog");
    ApiException e =
        assertThrows(ApiException.class, () -> new CatalogsApi(anonymous).listCatalogs(null, 0));
    assertEquals(401, e.getCode());
  }
}
