package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.AquiferServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the REST API, sent as raw HTTP: each answer is Databricks' error JSON with the
 * status Databricks gives, and nothing changes.
 */
class DatabricksRestBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String WAREHOUSE;

  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static String host;
  private static String otherUserToken;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    host = server.server().databricksRest().baseUrl();
    WAREHOUSE = server.server().databricksRest().warehouseId();
    try (CatalogDatabase database =
        CatalogDatabase.open(dataDirectory.resolve(AquiferServer.CATALOG_FILE))) {
      new PrincipalStore(database).createUser("mallory", false);
      otherUserToken =
          new AccessTokenStore(database)
              .createToken("mallory", Optional.of("rest test"), Optional.empty())
              .token();
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HttpResponse<String> call(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(host + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode error(HttpResponse<String> r, int status, String errorCode)
      throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(errorCode, body.get("error_code").asText(), r.body());
    assertTrue(body.get("message").asText().length() > 0);
    assertTrue(!r.body().contains("at io.aquifer"), "no stack trace: " + r.body());
    return body;
  }

  @Test
  void malformedJsonAndWrongTypesAreMalformedRequests() throws Exception {
    error(
        call("POST", "/api/2.0/sql/statements", "{not json", server.token()),
        400,
        "MALFORMED_REQUEST");
    error(
        call("POST", "/api/2.0/sql/statements", "[1, 2]", server.token()),
        400,
        "MALFORMED_REQUEST");
    error(
        call(
            "POST",
            "/api/2.0/sql/statements",
            "{\"statement\": {\"a\": 1}, \"warehouse_id\": \"" + WAREHOUSE + "\"}",
            server.token()),
        400,
        "MALFORMED_REQUEST");
    error(
        call(
            "POST",
            "/api/2.0/sql/statements",
            "{\"statement\": \"SELECT 1\", \"warehouse_id\": \""
                + WAREHOUSE
                + "\", \"row_limit\": \"ten\"}",
            server.token()),
        400,
        "MALFORMED_REQUEST");
    error(
        call(
            "POST",
            "/api/2.0/sql/statements",
            "{\"warehouse_id\": \"" + WAREHOUSE + "\"}",
            server.token()),
        400,
        "INVALID_PARAMETER_VALUE");
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/api/2.0/sql/statements",
            "{\"statement\": \"SELECT 7 AS x\", \"warehouse_id\": \""
                + WAREHOUSE
                + "\", \"no_such_field\": [1, {\"b\": 2}], \"wait_timeout\": \"30s\"}",
            server.token());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("SUCCEEDED", body.get("status").get("state").asText());
    assertEquals("7", body.get("result").get("data_array").get(0).get(0).asText());
  }

  @Test
  void missingAndBadTokensAreUnauthenticatedAndUnknownPathsNotFound() throws Exception {
    error(call("GET", "/api/2.0/sql/statements/x", null, null), 401, "UNAUTHENTICATED");
    error(call("GET", "/api/2.0/sql/statements/x", null, "nope"), 401, "UNAUTHENTICATED");
    error(call("GET", "/api/2.1/unity-catalog/catalogs", null, null), 401, "UNAUTHENTICATED");
    error(call("GET", "/.well-known/databricks-config", null, null), 404, "ENDPOINT_NOT_FOUND");
    error(call("GET", "/api/2.0/sql/alerts", null, server.token()), 404, "ENDPOINT_NOT_FOUND");
  }

  @Test
  void anUnknownWarehouseDoesNotExist() throws Exception {
    error(
        call(
            "POST",
            "/api/2.0/sql/statements",
            "{\"statement\": \"SELECT 1\", \"warehouse_id\": \"0123456789abcdef\"}",
            server.token()),
        404,
        "RESOURCE_DOES_NOT_EXIST");
    error(
        call(
            "POST",
            "/api/2.0/sql/warehouses/0123456789abcdef/sessions",
            "{\"schema\": \"default\"}",
            server.token()),
        404,
        "RESOURCE_DOES_NOT_EXIST");
  }

  @Test
  void anotherUsersStatementIsNotFoundAndStaysUntouched() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/api/2.0/sql/statements",
            "{\"statement\": \"SELECT 1 AS one\", \"warehouse_id\": \"" + WAREHOUSE + "\"}",
            server.token());
    String id = JSON.readTree(r.body()).get("statement_id").asText();
    error(
        call("GET", "/api/2.0/sql/statements/" + id, null, otherUserToken),
        404,
        "RESOURCE_DOES_NOT_EXIST");
    error(
        call("POST", "/api/2.0/sql/statements/" + id + "/cancel", null, otherUserToken),
        404,
        "RESOURCE_DOES_NOT_EXIST");
    error(
        call("DELETE", "/api/2.0/sql/statements/" + id, null, otherUserToken),
        404,
        "RESOURCE_DOES_NOT_EXIST");
    error(
        call("GET", "/api/2.0/sql/statements/" + id + "/result/chunks/0", null, otherUserToken),
        404,
        "RESOURCE_DOES_NOT_EXIST");
    HttpResponse<String> mine = call("GET", "/api/2.0/sql/statements/" + id, null, server.token());
    assertEquals("SUCCEEDED", JSON.readTree(mine.body()).get("status").get("state").asText());
  }

  @Test
  void chunkIndexesOutOfRangeAndTraversalAreRefused() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/api/2.0/sql/statements",
            "{\"statement\": \"SELECT 1 AS one\", \"warehouse_id\": \"" + WAREHOUSE + "\"}",
            server.token());
    String id = JSON.readTree(r.body()).get("statement_id").asText();
    error(
        call("GET", "/api/2.0/sql/statements/" + id + "/result/chunks/5", null, server.token()),
        400,
        "INVALID_PARAMETER_VALUE");
    error(
        call("GET", "/api/2.0/sql/statements/" + id + "/result/chunks/-1", null, server.token()),
        400,
        "INVALID_PARAMETER_VALUE");
    error(
        call("GET", "/api/2.0/sql/statements/..%2F..%2Fetc/result/chunks/0", null, server.token()),
        404,
        "ENDPOINT_NOT_FOUND");
    error(
        call(
            "GET",
            "/external-links/" + id + "/0?format=CSV&expires=9999999999&signature=forged",
            null,
            null),
        403,
        "PERMISSION_DENIED");
  }
}
