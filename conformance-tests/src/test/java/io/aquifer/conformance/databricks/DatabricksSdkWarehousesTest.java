package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.sql.CreateWarehouseRequest;
import com.databricks.sdk.service.sql.EditWarehouseRequest;
import com.databricks.sdk.service.sql.EndpointInfo;
import com.databricks.sdk.service.sql.EndpointTagPair;
import com.databricks.sdk.service.sql.EndpointTags;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.GetWarehouseResponse;
import com.databricks.sdk.service.sql.GetWarehouseResponseWarehouseType;
import com.databricks.sdk.service.sql.ListQueriesResponse;
import com.databricks.sdk.service.sql.ListQueryHistoryRequest;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import com.databricks.sdk.service.sql.QueryFilter;
import com.databricks.sdk.service.sql.StartRequest;
import com.databricks.sdk.service.sql.State;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StatementState;
import com.databricks.sdk.service.sql.Status;
import com.databricks.sdk.service.sql.StopRequest;
import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.AquiferServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Warehouses API 2.0 through Databricks' own Java SDK against a real server: create (and the
 * SDK's wait for RUNNING), list, get, edit, statements on the new warehouse, stop and start with
 * the SDK's waiters, delete; unknown ids, bad sizes, duplicate names and non-admin callers.
 */
class DatabricksSdkWarehousesTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static WorkspaceClient admin;
  private static WorkspaceClient mallory;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    String host = server.server().databricksRest().baseUrl();
    admin = new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(server.token()));
    String otherToken;
    try (CatalogDatabase database =
        CatalogDatabase.open(dataDirectory.resolve(AquiferServer.CATALOG_FILE))) {
      new PrincipalStore(database).createUser("mallory", false);
      otherToken =
          new AccessTokenStore(database)
              .createToken("mallory", Optional.of("warehouses test"), Optional.empty())
              .token();
    }
    mallory = new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(otherToken));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static StatementResponse run(String warehouseId, String sql) {
    return admin
        .statementExecution()
        .executeStatement(
            new ExecuteStatementRequest()
                .setWarehouseId(warehouseId)
                .setStatement(sql)
                .setWaitTimeout("50s"));
  }

  @Test
  void theStarterWarehouseIsListedWithDatabricksFields() {
    String starterId = server.server().databricksRest().warehouseId();
    List<EndpointInfo> all =
        StreamSupport.stream(
                admin.warehouses().list(new ListWarehousesRequest()).spliterator(), false)
            .toList();
    EndpointInfo starter =
        all.stream().filter(w -> w.getId().equals(starterId)).findFirst().orElseThrow();
    assertEquals("Starter Warehouse", starter.getName());
    assertEquals("Small", starter.getClusterSize());
    assertEquals(1L, starter.getMinNumClusters());
    assertEquals("admin", starter.getCreatorName());

    GetWarehouseResponse got = admin.warehouses().get(starterId);
    assertEquals(starterId, got.getId());
    assertEquals(Status.HEALTHY, got.getHealth().getStatus());
    assertEquals(GetWarehouseResponseWarehouseType.PRO, got.getWarehouseType());
    assertFalse(got.getEnableServerlessCompute());
    assertEquals("/sql/1.0/warehouses/" + starterId, got.getOdbcParams().getPath());
    assertEquals("127.0.0.1", got.getOdbcParams().getHostname());
    assertEquals("http", got.getOdbcParams().getProtocol());
    assertEquals((long) server.server().databricksRest().port(), got.getOdbcParams().getPort());
    assertTrue(got.getJdbcUrl().contains("httpPath=/sql/1.0/warehouses/" + starterId));
  }

  @Test
  void aWarehouseIsCreatedUsedEditedStoppedStartedAndDeleted() throws Exception {
    GetWarehouseResponse running =
        admin
            .warehouses()
            .create(
                new CreateWarehouseRequest()
                    .setName("sdk analytics")
                    .setClusterSize("X-Small")
                    .setMinNumClusters(1L)
                    .setMaxNumClusters(2L)
                    .setAutoStopMins(20L)
                    .setTags(
                        new EndpointTags()
                            .setCustomTags(
                                List.of(new EndpointTagPair().setKey("team").setValue("bi")))))
            .get(Duration.ofMinutes(2));
    String id = running.getId();
    assertNotNull(id);
    assertEquals(State.RUNNING, running.getState());
    assertEquals("sdk analytics", running.getName());
    assertEquals("X-Small", running.getClusterSize());
    assertEquals(2L, running.getMaxNumClusters());
    assertEquals(20L, running.getAutoStopMins());
    assertEquals("team", running.getTags().getCustomTags().iterator().next().getKey());
    assertTrue(running.getNumClusters() >= 1, () -> "clusters: " + running.getNumClusters());

    // A statement names the warehouse by id and runs on its clusters.
    StatementResponse r = run(id, "SELECT 6 * 7 AS answer");
    assertEquals(StatementState.SUCCEEDED, r.getStatus().getState(), () -> r.toString());
    assertEquals("42", r.getResult().getDataArray().iterator().next().iterator().next());
    // The query history records the warehouse the statement ran on.
    ListQueriesResponse history;
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    do {
      history =
          admin
              .queryHistory()
              .list(
                  new ListQueryHistoryRequest()
                      .setFilterBy(
                          new QueryFilter()
                              .setWarehouseIds(List.of(id))
                              .setStatementIds(List.of(r.getStatementId()))));
    } while ((history.getRes() == null || history.getRes().isEmpty())
        && System.nanoTime() < deadline);
    assertNotNull(history.getRes(), "the statement is in the history of warehouse " + id);
    assertEquals(id, history.getRes().iterator().next().getWarehouseId());

    admin
        .warehouses()
        .edit(
            new EditWarehouseRequest()
                .setId(id)
                .setName("sdk analytics")
                .setClusterSize("Small")
                .setAutoStopMins(30L));
    GetWarehouseResponse edited = admin.warehouses().get(id);
    assertEquals("Small", edited.getClusterSize());
    assertEquals(30L, edited.getAutoStopMins());
    assertEquals(2L, edited.getMaxNumClusters(), "fields not sent keep their value");

    GetWarehouseResponse stopped =
        admin.warehouses().stop(new StopRequest().setId(id)).get(Duration.ofMinutes(2));
    assertEquals(State.STOPPED, stopped.getState());
    assertEquals(0L, stopped.getNumClusters());

    GetWarehouseResponse restarted =
        admin.warehouses().start(new StartRequest().setId(id)).get(Duration.ofMinutes(2));
    assertEquals(State.RUNNING, restarted.getState());
    admin.warehouses().stop(new StopRequest().setId(id)).get(Duration.ofMinutes(2));

    admin.warehouses().delete(id);
    DatabricksError gone = assertThrows(DatabricksError.class, () -> admin.warehouses().get(id));
    assertEquals(404, gone.getStatusCode());
    assertEquals("RESOURCE_DOES_NOT_EXIST", gone.getErrorCode());
    DatabricksError noStatements = assertThrows(DatabricksError.class, () -> run(id, "SELECT 1"));
    assertEquals(404, noStatements.getStatusCode());
    assertTrue(
        StreamSupport.stream(
                admin.warehouses().list(new ListWarehousesRequest()).spliterator(), false)
            .noneMatch(w -> w.getId().equals(id)));
  }

  @Test
  void badInputIsAnsweredAsDatabricksDoesAndChangesNothing() {
    long before = count();
    DatabricksError unknown =
        assertThrows(DatabricksError.class, () -> admin.warehouses().get("0123456789abcdef"));
    assertEquals(404, unknown.getStatusCode());
    assertEquals("RESOURCE_DOES_NOT_EXIST", unknown.getErrorCode());
    DatabricksError unknownStart =
        assertThrows(
            DatabricksError.class,
            () -> admin.warehouses().start(new StartRequest().setId("0123456789abcdef")));
    assertEquals("RESOURCE_DOES_NOT_EXIST", unknownStart.getErrorCode());

    DatabricksError badSize =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .warehouses()
                    .create(new CreateWarehouseRequest().setName("w").setClusterSize("Huge")));
    assertEquals(400, badSize.getStatusCode());
    assertEquals("INVALID_PARAMETER_VALUE", badSize.getErrorCode());
    assertTrue(badSize.getMessage().contains("Huge"), badSize.getMessage());

    DatabricksError badClusters =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .warehouses()
                    .create(
                        new CreateWarehouseRequest()
                            .setName("w")
                            .setClusterSize("Small")
                            .setMinNumClusters(3L)
                            .setMaxNumClusters(2L)));
    assertEquals("INVALID_PARAMETER_VALUE", badClusters.getErrorCode());

    DatabricksError duplicate =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .warehouses()
                    .create(
                        new CreateWarehouseRequest()
                            .setName("Starter Warehouse")
                            .setClusterSize("Small")));
    assertEquals("RESOURCE_ALREADY_EXISTS", duplicate.getErrorCode());

    String starterId = server.server().databricksRest().warehouseId();
    DatabricksError denied =
        assertThrows(
            DatabricksError.class,
            () ->
                mallory
                    .warehouses()
                    .create(new CreateWarehouseRequest().setName("m").setClusterSize("Small")));
    assertEquals(403, denied.getStatusCode());
    assertEquals("PERMISSION_DENIED", denied.getErrorCode());
    DatabricksError deniedDelete =
        assertThrows(DatabricksError.class, () -> mallory.warehouses().delete(starterId));
    assertEquals("PERMISSION_DENIED", deniedDelete.getErrorCode());
    // A user who may not manage warehouses still sees them.
    assertEquals("Starter Warehouse", mallory.warehouses().get(starterId).getName());
    assertEquals(before, count());
  }

  /**
   * Aquifer's own field {@code spark_connect_url} (not in Databricks' SDK, so sent as raw JSON): a
   * warehouse created with it is of type spark, answers carry {@code aquifer_engine} and the
   * endpoint; a malformed endpoint is refused as Databricks refuses bad values.
   */
  @Test
  void aSparkWarehouseIsCreatedWithAquifersOwnField() throws Exception {
    String base = server.server().databricksRest().baseUrl() + "/api/2.0/sql/warehouses";
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> post =
        (url, body) -> {
          try {
            return http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Authorization", "Bearer " + server.token())
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    long before = count();
    var bad =
        post.apply(
            base,
            "{\"name\": \"spark bad\", \"cluster_size\": \"Small\","
                + " \"spark_connect_url\": \"spark://h:7077\"}");
    assertEquals(400, bad.statusCode(), bad.body());
    assertEquals("INVALID_PARAMETER_VALUE", json.readTree(bad.body()).get("error_code").asText());
    assertTrue(bad.body().contains("not a Spark Connect endpoint"), bad.body());
    assertEquals(before, count(), "a refused create created nothing");

    // Port 1: nothing listens; the warehouse exists, its start fails (see docs/spark.md).
    var created =
        post.apply(
            base,
            "{\"name\": \"spark rest\", \"cluster_size\": \"Small\","
                + " \"spark_connect_url\": \"sc://127.0.0.1:1\"}");
    assertEquals(200, created.statusCode(), created.body());
    String id = json.readTree(created.body()).get("id").asText();
    var got =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/" + id))
                .header("Authorization", "Bearer " + server.token())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    com.fasterxml.jackson.databind.JsonNode w = json.readTree(got.body());
    assertEquals("spark", w.get("aquifer_engine").asText(), got.body());
    assertEquals("sc://127.0.0.1:1", w.get("spark_connect_url").asText(), got.body());
    assertEquals(1, w.get("max_num_clusters").asInt(), got.body());
    var twoClusters = post.apply(base + "/" + id + "/edit", "{\"max_num_clusters\": 2}");
    assertEquals(400, twoClusters.statusCode(), twoClusters.body());
    assertTrue(twoClusters.body().contains("one cluster"), twoClusters.body());
    var moved = post.apply(base + "/" + id + "/edit", "{\"spark_connect_url\": \"sc://h2:15002\"}");
    assertEquals(200, moved.statusCode(), moved.body());
    assertEquals(
        Optional.of("sc://h2:15002"),
        server.server().warehouseStore().get(id).orElseThrow().spec().sparkConnectUrl());
    assertEquals(
        "duckdb",
        json.readTree(
                http.send(
                        java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(
                                    base + "/" + server.server().databricksRest().warehouseId()))
                            .header("Authorization", "Bearer " + server.token())
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body())
            .get("aquifer_engine")
            .asText());
    admin.warehouses().delete(id);
    // It is DELETING until its start has failed (the Spark start deadline, 30 s); other tests
    // count warehouses, so wait until it is gone.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (count() != before) {
      assertTrue(System.nanoTime() < deadline, "the Spark warehouse was not deleted");
      Thread.sleep(200);
    }
  }

  private static long count() {
    return StreamSupport.stream(
            admin.warehouses().list(new ListWarehousesRequest()).spliterator(), false)
        .count();
  }
}
