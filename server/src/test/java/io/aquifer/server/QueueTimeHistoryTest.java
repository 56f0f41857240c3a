package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement's queue time in the query history, on a real server: waiting for compute while its
 * stopped warehouse starts, waiting at capacity behind a statement on a one-at-a-time warehouse;
 * read back through the Query History API's metrics with Databricks' names.
 */
class QueueTimeHistoryTest {
  /** Runs until canceled: a filter over 10^12 combinations. */
  private static final String LONG_COUNT =
      "SELECT count(*) FROM qt.thousand a, qt.thousand b, qt.thousand c, qt.thousand d"
          + " WHERE (a.x * 31 + b.x * 17 + c.x * 7 + d.x) % 1000003 = 5";

  private static final String FIRST = "SELECT count(*) AS first_on_stopped FROM qt.ten";
  private static final String QUEUED = "SELECT count(*) AS queued_behind FROM qt.ten";

  @Test
  void historyShowsWaitingForComputeAndWaitingAtCapacity(@TempDir Path dir) throws Exception {
    try (RunningServer server = RunningServer.start(dir, Map.of(ServerConfig.NODE_THREADS, "1"))) {
      try (Connection c = server.connect();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA qt");
        s.execute("CREATE TABLE qt.ten (x BIGINT)");
        s.execute("INSERT INTO qt.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
        s.execute(
            "CREATE TABLE qt.thousand AS SELECT a.x * 100 + b.x * 10 + c.x AS x"
                + " FROM qt.ten a, qt.ten b, qt.ten c");
      }
      // One cluster that runs one statement at a time, never stopping by itself.
      Warehouse w =
          server
              .server()
              .warehouseStore()
              .create(
                  new WarehouseSpec("single", WarehouseSize.XXSMALL, 1, 1, 0, 1, Map.of()),
                  "admin");
      assertEquals(WarehouseState.STOPPED, w.state());

      // The first statement starts the stopped warehouse and waits for it.
      Properties p = new Properties();
      p.setProperty("token", server.token());
      p.setProperty("warehouse", "single");
      try (Connection c = DriverManager.getConnection(server.jdbcUrl(), p);
          java.sql.Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(FIRST)) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }

      // A long statement takes the one slot; the next one queues behind it until it is canceled.
      Gateway gateway = server.server().gateway();
      Session session = gateway.openSession(new Principal("admin", true));
      session.warehouse("single");
      var warehouses = server.server().warehouses();
      Statement queued;
      Statement blocking;
      try {
        blocking = gateway.submit(session, LONG_COUNT, List.of());
        await("the long statement runs", () -> warehouses.running(w.id()) == 1);
        queued = gateway.submit(session, QUEUED, List.of());
        await("the second statement queues", () -> warehouses.queued(w.id()) == 1);
        gateway.cancel(session, blocking.id());
        assertEquals(10, countOf(queued));
        await("the queued statement ended", () -> queued.state() == StatementState.SUCCEEDED);
      } finally {
        gateway.closeSession(session.id());
      }

      List<JsonNode> history = history(server);
      JsonNode first = byText(history, FIRST).path("metrics");
      assertTrue(first.path("waiting_for_compute_duration_ms").asLong() > 0, first.toString());
      assertTrue(first.has("waiting_at_capacity_duration_ms"), first.toString());

      JsonNode behind = byText(history, QUEUED).path("metrics");
      assertTrue(behind.path("waiting_at_capacity_duration_ms").asLong() > 0, behind.toString());
      assertEquals(0, behind.path("waiting_for_compute_duration_ms").asLong(), behind.toString());

      // A statement the gateway answers itself never asked a warehouse: no queue time at all.
      JsonNode ddl = byText(history, "CREATE SCHEMA qt").path("metrics");
      assertFalse(ddl.has("waiting_for_compute_duration_ms"), ddl.toString());
      assertFalse(ddl.has("waiting_at_capacity_duration_ms"), ddl.toString());

      // The same figures as columns of system.query.history.
      try (Connection c = server.connect();
          java.sql.Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT waiting_at_capacity_duration_ms, waiting_for_compute_duration_ms"
                      + " FROM system.query.history WHERE statement_id = '"
                      + queued.id()
                      + "'")) {
        assertTrue(rs.next());
        assertEquals(behind.path("waiting_at_capacity_duration_ms").asLong(), rs.getLong(1));
        assertEquals(0, rs.getLong(2));
      }
    }
  }

  private static long countOf(Statement statement) throws Exception {
    var result = statement.awaitResult(Duration.ofMinutes(2));
    assertTrue(result instanceof io.aquifer.gateway.StatementResult.Rows, String.valueOf(result));
    try (var rows = ((io.aquifer.gateway.StatementResult.Rows) result).stream()) {
      assertTrue(rows.next());
      long count = ((org.apache.arrow.vector.BigIntVector) rows.root().getVector(0)).get(0);
      while (rows.next()) {
        // read to the end
      }
      return count;
    }
  }

  private static List<JsonNode> history(RunningServer server) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            server.server().databricksRest().baseUrl()
                                + "/api/2.0/sql/history/queries?include_metrics=true"
                                + "&max_results=100"))
                    .header("Authorization", "Bearer " + server.token())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    JsonNode res = new ObjectMapper().readTree(response.body()).path("res");
    List<JsonNode> out = new java.util.ArrayList<>();
    res.forEach(out::add);
    return out;
  }

  private static JsonNode byText(List<JsonNode> history, String sql) {
    return history.stream()
        .filter(q -> q.path("query_text").asText().equals(sql))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no history entry for " + sql + " in " + history));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }
}
