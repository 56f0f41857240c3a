package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /aquifer/cancel} with form fields {@code connection_id} and {@code statement_id}:
 * cancels what that statement runs, whether it is still running or streaming its rows. The
 * statement stays open for the next execution.
 *
 * <p>{@code POST /aquifer/cancel} with {@code connection_id} and {@code gateway_statement_id}
 * instead: cancels a gateway statement by its id, which another connection of the same principal
 * may run (an admin's connection may cancel anyone's); the connection running it sees its execution
 * fail with SQLSTATE 57014 and stays usable. Answers {@code {"canceled":true}}, or 404 with {@code
 * error}, {@code error_class} and {@code sqlstate} for an unknown or foreign statement (or an
 * unknown connection).
 *
 * <p>{@code POST /aquifer/running} with {@code connection_id} and {@code statement_id}: the id of
 * the gateway statement that statement runs or streams now, {@code {"gateway_statement_id":"..."}},
 * or {@code null} when nothing runs; so a client can hand it to another connection for cancel.
 *
 * <p>{@code POST /aquifer/query-timeout} with the same fields and {@code seconds}: JDBC's {@code
 * Statement.setQueryTimeout}, kept on the server for that statement's later executions (0: none,
 * then the session's {@code STATEMENT_TIMEOUT} applies). Answers {@code {"seconds":n}}.
 *
 * <p>{@code POST /aquifer/heartbeat} with form field {@code connection_id}: the client of that
 * connection is alive. Aquifer's JDBC driver sends one at connect and then every 500 ms; once a
 * connection has sent one, missing heartbeats for {@link AvaticaConfig#heartbeatTimeout()} close it
 * and cancel what its statements run (the client was killed or lost its network). Answers {@code
 * {"alive":true}}, or 404 when the connection is not open (any more).
 *
 * <p>Avatica's protocol has no cancel request (its client's {@code Statement.cancel()} only sets a
 * local flag, and waits for the running call first), so Aquifer's JDBC driver sends this instead.
 * Like every Avatica request, it is authorized by the connection id, which only the client that
 * opened the connection knows. Answers 200 with {@code {"canceled":true|false}} (false: nothing was
 * running), 404 for an unknown connection or statement, 400 for a malformed request.
 */
final class CancelHandler extends AbstractHandler {
  static final String PATH = "/aquifer/cancel";
  static final String QUERY_TIMEOUT_PATH = "/aquifer/query-timeout";
  static final String HEARTBEAT_PATH = "/aquifer/heartbeat";
  static final String RUNNING_PATH = "/aquifer/running";
  static final String GATEWAY_STATEMENT_ID = "gateway_statement_id";
  static final String SECONDS = "seconds";
  static final String CONNECTION_ID = "connection_id";
  static final String STATEMENT_ID = "statement_id";

  private static final Logger log = LoggerFactory.getLogger(CancelHandler.class);

  private final AquiferMeta meta;

  CancelHandler(AquiferMeta meta) {
    this.meta = requireNonNull(meta, "meta");
  }

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!PATH.equals(target)
        && !QUERY_TIMEOUT_PATH.equals(target)
        && !HEARTBEAT_PATH.equals(target)
        && !RUNNING_PATH.equals(target)) {
      return;
    }
    baseRequest.setHandled(true);
    if (!"POST".equals(request.getMethod())) {
      respond(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "{\"error\":\"POST only\"}");
      return;
    }
    String connectionId = request.getParameter(CONNECTION_ID);
    if (HEARTBEAT_PATH.equals(target)) {
      heartbeat(connectionId, response);
      return;
    }
    String gatewayStatementId = request.getParameter(GATEWAY_STATEMENT_ID);
    if (PATH.equals(target) && gatewayStatementId != null) {
      cancelById(connectionId, gatewayStatementId, response);
      return;
    }
    String statementId = request.getParameter(STATEMENT_ID);
    int statement;
    try {
      statement = Integer.parseInt(String.valueOf(statementId).trim());
    } catch (NumberFormatException e) {
      respond(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          "{\"error\":\"" + CONNECTION_ID + " and a numeric " + STATEMENT_ID + " are required\"}");
      return;
    }
    if (connectionId == null || connectionId.isBlank()) {
      respond(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          "{\"error\":\"" + CONNECTION_ID + " is required\"}");
      return;
    }
    try {
      if (QUERY_TIMEOUT_PATH.equals(target)) {
        int seconds;
        try {
          seconds = Integer.parseInt(String.valueOf(request.getParameter(SECONDS)).trim());
        } catch (NumberFormatException e) {
          seconds = -1;
        }
        if (seconds < 0) {
          respond(
              response,
              HttpServletResponse.SC_BAD_REQUEST,
              "{\"error\":\"" + SECONDS + " must be a whole number, 0 or more\"}");
          return;
        }
        meta.queryTimeout(connectionId, statement, seconds);
        respond(response, HttpServletResponse.SC_OK, "{\"seconds\":" + seconds + "}");
        return;
      }
      if (RUNNING_PATH.equals(target)) {
        String running = meta.runningStatementId(connectionId, statement).orElse(null);
        respond(
            response,
            HttpServletResponse.SC_OK,
            "{\""
                + GATEWAY_STATEMENT_ID
                + "\":"
                + (running == null ? "null" : JsonText.quote(running))
                + "}");
        return;
      }
      boolean canceled = meta.cancel(connectionId, statement);
      log.debug("Cancel of statement {} of connection {}: {}", statement, connectionId, canceled);
      respond(response, HttpServletResponse.SC_OK, "{\"canceled\":" + canceled + "}");
    } catch (NoSuchStatementException e) {
      respond(response, HttpServletResponse.SC_NOT_FOUND, "{\"error\":\"no such statement\"}");
    } catch (GatewayException e) {
      respond(response, HttpServletResponse.SC_NOT_FOUND, "{\"error\":\"no such connection\"}");
    }
  }

  /**
   * Cancels a gateway statement by id from a connection of its principal (or an admin's). Answers
   * {@code {"canceled":true}} (also for a statement that had already ended), or 404 with the error
   * class, SQLSTATE and message of an unknown or foreign statement or connection.
   */
  private void cancelById(
      String connectionId, String gatewayStatementId, HttpServletResponse response)
      throws IOException {
    if (connectionId == null || connectionId.isBlank() || gatewayStatementId.isBlank()) {
      respond(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          "{\"error\":\"" + CONNECTION_ID + " and " + GATEWAY_STATEMENT_ID + " are required\"}");
      return;
    }
    try {
      meta.cancelById(connectionId, gatewayStatementId);
      log.debug(
          "Cancel of gateway statement {} from connection {}", gatewayStatementId, connectionId);
      respond(response, HttpServletResponse.SC_OK, "{\"canceled\":true}");
    } catch (GatewayException e) {
      respond(
          response,
          HttpServletResponse.SC_NOT_FOUND,
          "{\"error\":"
              + JsonText.quote(e.clientMessage())
              + ",\"error_class\":"
              + JsonText.quote(e.errorClass())
              + ",\"sqlstate\":"
              + JsonText.quote(e.sqlState())
              + "}");
    }
  }

  private void heartbeat(String connectionId, HttpServletResponse response) throws IOException {
    if (connectionId == null || connectionId.isBlank()) {
      respond(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          "{\"error\":\"" + CONNECTION_ID + " is required\"}");
      return;
    }
    try {
      meta.heartbeat(connectionId);
      respond(response, HttpServletResponse.SC_OK, "{\"alive\":true}");
    } catch (GatewayException e) {
      respond(response, HttpServletResponse.SC_NOT_FOUND, "{\"error\":\"no such connection\"}");
    }
  }

  private static void respond(HttpServletResponse response, int status, String json)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json;charset=utf-8");
    response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
  }
}
