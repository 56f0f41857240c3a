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

/**
 * What Avatica's protocol cannot say about a statement, sent to the server's side endpoints: {@code
 * Statement.cancel()} to {@code POST /aquifer/cancel} (Avatica's client cancel only sets a local
 * flag after waiting for the running call), and {@code Statement.setQueryTimeout} to {@code POST
 * /aquifer/query-timeout} (Avatica sends no timeout; the server enforces it and cancels the query
 * in the engine). The connection id, known only to this connection, names the statement.
 */
final class StatementControl {
  static final String CANCEL_PATH = "/aquifer/cancel";
  static final String QUERY_TIMEOUT_PATH = "/aquifer/query-timeout";
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
    // 404: the statement or connection is gone, so nothing runs any more.
    if (response.statusCode() != 200 && response.statusCode() != 404) {
      throw new SQLException(
          "The " + what + " failed: HTTP " + response.statusCode() + " " + response.body(),
          "HY000");
    }
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
