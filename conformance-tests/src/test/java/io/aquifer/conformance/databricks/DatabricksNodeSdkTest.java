package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.conformance.ConformanceServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @databricks/sdk-experimental}, Databricks' SDK for JavaScript, against the REST API: a
 * statement through the Statement Execution API (rows, column names, a failed statement's state and
 * error) and Unity Catalog listings of catalogs and tables. The SDK is installed from {@code
 * clients/databricks-node/package-lock.json} by {@code scripts/test}.
 */
class DatabricksNodeSdkTest {
  private static final Path CLIENT = Path.of("..", "clients", "databricks-node");

  @TempDir Path dataDirectory;

  @Test
  void nodeSdkExecutesStatementsAndListsTheCatalog() throws Exception {
    assertTrue(
        Files.isDirectory(CLIENT.resolve("node_modules/@databricks/sdk-experimental")),
        "@databricks/sdk-experimental is not installed: run scripts/test, or npm install in "
            + CLIENT);
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE main.default.birds (id INT, name STRING)");
        s.execute("INSERT INTO main.default.birds VALUES (1, 'wren'), (2, 'robin')");
      }
      String output =
          run(
              List.of(
                  "node",
                  "sdk-check.mjs",
                  server.server().databricksRest().baseUrl(),
                  server.token(),
                  server.server().databricksRest().warehouseId()));
      Map<String, JsonNode> steps = new HashMap<>();
      ObjectMapper json = new ObjectMapper();
      for (String line : output.split("\n")) {
        if (line.startsWith("{\"step\"")) {
          JsonNode step = json.readTree(line);
          steps.put(step.get("step").asText(), step.get("value"));
        }
      }
      assertEquals("\"SUCCEEDED\"", String.valueOf(steps.get("state")), output);
      assertEquals(
          "[[\"1\",\"wren\"],[\"2\",\"robin\"]]", String.valueOf(steps.get("rows")), output);
      assertEquals("[\"id\",\"name\"]", String.valueOf(steps.get("columns")), output);
      assertTrue(String.valueOf(steps.get("catalogs")).contains("\"main\""), output);
      assertEquals("[\"main.default.birds\"]", String.valueOf(steps.get("tables")), output);
      JsonNode error = steps.get("error");
      assertEquals("FAILED", error.get("state").asText(), output);
      assertTrue(error.get("error").get("message").asText().contains("no_such_table"), output);
    }
  }

  /** Runs node to its end (at most 2 minutes) and returns its output; fails unless exit 0. */
  private static String run(List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    boolean ended = p.waitFor(2, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertTrue(ended, "node did not end: " + text);
    assertEquals(0, p.exitValue(), "node failed: " + text);
    return text;
  }
}
