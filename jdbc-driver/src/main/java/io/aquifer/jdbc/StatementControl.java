package io.aquifer.jdbc;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Avatica's protocol cannot say about a statement, sent to the server's side endpoints: {@code
 * Statement.cancel()} to {@code POST /aquifer/cancel} (Avatica's client cancel only sets a local
 * flag after waiting for the running call), and {@code Statement.setQueryTimeout} to {@code POST
 * /aquifer/query-timeout} (Avatica sends no timeout; the server enforces it and cancels the query
 * in the engine). The connection id, known only to this connection, names the statement. Also the
 * cancel of a statement by its server-side id, which another connection of the same user may run,
 * and the question which server-side statement a statement of this connection runs now.
 */
final class StatementControl {
  static final String CANCEL_PATH = "/aquifer/cancel";
  static final String QUERY_TIMEOUT_PATH = "/aquifer/query-timeout";
  static final String RUNNING_PATH = "/aquifer/running";
  private static final Pattern JSON_FIELD =
      Pattern.compile("\"(\\w+)\"\\s*:\\s*(null|\"((?:[^\"\\\\]|\\\\.)*)\")");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String base;
  private volatile HttpClient client;

  StatementControl(String serverUrl) {
    this.base =
        serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
  }

  void cancel(String connectionId, int statementId) throws SQLException {
    post(CANCEL_PATH, form(connectionId, statementId), "cancel");
  }

  /**
   * Cancels a gateway statement by id from this connection (its principal's, or anyone's for an
   * admin). @throws SQLException with the server's error class and SQLSTATE when the id is unknown
   * or foreign
   */
  void cancelById(String connectionId, String gatewayStatementId) throws SQLException {
    HttpResponse<String> response =
        send(
            CANCEL_PATH,
            "connection_id="
                + URLEncoder.encode(connectionId, StandardCharsets.UTF_8)
                + "&gateway_statement_id="
                + URLEncoder.encode(gatewayStatementId, StandardCharsets.UTF_8),
            "cancel");
    if (response.statusCode() != 200) {
      Map<String, String> error = fields(response.body());
      throw new SQLException(
          error.getOrDefault(
              "error", "The cancel failed: HTTP " + response.statusCode() + " " + response.body()),
          error.getOrDefault("sqlstate", "HY000"));
    }
  }

  /** The gateway id of what a statement runs now; empty when nothing runs. */
  Optional<String> runningStatementId(String connectionId, int statementId) throws SQLException {
    HttpResponse<String> response =
        send(RUNNING_PATH, form(connectionId, statementId), "running statement request");
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new SQLException(
          "Asking for the running statement failed: HTTP "
              + response.statusCode()
              + " "
              + response.body(),
          "HY000");
    }
    return Optional.ofNullable(fields(response.body()).get("gateway_statement_id"));
  }

  /** The string fields of a flat JSON object (null ones are left out). */
  private static Map<String, String> fields(String json) {
    Map<String, String> fields = new HashMap<>();
    Matcher m = JSON_FIELD.matcher(json);
    while (m.find()) {
      if (m.group(3) != null) {
        fields.put(m.group(1), m.group(3).replaceAll("\\\\(.)", "$1"));
      }
    }
    return fields;
  }

  void queryTimeout(String connectionId, int statementId, int seconds) throws SQLException {
    post(
        QUERY_TIMEOUT_PATH,
        form(connectionId, statementId) + "&seconds=" + seconds,
        "query timeout");
  }

  private static String form(String connectionId, int statementId) {
    return "connection_id="
        + URLEncoder.encode(connectionId, StandardCharsets.UTF_8)
        + "&statement_id="
        + statementId;
  }

  private void post(String path, String form, String what) throws SQLException {
    HttpResponse<String> response = send(path, form, what);
    // 404: the statement or connection is gone, so nothing runs any more.
    if (response.statusCode() != 200 && response.statusCode() != 404) {
      throw new SQLException(
          "The " + what + " failed: HTTP " + response.statusCode() + " " + response.body(),
          "HY000");
    }
  }

  private HttpResponse<String> send(String path, String form, String what) throws SQLException {
    URI endpoint = URI.create(base + path);
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response;
    try {
      response = client().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SQLException("Cannot send the " + what + " to " + endpoint + ": " + e, "08006", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Interrupted while sending the " + what, "HY008", e);
    }
    return response;
  }

  private HttpClient client() {
    HttpClient current = client;
    if (current == null) {
      synchronized (this) {
        if (client == null) {
          client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        }
        current = client;
      }
    }
    return current;
  }
}
