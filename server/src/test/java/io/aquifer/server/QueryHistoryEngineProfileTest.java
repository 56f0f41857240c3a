package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine profile of a query's own run, kept with its query history entry: a join with an
 * aggregate run through the Arrow Flight SQL JDBC driver, then {@code GET
 * /api/2.0/sql/history/queries/{id}/profile} answers its logical plan with DuckDB's operators on
 * each node (scans by table, joins and aggregates by kind); another user does not see it; with
 * {@code query-history-engine-profile-max-size=0} none is kept. The profile is fetched from the
 * node after the result stream ended (nothing travels with the stream) and added to the history
 * entry when it arrives; a canceled query keeps none and leaves no Arrow memory behind.
 */
class QueryHistoryEngineProfileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String QUERY =
      "SELECT c.region, count(*) AS orders, sum(o.amount) AS total"
          + " FROM p.orders o JOIN p.customers c ON o.customer_id = c.id"
          + " WHERE o.amount > 10 GROUP BY c.region ORDER BY c.region";

  @TempDir Path dataDirectory;
  @TempDir Path offDirectory;
  @TempDir Path tpchDirectory;

  /** TPC-H Q1 on the sample (SF 0.01). */
  private static final String TPCH_Q1 =
      "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty,"
          + " sum(l_extendedprice) AS sum_base_price,"
          + " sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,"
          + " sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,"
          + " avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price,"
          + " avg(l_discount) AS avg_disc, count(*) AS count_order"
          + " FROM samples.tpch_sf0_01.lineitem"
          + " WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY"
          + " GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus";

  private static final String LONG_QUERY =
      "SELECT count(*) FROM samples.tpch_sf0_01.lineitem a, samples.tpch_sf0_01.lineitem b"
          + " WHERE (a.l_orderkey * 31 + b.l_partkey * 17) % 1000003 = 5";

  @Test
  void aTpchQueryKeepsItsProfileAndACanceledQueryNoneAndNoMemory() throws Exception {
    try (RunningServer server = RunningServer.start(tpchDirectory, Map.of(), true)) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        int rows = 0;
        try (ResultSet rs = s.executeQuery(TPCH_Q1)) {
          while (rs.next()) {
            rows++;
          }
        }
        assertEquals(4, rows);
      }
      String q1 = statementId(server, TPCH_Q1, "FINISHED");
      HttpResponse<String> answer = profile(server, server.token(), q1, Duration.ofSeconds(30));
      assertEquals(200, answer.statusCode(), answer.body());
      JsonNode profile = JSON.readTree(answer.body());
      List<JsonNode> nodes = new ArrayList<>();
      flatten(profile.get("plan"), nodes);
      JsonNode lineitem = scanOf(nodes, "lineitem");
      assertTrue(types(lineitem).stream().anyMatch(t -> t.contains("SCAN")), lineitem + "");
      assertTrue(lineitem.get("rows").asLong() > 0, lineitem.toString());
      JsonNode aggregate = ofKind(nodes, "AGGREGATE");
      assertTrue(
          types(aggregate).stream().anyMatch(t -> t.contains("GROUP_BY")), aggregate.toString());
      assertEquals(4, ofKind(nodes, "SORT").get("rows").asLong(), answer.body());

      // a query canceled while it runs on the node: no profile, no Arrow memory left behind
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        java.util.concurrent.CompletableFuture<Throwable> outcome =
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  try (ResultSet rs = s.executeQuery(LONG_QUERY)) {
                    rs.next();
                    return null;
                  } catch (java.sql.SQLException e) {
                    return e;
                  }
                });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.server().runningEngineQueries() == 0 && !outcome.isDone()) {
          assertTrue(System.nanoTime() < deadline, "the long query never started");
          Thread.sleep(10);
        }
        s.cancel();
        Throwable error = outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(error instanceof java.sql.SQLException, String.valueOf(error));
      }
      String canceled = statementId(server, LONG_QUERY, "CANCELED");
      laterStatementsRecorded(server);
      assertEquals(404, profile(server, server.token(), canceled, Duration.ZERO).statusCode());
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while ((server.server().runningEngineQueries() > 0 || server.server().arrowMemoryBytes() > 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(0, server.server().runningEngineQueries());
      assertEquals(0, server.server().arrowMemoryBytes(), "Arrow memory left behind");
    }
  }

  /**
   * Runs three statements one after the other, each once the history lists the one before. A
   * profile of an earlier statement, if one were kept, is fetched from the node on loopback when
   * that statement's stream ends, long before the second of these is recorded; the history's one
   * writer adds a profile in the pass that writes the entries recorded after it, and the third
   * entry is written in a later pass than the second's. So once the third is listed, a profile kept
   * for an earlier statement would be visible: an absence checked then is real, not just late.
   */
  private static void laterStatementsRecorded(RunningServer server) throws Exception {
    for (int i = 0; i < 3; i++) {
      String sql = "SELECT 'later statement " + i + " " + System.nanoTime() + "' AS marker";
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        assertTrue(rs.next());
      }
      statementId(server, sql, "FINISHED");
    }
  }

  /** The id of the history entry of this text in this status, polled until it is listed. */
  private static String statementId(RunningServer server, String sql, String status)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      while (true) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT statement_id FROM system.query.history WHERE statement_text = '"
                    + sql.replace("'", "''")
                    + "' AND execution_status = '"
                    + status
                    + "'")) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
        assertTrue(System.nanoTime() < deadline, "the history never listed " + sql);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void keepsTheProfileOfTheRunMappedOntoItsPlan() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory)) {
      String id = runQuery(server);
      String bob = QueryHistoryEndToEndTest.createUserToken(server, "bob");

      long started = server.server().engineQueriesStarted();
      HttpResponse<String> answer = profile(server, server.token(), id, Duration.ofSeconds(30));
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals(started, server.server().engineQueriesStarted(), "nothing ran again");
      JsonNode profile = JSON.readTree(answer.body());
      assertEquals(id, profile.get("statement_id").asText());
      assertTrue(profile.get("total_time_ms").asDouble() >= 0, answer.body());

      List<JsonNode> nodes = new ArrayList<>();
      flatten(profile.get("plan"), nodes);
      // every engine operator is on some plan node
      long operators = nodes.stream().mapToLong(n -> n.get("operators").size()).sum();
      assertTrue(operators >= 4, answer.body());
      // the scans by table: each got a scan operator that read the table's rows (before filters
      // the engine pushed into it: at most the table's rows)
      JsonNode orders = scanOf(nodes, "orders");
      JsonNode customers = scanOf(nodes, "customers");
      assertTrue(types(orders).stream().anyMatch(t -> t.contains("SCAN")), orders.toString());
      assertTrue(types(customers).stream().anyMatch(t -> t.contains("SCAN")), customers.toString());
      assertTrue(orders.get("rows").asLong() > 0 && orders.get("rows").asLong() <= 5, orders + "");
      assertEquals(3, customers.get("rows").asLong(), customers.toString());
      // the join and the aggregate by kind
      JsonNode join = ofKind(nodes, "JOIN");
      assertTrue(types(join).stream().anyMatch(t -> t.endsWith("JOIN")), join.toString());
      JsonNode aggregate = ofKind(nodes, "AGGREGATE");
      assertTrue(
          types(aggregate).stream().anyMatch(t -> t.contains("GROUP_BY")), aggregate.toString());
      // the query produced 2 regions: the sort on top says so
      JsonNode sort = ofKind(nodes, "SORT");
      assertEquals(2, sort.get("rows").asLong(), sort.toString());

      // another user does not see an admin's profile; an unknown statement has none
      assertEquals(404, profile(server, bob, id, Duration.ZERO).statusCode());
      assertEquals(
          404, profile(server, server.token(), "no-such-statement", Duration.ZERO).statusCode());
    }
  }

  @Test
  void keepsNoneWhenTurnedOff() throws Exception {
    try (RunningServer server =
        RunningServer.start(offDirectory, Map.of("query-history-engine-profile-max-size", "0"))) {
      String id = runQuery(server);
      laterStatementsRecorded(server);
      HttpResponse<String> answer = profile(server, server.token(), id, Duration.ZERO);
      assertEquals(404, answer.statusCode(), answer.body());
      assertTrue(answer.body().contains("RESOURCE_DOES_NOT_EXIST"), answer.body());
    }
  }

  /** Creates two tables, runs {@link #QUERY} and returns its statement id from the history. */
  private static String runQuery(RunningServer server) throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA p");
      s.execute("CREATE TABLE p.customers (id BIGINT, region STRING)");
      s.execute("INSERT INTO p.customers VALUES (1, 'east'), (2, 'west'), (3, 'east')");
      s.execute("CREATE TABLE p.orders (id BIGINT, customer_id BIGINT, amount DOUBLE)");
      s.execute(
          "INSERT INTO p.orders VALUES (1, 1, 20.0), (2, 2, 30.0), (3, 3, 5.0), (4, 1, 50.0),"
              + " (5, 2, 12.5)");
      int rows = 0;
      try (ResultSet rs = s.executeQuery(QUERY)) {
        while (rs.next()) {
          rows++;
        }
      }
      assertEquals(2, rows);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT statement_id FROM system.query.history WHERE statement_text = '"
                    + QUERY.replace("'", "''")
                    + "'")) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
        assertTrue(System.nanoTime() < deadline, "the history never listed the query");
        Thread.sleep(20);
      }
    }
  }

  /** The profile call; polls up to {@code wait} while it answers 404 (history written late). */
  private static HttpResponse<String> profile(
      RunningServer server, String token, String statementId, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          server.server().databricksRest().baseUrl()
                              + "/api/2.0/sql/history/queries/"
                              + statementId
                              + "/profile"))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 404 || System.nanoTime() >= deadline) {
        return answer;
      }
      Thread.sleep(20);
    }
  }

  private static void flatten(JsonNode node, List<JsonNode> out) {
    out.add(node);
    node.path("inputs").forEach(i -> flatten(i, out));
  }

  private static JsonNode scanOf(List<JsonNode> nodes, String table) {
    return nodes.stream()
        .filter(n -> n.path("kind").asText().equals("SCAN"))
        .filter(n -> n.path("table").asText().endsWith("." + table))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no scan of " + table + " in " + nodes));
  }

  private static JsonNode ofKind(List<JsonNode> nodes, String kind) {
    return nodes.stream()
        .filter(n -> n.path("kind").asText().startsWith(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + nodes));
  }

  private static List<String> types(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.get("operators").forEach(o -> out.add(o.get("type").asText()));
    assertFalse(out.isEmpty(), "no engine operator on " + node);
    return out;
  }
}
