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
 * Sends {@code Statement.cancel()} to the server's {@code POST /aquifer/cancel} endpoint: Avatica's
 * protocol has no cancel request, and its client's cancel only sets a local flag after waiting for
 * the running call. The connection id, known only to this connection, names what to cancel.
 */
final class StatementCanceler {
  static final String PATH = "/aquifer/cancel";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI endpoint;
  private volatile HttpClient client;

  StatementCanceler(String serverUrl) {
    String base =
        serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
    this.endpoint = URI.create(base + PATH);
  }

  void cancel(String connectionId, int statementId) throws SQLException {
    String form =
        "connection_id="
            + URLEncoder.encode(connectionId, StandardCharsets.UTF_8)
            + "&statement_id="
            + statementId;
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
      throw new SQLException("Cannot send the cancel to " + endpoint + ": " + e, "08006", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Interrupted while canceling", "HY008", e);
    }
    // 404: the statement or connection is gone, so nothing runs any more.
    if (response.statusCode() != 200 && response.statusCode() != 404) {
      throw new SQLException(
          "Cancel failed: HTTP " + response.statusCode() + " " + response.body(), "HY008");
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
