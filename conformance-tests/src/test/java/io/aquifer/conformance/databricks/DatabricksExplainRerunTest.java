package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the web editor's history page sends, through the Statement Execution API with the result
 * cache on: TPC-H Q1 with {@code EXTERNAL_LINKS} polled from {@code wait_timeout 0s}, {@code
 * EXPLAIN} of it {@code INLINE}, and Q1 again, in turn and overlapping; every answer carries its
 * own statement's rows and columns. The page marks the statements it runs on its own with a leading
 * comment ({@value #OWN_MARK}); the Query History API gives their text as sent, so the page can
 * leave them out of its list.
 */
class DatabricksExplainRerunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String Q1 =
      "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty,"
          + " round(avg(l_discount), 4) AS avg_disc, count(*) AS count_order\n"
          + "FROM samples.tpch_sf0_01.lineitem\n"
          + "WHERE l_shipdate <= DATE '1998-09-02'\n"
          + "GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus";

  /** The comment the editor puts before the statements it runs on its own (editor.js). */
  private static final String OWN_MARK = "/* aquifer-editor */";

  private static final List<String> Q1_COLUMNS =
      List.of("l_returnflag", "l_linestatus", "sum_qty", "avg_disc", "count_order");

  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static String baseUrl;
  private static String warehouseId;

  @BeforeAll
  static void start() throws Exception {
    server =
        ConformanceServer.startWithSample(dataDirectory, Map.of(ServerConfig.RESULT_CACHE, "true"));
    baseUrl = server.server().databricksRest().baseUrl();
    warehouseId = server.server().databricksRest().warehouseId();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void q1ExplainAndQ1AgainEachAnswerTheirOwnRows() throws Exception {
    List<List<String>> expected = q1(Q1);
    assertEquals(4, expected.size());
    assertEquals(List.of("A", "F"), expected.get(0).subList(0, 2));
    assertEquals(List.of("R", "F"), expected.get(3).subList(0, 2));
    for (int i = 0; i < 5; i++) {
      assertEquals(expected, q1(Q1), "Q1 before EXPLAIN, round " + i);
      explain(post(explainRequest()));
      assertEquals(expected, q1(Q1), "Q1 after EXPLAIN, round " + i);
    }
  }

  @Test
  void q1StartedWhileItsExplainRunsAnswersItsOwnRows() throws Exception {
    List<List<String>> expected = q1(Q1);
    for (int i = 0; i < 8; i++) {
      CompletableFuture<HttpResponse<String>> explaining =
          HTTP.sendAsync(request("POST", "/api/2.0/sql/statements", explainRequest()), ofString());
      assertEquals(expected, q1(Q1), "Q1 overlapping EXPLAIN, round " + i);
      explain(body(explaining.get()));
      assertEquals(expected, q1(Q1), "Q1 after EXPLAIN, round " + i);
    }
  }

  @Test
  void theEditorsMarkedStatementsRunAndKeepTheirTextInTheHistory() throws Exception {
    JsonNode explained = awaitEnd(post(explainRequest()));
    explain(explained);
    Map<String, Object> functions = new LinkedHashMap<>();
    functions.put("statement", OWN_MARK + " SHOW FUNCTIONS");
    functions.put("warehouse_id", warehouseId);
    functions.put("wait_timeout", "10s");
    functions.put("on_wait_timeout", "CANCEL");
    JsonNode shown = awaitEnd(post(functions));
    assertEquals("SUCCEEDED", shown.at("/status/state").asText(), shown::toString);
    assertTrue(shown.at("/manifest/total_row_count").asInt() > 0, shown::toString);
    // the same plan as an EXPLAIN without the comment (a user's own, which stays unmarked)
    Map<String, Object> plain = explainRequest();
    plain.put("statement", "EXPLAIN " + Q1);
    JsonNode unmarked = awaitEnd(post(plain));
    explain(unmarked);
    // (the node data cache section may change between the two as the cache fills in the background)
    assertEquals(
        withoutDataCache(unmarked.at("/result/data_array/0/0").asText()),
        withoutDataCache(explained.at("/result/data_array/0/0").asText()));

    assertHistory(explained, OWN_MARK + " EXPLAIN " + Q1, "EXPLAIN");
    assertHistory(shown, OWN_MARK + " SHOW FUNCTIONS", "SHOW");
    assertHistory(unmarked, "EXPLAIN " + Q1, "EXPLAIN");
  }

  @Test
  void explainAnalyzeGivesThePlanAndTheEnginesProfileOfARun() throws Exception {
    List<List<String>> expected = q1(Q1);
    Map<String, Object> request = explainRequest();
    request.put("statement", OWN_MARK + " EXPLAIN ANALYZE " + Q1);
    JsonNode analyzed = awaitEnd(post(request));
    assertEquals("SUCCEEDED", analyzed.at("/status/state").asText(), analyzed::toString);
    assertEquals(List.of("plan", "profile"), columns(analyzed));
    assertEquals(1, analyzed.at("/result/data_array").size(), analyzed::toString);
    JsonNode plain = awaitEnd(post(explainRequest()));
    assertEquals(
        plain.at("/result/data_array/0/0").asText(),
        analyzed.at("/result/data_array/0/0").asText(),
        "the plan column is what EXPLAIN gives");
    // DuckDB's own profile: the operators under its EXPLAIN_ANALYZE wrapper, with real counts
    JsonNode profile = JSON.readTree(analyzed.at("/result/data_array/0/1").asText());
    List<JsonNode> operators = new ArrayList<>();
    operators(profile.path("operator"), operators);
    assertFalse(operators.isEmpty(), profile::toString);
    assertEquals(4, operators.get(0).path("intermediate_rows").asLong(), profile::toString);
    assertTrue(
        operators.stream().anyMatch(o -> o.path("type").asText().equals("ORDER_BY")),
        profile::toString);
    long qualifying = expected.stream().mapToLong(r -> Long.parseLong(r.get(4))).sum();
    assertTrue(
        operators.stream().anyMatch(o -> o.path("intermediate_rows").asLong() == qualifying),
        () -> "an operator produced the " + qualifying + " rows Q1 aggregates: " + profile);
    assertTrue(operators.stream().allMatch(o -> o.path("timing").isNumber()), profile::toString);
    assertHistory(analyzed, OWN_MARK + " EXPLAIN ANALYZE " + Q1, "EXPLAIN");
    // the profiled run left Q1's own answer (and the result cache) alone
    assertEquals(expected, q1(Q1));

    // system tables are read in the gateway: no engine profile (EXPLAIN still plans them)
    request.put("statement", "EXPLAIN SELECT * FROM system.query.history");
    JsonNode systemPlan = awaitEnd(post(request));
    assertEquals("SUCCEEDED", systemPlan.at("/status/state").asText(), systemPlan::toString);
    assertTrue(
        systemPlan.at("/result/data_array/0/0").asText().contains("system tables"),
        systemPlan::toString);
    request.put("statement", "EXPLAIN ANALYZE SELECT * FROM system.query.history");
    JsonNode refused = awaitEnd(post(request));
    assertEquals("FAILED", refused.at("/status/state").asText(), refused::toString);
    assertTrue(
        refused.at("/status/error/message").asText().contains("EXPLAIN ANALYZE"),
        refused::toString);
    assertEquals("0A000", refused.at("/status/sql_state").asText(), refused::toString);
  }

  /** The operators of DuckDB's JSON profile, depth first, without its wrappers. */
  private static void operators(JsonNode nodes, List<JsonNode> out) {
    for (JsonNode node : nodes) {
      String type = node.path("type").asText();
      if (!type.equals("EXPLAIN_ANALYZE") && !type.equals("RESULT_COLLECTOR")) {
        out.add(node);
      }
      operators(node.path("children"), out);
    }
  }

  /** The Query History API's entry for the statement: its text exactly as sent, and its type. */
  private static void assertHistory(JsonNode answer, String text, String type) throws Exception {
    String id = answer.get("statement_id").asText();
    JsonNode entry = null;
    // the history records a statement when it has ended
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      entry =
          body(HTTP.send(
                  request(
                      "GET", "/api/2.0/sql/history/queries?filter_by.statement_ids=" + id, null),
                  ofString()))
              .at("/res/0");
      if (!entry.isMissingNode()) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(id, entry.path("query_id").asText(), () -> "no history entry for " + id);
    assertEquals(text, entry.get("query_text").asText());
    assertEquals(type, entry.get("statement_type").asText());
    assertEquals("FINISHED", entry.get("status").asText());
  }

  private static Map<String, Object> explainRequest() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("statement", OWN_MARK + " EXPLAIN " + Q1);
    body.put("warehouse_id", warehouseId);
    body.put("wait_timeout", "30s");
    body.put("disposition", "INLINE");
    body.put("format", "JSON_ARRAY");
    return body;
  }

  /** Checks an EXPLAIN's answer (polled to its end): one row, one column {@code plan}. */
  /** An EXPLAIN text without its "== Node Data Cache ==" section (the last one). */
  private static String withoutDataCache(String plan) {
    int at = plan.indexOf("\n== Node Data Cache ==");
    return at < 0 ? plan : plan.substring(0, at);
  }

  private static void explain(JsonNode answer) throws Exception {
    answer = awaitEnd(answer);
    assertEquals("SUCCEEDED", answer.at("/status/state").asText(), answer::toString);
    assertEquals(List.of("plan"), columns(answer));
    JsonNode rows = answer.at("/result/data_array");
    assertEquals(1, rows.size(), answer::toString);
    assertTrue(rows.get(0).get(0).asText().startsWith("== Logical Plan =="), answer::toString);
  }

  /** Runs Q1 as the editor does and reads every chunk through its external link. */
  private static List<List<String>> q1(String sql) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("statement", sql);
    body.put("warehouse_id", warehouseId);
    body.put("wait_timeout", "0s");
    body.put("disposition", "EXTERNAL_LINKS");
    body.put("format", "JSON_ARRAY");
    JsonNode answer = awaitEnd(post(body));
    String id = answer.get("statement_id").asText();
    assertEquals("SUCCEEDED", answer.at("/status/state").asText(), answer::toString);
    assertEquals(Q1_COLUMNS, columns(answer), answer::toString);
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode chunk : answer.at("/manifest/chunks")) {
      int index = chunk.get("chunk_index").asInt();
      JsonNode links =
          index == 0
              ? answer.at("/result/external_links")
              : body(HTTP.send(
                      request(
                          "GET", "/api/2.0/sql/statements/" + id + "/result/chunks/" + index, null),
                      ofString()))
                  .get("external_links");
      String link = links.get(0).get("external_link").asText();
      HttpResponse<String> data =
          HTTP.send(HttpRequest.newBuilder(URI.create(link)).GET().build(), ofString());
      assertEquals(200, data.statusCode(), data::body);
      JsonNode array = JSON.readTree(data.body());
      assertEquals(chunk.get("row_count").asInt(), array.size(), data::body);
      for (JsonNode row : array) {
        List<String> values = new ArrayList<>();
        row.forEach(v -> values.add(v.isNull() ? null : v.asText()));
        rows.add(values);
      }
    }
    assertEquals(answer.at("/manifest/total_row_count").asInt(), rows.size());
    return rows;
  }

  private static List<String> columns(JsonNode answer) {
    List<String> names = new ArrayList<>();
    answer.at("/manifest/schema/columns").forEach(c -> names.add(c.get("name").asText()));
    return names;
  }

  private static JsonNode awaitEnd(JsonNode answer) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    String id = answer.get("statement_id").asText();
    while (List.of("PENDING", "RUNNING").contains(answer.at("/status/state").asText())
        && System.nanoTime() < deadline) {
      answer = body(HTTP.send(request("GET", "/api/2.0/sql/statements/" + id, null), ofString()));
      assertEquals(id, answer.get("statement_id").asText());
    }
    return answer;
  }

  private static JsonNode post(Map<String, Object> body) throws Exception {
    return body(HTTP.send(request("POST", "/api/2.0/sql/statements", body), ofString()));
  }

  private static JsonNode body(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response::body);
    return JSON.readTree(response.body());
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static HttpRequest request(String method, String path, Object body) throws Exception {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Authorization", "Bearer " + server.token())
        .header("Content-Type", "application/json")
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .timeout(Duration.ofSeconds(60))
        .build();
  }
}
