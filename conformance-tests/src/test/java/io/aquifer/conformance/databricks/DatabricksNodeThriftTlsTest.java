package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.ServerConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @databricks/sql} 2.1.0, Databricks' Node.js driver (HTTPS only), against the Thrift
 * protocol over TLS with a self-signed certificate it is given as {@code customCaCert}: connect,
 * query, metadata, an error, close. The driver is installed from {@code
 * clients/databricks-node/package-lock.json} by {@code scripts/test} ({@code npm ci}).
 */
class DatabricksNodeThriftTlsTest {
  private static final Path CLIENT = Path.of("..", "clients", "databricks-node");

  @TempDir Path dataDirectory;
  @TempDir Path keys;

  @Test
  void nodeDriverConnectsQueriesListsMetadataAndCloses() throws Exception {
    assertTrue(
        Files.isDirectory(CLIENT.resolve("node_modules/@databricks/sql")),
        "@databricks/sql is not installed: run scripts/test, or npm ci in " + CLIENT);
    Path cert = keys.resolve("cert.pem");
    Path key = keys.resolve("key.pem");
    run(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString()),
        Path.of("."));

    try (ConformanceServer server =
        ConformanceServer.start(
            dataDirectory,
            Map.of(ServerConfig.TLS_CERT, cert.toString(), ServerConfig.TLS_KEY, key.toString()))) {
      String jdbc =
          server.server().databricksRest().jdbcUrl().replace(";useThriftClient=0", "")
              + ";UID=token;PWD="
              + server.token();
      try (Connection c = DriverManager.getConnection(jdbc + ";AllowSelfSignedCerts=1");
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE birds (id INT, name STRING)");
        s.execute("INSERT INTO birds VALUES (1, 'wren'), (2, 'robin')");
      }
      URI base = URI.create(server.server().databricksRest().baseUrl());
      assertEquals("https", base.getScheme());
      String output =
          run(
              List.of(
                  "node",
                  "check.mjs",
                  base.getHost(),
                  Integer.toString(base.getPort()),
                  server.server().databricksRest().httpPath(),
                  server.token(),
                  cert.toAbsolutePath().toString(),
                  "birds"),
              CLIENT);
      Map<String, JsonNode> steps = new HashMap<>();
      ObjectMapper json = new ObjectMapper();
      for (String line : output.split("\n")) {
        if (line.startsWith("{\"step\"")) {
          JsonNode step = json.readTree(line);
          steps.put(step.get("step").asText(), step.get("value"));
        }
      }
      assertEquals(
          "[{\"id\":1,\"name\":\"wren\"},{\"id\":2,\"name\":\"robin\"}]",
          steps.get("query").toString(),
          output);
      assertTrue(contains(steps.get("catalogs"), "main"), output);
      assertTrue(contains(steps.get("schemas"), "default"), output);
      assertTrue(contains(steps.get("tables"), "birds"), output);
      assertEquals("[\"id\",\"name\"]", steps.get("columns").toString(), output);
      assertEquals("42P01", steps.get("error").get("sqlState").asText(), output);
      assertTrue(steps.get("error").get("message").asText().contains("no_such_table"), output);
      assertTrue(steps.get("closed").asBoolean(), output);
    }
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode n : array) {
      if (n.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command to its end (at most 2 minutes) and returns its output; fails unless exit 0. */
  private static String run(List<String> command, Path directory) throws Exception {
    Process p =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    boolean ended = p.waitFor(2, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertTrue(ended, command.get(0) + " did not end: " + text);
    assertEquals(0, p.exitValue(), command.get(0) + " failed: " + text);
    return text;
  }
}
