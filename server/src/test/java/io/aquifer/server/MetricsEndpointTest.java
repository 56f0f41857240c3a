package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code GET /metrics} on a real server: Prometheus' text format with the statement, warehouse,
 * result store and JVM meters; an admin's token needed unless {@code metrics-access=open}.
 */
class MetricsEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void countsStatementsAndWarehousesForAnAdminAndRefusesOthers(@TempDir Path dir) throws Exception {
    try (RunningServer server = RunningServer.start(dir)) {
      String before = scrape(server, server.token());
      double succeeded = value(before, "aquifer_statements_total", "state=\"SUCCEEDED\"");
      double failed = value(before, "aquifer_statements_total", "state=\"FAILED\"");

      try (Connection c = server.connect();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA m");
        s.execute("CREATE TABLE m.t (x BIGINT)");
        s.execute("INSERT INTO m.t VALUES (1), (2), (3)");
        try (ResultSet rs = s.executeQuery("SELECT sum(x) FROM m.t")) {
          assertTrue(rs.next());
          assertEquals(6, rs.getLong(1));
        }
        assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM m.missing"));
      }

      String after = scrape(server, server.token());
      assertTrue(
          value(after, "aquifer_statements_total", "state=\"SUCCEEDED\"") >= succeeded + 4, after);
      assertTrue(value(after, "aquifer_statements_total", "state=\"FAILED\"") >= failed + 1, after);
      // The Starter Warehouse started for the INSERT and SELECT: one cluster, nothing queued.
      String starter = "warehouse_name=\"Starter Warehouse\"";
      assertEquals(
          1.0, value(after, "aquifer_warehouse_clusters", "state=\"running\"", starter), after);
      assertEquals(0.0, value(after, "aquifer_warehouse_queued_statements", starter), after);
      assertEquals(0.0, value(after, "aquifer_warehouse_running_statements", starter), after);
      assertTrue(value(after, "aquifer_cluster_start_seconds_count") >= 1, after);
      assertTrue(
          value(after, "aquifer_statement_queue_wait_seconds_count", "reason=\"compute\"") >= 2,
          after);
      assertTrue(after.contains("aquifer_result_store_bytes{tier=\"memory\"}"), after);
      assertTrue(value(after, "aquifer_query_plans_total") >= 1, after);
      assertTrue(after.contains("aquifer_query_plans_reused_total"), after);
      assertTrue(value(after, "jvm_memory_used_bytes", "area=\"heap\"") > 0, after);
      assertTrue(value(after, "process_uptime_seconds") > 0, after);

      // Without a token: 401; with a user's token who is not an admin: 403.
      HttpResponse<String> anonymous = get(server, null);
      assertEquals(401, anonymous.statusCode(), anonymous.body());
      assertTrue(anonymous.body().contains("UNAUTHENTICATED"), anonymous.body());
      HttpResponse<String> user = get(server, userToken(dir, "bob"));
      assertEquals(403, user.statusCode(), user.body());
      assertTrue(user.body().contains("PERMISSION_DENIED"), user.body());
      assertTrue(user.body().contains("metrics-access=open"), user.body());
    }
  }

  @Test
  void openAccessLetsAnyoneScrape(@TempDir Path dir) throws Exception {
    try (RunningServer server =
        RunningServer.start(dir, Map.of(ServerConfig.METRICS_ACCESS, "open"))) {
      try (Connection c = server.connect();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA o");
      }
      HttpResponse<String> anonymous = get(server, null);
      assertEquals(200, anonymous.statusCode(), anonymous.body());
      assertTrue(
          anonymous.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
      assertTrue(
          value(anonymous.body(), "aquifer_statements_total", "state=\"SUCCEEDED\"") >= 1,
          anonymous.body());
    }
  }

  private String scrape(RunningServer server, String token) throws Exception {
    HttpResponse<String> response = get(server, token);
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private HttpResponse<String> get(RunningServer server, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.server().databricksRest().baseUrl() + "/metrics"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of the first sample of {@code name} whose labels contain every one of {@code labels}.
   */
  static double value(String scrape, String name, String... labels) {
    OptionalDouble found =
        scrape
            .lines()
            .filter(l -> !l.startsWith("#"))
            .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
            .filter(
                l -> {
                  for (String label : labels) {
                    if (!l.contains(label)) {
                      return false;
                    }
                  }
                  return true;
                })
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .findFirst();
    if (found.isEmpty()) {
      throw new AssertionError(
          "no sample " + name + " " + String.join(",", labels) + " in:\n" + scrape);
    }
    return found.getAsDouble();
  }

  /** A new non-admin user's token, made as an operator would: {@code aquifer token create}. */
  private static String userToken(Path dir, String user) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code =
          new CommandLine(new AquiferCommand())
              .execute("token", "create", "--user", user, "--data-dir", dir.toString());
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8).strip();
  }
}
