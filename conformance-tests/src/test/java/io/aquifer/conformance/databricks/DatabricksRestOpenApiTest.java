package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.conformance.ConformanceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/openapi.json} against the server: every operation it lists is served (called with
 * made-up names and ids, each answers anything but "no such endpoint"), it lists exactly the
 * operations of the REST front end's route table (both ways), and it is valid OpenAPI 3.0 in shape
 * (every operation has a summary, responses and its path parameters). A known path called with a
 * method it does not take answers 405 with {@code Allow}.
 */
class DatabricksRestOpenApiTest {
  private static final Path OPENAPI = Path.of("..", "docs", "openapi.json");

  /** Documented operations served outside the route table: the Thrift protocol's mount. */
  private static final Set<String> OUTSIDE_ROUTE_TABLE =
      Set.of("POST /sql/1.0/warehouses/{warehouse_id}");

  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static String host;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory, Map.of("metrics-access", "open"));
    host = server.server().databricksRest().baseUrl();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String sample(String parameter) {
    return switch (parameter) {
      case "chunk_index" -> "0";
      case "securable_type" -> "catalog";
      case "full_name" -> "nope.nope.nope";
      case "path" -> "Volumes/nope/nope/nope/file.txt";
      default -> "nope";
    };
  }

  private static HttpResponse<String> call(String method, String path) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(host + path))
            .header("Authorization", "Bearer " + server.token());
    boolean body = List.of("POST", "PUT", "PATCH").contains(method);
    request.method(
        method,
        body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean notServed(HttpResponse<String> response) {
    return response.statusCode() == 405
        || response.statusCode() == 404 && response.body().contains("ENDPOINT_NOT_FOUND");
  }

  @Test
  void everyDocumentedOperationIsServed() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(Files.readString(OPENAPI));
    assertTrue(doc.get("openapi").asText().startsWith("3."));
    List<String> missing = new ArrayList<>();
    int operations = 0;
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> op = methods.next();
        operations++;
        String method = op.getKey().toUpperCase(Locale.ROOT);
        JsonNode operation = op.getValue();
        assertTrue(operation.hasNonNull("summary"), method + " " + path.getKey());
        assertTrue(operation.has("responses"), method + " " + path.getKey());
        String concrete = path.getKey();
        for (String part : path.getKey().split("/")) {
          if (part.startsWith("{")) {
            String name = part.substring(1, part.length() - 1);
            boolean declared = false;
            for (JsonNode p : operation.path("parameters")) {
              declared |=
                  p.get("name").asText().equals(name) && p.get("in").asText().equals("path");
            }
            assertTrue(declared, name + " of " + method + " " + path.getKey());
            concrete = concrete.replace(part, sample(name));
          }
        }
        HttpResponse<String> response = call(method, concrete);
        if (notServed(response)) {
          missing.add(method + " " + concrete + " -> " + response.statusCode());
        }
      }
    }
    assertEquals(List.of(), missing, "documented but not served");
    assertTrue(operations > 50, "operations: " + operations);
  }

  private static Set<String> documentedOperations() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(Files.readString(OPENAPI));
    Set<String> operations = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(m -> operations.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
    }
    return operations;
  }

  @Test
  void theDocumentListsExactlyTheRouteTable() throws Exception {
    Set<String> documented = documentedOperations();
    Set<String> routes = new TreeSet<>(server.server().databricksRest().operations());
    assertTrue(routes.size() > 50, "routes: " + routes);
    assertTrue(routes.contains("PUT /api/2.0/preview/scim/v2/Users/{id}"), routes.toString());
    assertTrue(routes.contains("PUT /api/2.0/preview/scim/v2/Groups/{id}"), routes.toString());

    Set<String> undocumented = new TreeSet<>(routes);
    undocumented.removeAll(documented);
    assertEquals(Set.of(), undocumented, "served but not in docs/openapi.json");

    Set<String> unrouted = new TreeSet<>(documented);
    unrouted.removeAll(routes);
    assertEquals(OUTSIDE_ROUTE_TABLE, unrouted, "in docs/openapi.json but not in the route table");
  }

  @Test
  void aPathThatIsNotServedIsRecognisedAsSuch() throws Exception {
    HttpResponse<String> response = call("GET", "/api/2.0/sql/nothing-here");
    assertEquals(404, response.statusCode(), response.body());
    assertEquals(
        "ENDPOINT_NOT_FOUND",
        new ObjectMapper().readTree(response.body()).get("error_code").asText());
    assertTrue(response.headers().firstValue("Allow").isEmpty());
  }

  @Test
  void aKnownPathWithAnotherMethodIsNotAllowed() throws Exception {
    for (String[] c :
        new String[][] {
          {"PATCH", "/api/2.0/sql/warehouses", "GET, POST"},
          {"PUT", "/api/2.0/sql/warehouses/", "GET, POST"},
          {"POST", "/healthz", "GET, HEAD"},
          {"GET", "/api/2.0/sql/statements/nope/cancel", "POST"},
          {"POST", "/api/2.0/preview/scim/v2/Users/nope", "DELETE, GET, PATCH, PUT"},
          {"POST", "/api/2.0/fs/files/Volumes/a/b/c/f.txt", "DELETE, GET, HEAD, PUT"}
        }) {
      HttpResponse<String> response = call(c[0], c[1]);
      assertEquals(405, response.statusCode(), c[0] + " " + c[1] + ": " + response.body());
      assertEquals(c[2], response.headers().firstValue("Allow").orElse(""), c[0] + " " + c[1]);
      JsonNode error = new ObjectMapper().readTree(response.body());
      assertEquals("METHOD_NOT_ALLOWED", error.get("error_code").asText(), response.body());
      assertTrue(error.get("message").asText().contains(c[2]), response.body());
    }
  }
}
