package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.ConnectionRegistry;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.frontend.PreparedStatements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open Avatica client connections, by the connection id the client chose. Each holds one
 * gateway session from OpenConnection to CloseConnection. A connection is closed like one that said
 * goodbye when it stays silent for the idle timeout (and none of its statements is executing), or,
 * once its client has sent a heartbeat, when the heartbeats stop for the heartbeat timeout: the
 * client is gone, and what its statements run is canceled.
 */
final class ClientConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);

  private final StatementService service;
  private final ConnectionRegistry<ClientConnection> connections;
  private final PreparedStatements preparedStatements = new PreparedStatements();
  private final Duration idleTimeout;
  private final Duration heartbeatTimeout;

  ClientConnections(
      StatementService service, Duration idleTimeout, Duration heartbeatTimeout, Clock clock) {
    this.service = requireNonNull(service, "service");
    this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
    this.heartbeatTimeout = requireNonNull(heartbeatTimeout, "heartbeatTimeout");
    this.connections = new ConnectionRegistry<>(idleTimeout, clock, this::closed);
  }

  /** Opens a connection with a new gateway session. @throws CONNECTION_ALREADY_OPEN */
  ClientConnection open(String id, Principal principal) {
    requireNonNull(id, "id");
    if (connections.find(id).isPresent()) {
      throw alreadyOpen(id);
    }
    Session session = service.openSession(principal, ClientAddressHandler.current());
    session.clientApplication("Avatica JDBC");
    ClientConnection connection =
        new ClientConnection(
            id, principal, session, service, preparedStatements, connections.now());
    if (!connections.add(id, connection)) {
      service.closeSession(session.id());
      throw alreadyOpen(id);
    }
    log.debug("Opened {} as {}", id, connection);
    return connection;
  }

  /** The open connection with this id; counts as use. @throws CONNECTION_NOT_FOUND */
  ClientConnection get(String id) {
    return connections
        .find(id)
        .orElseThrow(
            () ->
                GatewayErrorCode.CONNECTION_NOT_FOUND.exception(
                    "Connection "
                        + id
                        + " is not open: it was closed, stayed idle too long, or the server"
                        + " restarted; connect again"));
  }

  /** Closes a connection, its statements and its gateway session; false if it was not open. */
  boolean close(String id) {
    return connections.close(id);
  }

  /**
   * A connection that closed or expired: its statements stop, then its gateway session closes
   * (which cancels whatever still runs there).
   */
  private void closed(ClientConnection connection) {
    connection.closeStatements();
    try {
      service.closeSession(connection.session().id());
    } catch (RuntimeException e) {
      log.warn("Closing gateway session {} failed", connection.session().id(), e);
    }
    log.debug("Closed {}", connection.id());
  }

  /**
   * A heartbeat from the client of a connection: it is alive. Counts as use. @throws
   * CONNECTION_NOT_FOUND
   */
  void heartbeat(String id) {
    get(id).heartbeat(connections.now());
  }

  /**
   * Closes connections idle for longer than the idle timeout, except those with an executing
   * statement (whose client waits for its answer); returns how many.
   */
  int closeIdle() {
    Instant cutoff = connections.now().minus(idleTimeout);
    return connections.closeWhere(
        c -> c.lastUsed().isBefore(cutoff) && !c.executing(), "idle for more than " + idleTimeout);
  }

  /**
   * Closes connections whose client sent heartbeats and then none for the heartbeat timeout,
   * canceling what their statements run; returns how many.
   */
  int closeSilent() {
    Instant cutoff = connections.now().minus(heartbeatTimeout);
    return connections.closeWhere(
        c -> c.lastHeartbeat().map(beat -> beat.isBefore(cutoff)).orElse(false),
        "no heartbeat for more than " + heartbeatTimeout + ": the client is gone");
  }

  /** The statements prepared on every connection; each connection drops its own when it closes. */
  PreparedStatements preparedStatements() {
    return preparedStatements;
  }

  int size() {
    return connections.size();
  }

  @Override
  public void close() {
    connections.close();
  }

  private static RuntimeException alreadyOpen(String id) {
    return GatewayErrorCode.CONNECTION_ALREADY_OPEN.exception(
        "Connection " + id + " is already open; a client must pick a new id for each connection");
  }
}
