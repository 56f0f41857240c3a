package io.aquifer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The few calls of Databricks' public REST API that {@code aquifer load} makes, as any program
 * would make them with a personal access token: the Files API 2.0 on volume paths and the Statement
 * Execution API. Uploads stream the file from disk with its length, never holding it in memory.
 */
final class DatabricksRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STATEMENT_POLL = Duration.ofMillis(250);

  private final URI host;
  private final String token;
  private final HttpClient http;

  DatabricksRestClient(URI host, String token) {
    this.host = requireNonNull(host, "host");
    this.token = requireNonNull(token, "token");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** A call that the server answered with an error (HTTP status, Databricks error code). */
  static final class ApiError extends Exception {
    private final int status;
    private final String errorCode;

    ApiError(int status, String errorCode, String message) {
      super(message);
      this.status = status;
      this.errorCode = requireNonNull(errorCode, "errorCode");
    }

    int status() {
      return status;
    }

    String errorCode() {
      return errorCode;
    }
  }

  /**
   * A statement's end: its first result row (empty for none) or the error it failed with.
   *
   * @param errorCode Databricks' error code of a failed statement, e.g. {@code
   *     TABLE_OR_VIEW_ALREADY_EXISTS}
   */
  record StatementOutcome(
      String state,
      Optional<JsonNode> firstRow,
      Optional<String> errorCode,
      Optional<String> sqlState,
      Optional<String> message) {
    StatementOutcome {
      requireNonNull(state, "state");
      requireNonNull(firstRow, "firstRow");
      requireNonNull(errorCode, "errorCode");
      requireNonNull(sqlState, "sqlState");
      requireNonNull(message, "message");
    }

    boolean succeeded() {
      return state.equals("SUCCEEDED");
    }
  }

  /** {@code HEAD /api/2.0/fs/directories/<path>}: whether the directory exists. */
  boolean directoryExists(String volumePath) throws ApiError, IOException {
    HttpResponse<String> response =
        send(
            request("/api/2.0/fs/directories", volumePath)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (response.statusCode() == 404) {
      return false;
    }
    check(response);
    return true;
  }

  /** {@code PUT /api/2.0/fs/directories/<path>}: creates the directory and its parents. */
  void createDirectory(String volumePath) throws ApiError, IOException {
    check(
        send(
            request("/api/2.0/fs/directories", volumePath)
                .PUT(HttpRequest.BodyPublishers.noBody())));
  }

  /** {@code DELETE /api/2.0/fs/directories/<path>}: deletes an empty directory. */
  void deleteDirectory(String volumePath) throws ApiError, IOException {
    check(send(request("/api/2.0/fs/directories", volumePath).DELETE()));
  }

  /** {@code DELETE /api/2.0/fs/files/<path>}. */
  void deleteFile(String volumePath) throws ApiError, IOException {
    check(send(request("/api/2.0/fs/files", volumePath).DELETE()));
  }

  /** {@code HEAD /api/2.0/fs/files/<path>}: the file's size in bytes. */
  long fileSize(String volumePath) throws ApiError, IOException {
    HttpResponse<String> response =
        send(
            request("/api/2.0/fs/files", volumePath)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    check(response);
    return response.headers().firstValueAsLong("Content-Length").orElse(-1);
  }

  /**
   * {@code PUT /api/2.0/fs/files/<path>?overwrite=...}: streams {@code file} from disk with its
   * length; {@code uploaded} hears the bytes sent so far.
   */
  void upload(String volumePath, Path file, boolean overwrite, LongConsumer uploaded)
      throws ApiError, IOException {
    long size = Files.size(file);
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(
                () -> {
                  try {
                    return new CountingInputStream(Files.newInputStream(file), uploaded);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }),
            size);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/api/2.0/fs/files", volumePath, "overwrite=" + overwrite))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/octet-stream")
            .PUT(body);
    check(send(request));
  }

  /**
   * Runs one statement with the Statement Execution API ({@code POST /api/2.0/sql/statements}, then
   * polling {@code GET /api/2.0/sql/statements/<id>} until it ends).
   */
  StatementOutcome execute(String warehouseId, String sql) throws ApiError, IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("warehouse_id", warehouseId);
    body.put("statement", sql);
    body.put("wait_timeout", "50s");
    body.put("on_wait_timeout", "CONTINUE");
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(host.resolve("/api/2.0/sql/statements"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    check(response);
    JsonNode answer = JSON.readTree(response.body());
    String id = answer.path("statement_id").asText();
    while (isRunning(answer)) {
      try {
        Thread.sleep(STATEMENT_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for statement " + id, e);
      }
      HttpResponse<String> poll =
          send(
              HttpRequest.newBuilder(host.resolve("/api/2.0/sql/statements/" + encodeSegment(id)))
                  .header("Authorization", "Bearer " + token)
                  .GET());
      check(poll);
      answer = JSON.readTree(poll.body());
    }
    JsonNode status = answer.path("status");
    JsonNode rows = answer.path("result").path("data_array");
    return new StatementOutcome(
        status.path("state").asText(),
        rows.isArray() && rows.size() > 0 ? Optional.of(rows.get(0)) : Optional.empty(),
        text(status.path("error").path("error_code")),
        text(status.path("sql_state")),
        text(status.path("error").path("message")));
  }

  /** {@code GET /api/2.0/sql/warehouses}: the first warehouse's id. */
  Optional<String> firstWarehouseId() throws ApiError, IOException {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(host.resolve("/api/2.0/sql/warehouses"))
                .header("Authorization", "Bearer " + token)
                .GET());
    check(response);
    JsonNode warehouses = JSON.readTree(response.body()).path("warehouses");
    return warehouses.isArray() && warehouses.size() > 0
        ? text(warehouses.get(0).path("id"))
        : Optional.empty();
  }

  private static boolean isRunning(JsonNode answer) {
    String state = answer.path("status").path("state").asText();
    return state.equals("PENDING") || state.equals("RUNNING");
  }

  private static Optional<String> text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  private HttpRequest.Builder request(String api, String volumePath) {
    return HttpRequest.newBuilder(uri(api, volumePath, null))
        .header("Authorization", "Bearer " + token);
  }

  private URI uri(String api, String volumePath, String query) {
    if (!volumePath.startsWith("/")) {
      throw new IllegalArgumentException("not an absolute volume path: " + volumePath);
    }
    StringBuilder path = new StringBuilder(api);
    for (String segment : volumePath.substring(1).split("/", -1)) {
      path.append('/').append(encodeSegment(segment));
    }
    if (query != null) {
      path.append('?').append(query);
    }
    return host.resolve(path.toString());
  }

  private static String encodeSegment(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void check(HttpResponse<String> response) throws ApiError {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String code = "HTTP_" + status;
    String message = "HTTP " + status;
    String body = response.body();
    if (body != null && !body.isBlank()) {
      try {
        JsonNode error = JSON.readTree(body);
        code = error.path("error_code").asText(code);
        message = error.path("message").asText(message);
      } catch (IOException notJson) {
        message = body.strip();
      }
    } else if (status == 404) {
      code = "NOT_FOUND";
      message = "not found";
    } else if (status == 403) {
      code = "PERMISSION_DENIED";
      message = "permission denied";
    }
    throw new ApiError(status, code, message);
  }

  /** Reports the bytes read through it, for the progress bar. */
  private static final class CountingInputStream extends FilterInputStream {
    private final LongConsumer uploaded;
    private long count;

    CountingInputStream(InputStream in, LongConsumer uploaded) {
      super(in);
      this.uploaded = uploaded;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        uploaded.accept(++count);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
        uploaded.accept(count);
      }
      return n;
    }
  }
}
