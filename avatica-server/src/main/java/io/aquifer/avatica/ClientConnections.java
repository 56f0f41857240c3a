package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open Avatica client connections, by the connection id the client chose. Each holds one
 * gateway session from OpenConnection to CloseConnection; a connection that stays silent for the
 * idle timeout is closed like one that said goodbye.
 */
final class ClientConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);

  private final StatementService service;
  private final Duration idleTimeout;
  private final Clock clock;
  private final ConcurrentMap<String, ClientConnection> connections = new ConcurrentHashMap<>();

  ClientConnections(StatementService service, Duration idleTimeout, Clock clock) {
    this.service = requireNonNull(service, "service");
    this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Opens a connection with a new gateway session. @throws CONNECTION_ALREADY_OPEN */
  ClientConnection open(String id, Principal principal) {
    requireNonNull(id, "id");
    if (connections.containsKey(id)) {
      throw alreadyOpen(id);
    }
    Session session = service.openSession(principal);
    ClientConnection connection =
        new ClientConnection(id, principal, session, service, clock.instant());
    if (connections.putIfAbsent(id, connection) != null) {
      service.closeSession(session.id());
      throw alreadyOpen(id);
    }
    log.debug("Opened {} as {}", id, connection);
    return connection;
  }

  /** The open connection with this id; counts as use. @throws CONNECTION_NOT_FOUND */
  ClientConnection get(String id) {
    ClientConnection connection = id == null ? null : connections.get(id);
    if (connection == null) {
      throw GatewayErrorCode.CONNECTION_NOT_FOUND.exception(
          "Connection "
              + id
              + " is not open: it was closed, stayed idle too long, or the server restarted;"
              + " connect again");
    }
    connection.touch(clock.instant());
    return connection;
  }

  /** Closes a connection, its statements and its gateway session; false if it was not open. */
  boolean close(String id) {
    ClientConnection connection = id == null ? null : connections.remove(id);
    if (connection == null) {
      return false;
    }
    connection.closeStatements();
    try {
      service.closeSession(connection.session().id());
    } catch (RuntimeException e) {
      log.warn("Closing gateway session {} failed", connection.session().id(), e);
    }
    log.debug("Closed {}", id);
    return true;
  }

  /** Closes connections idle for longer than the idle timeout; returns how many. */
  int closeIdle() {
    Instant cutoff = clock.instant().minus(idleTimeout);
    int closed = 0;
    for (ClientConnection connection : List.copyOf(connections.values())) {
      if (connection.lastUsed().isBefore(cutoff) && close(connection.id())) {
        log.info(
            "Closed idle Avatica connection {} of {}",
            connection.id(),
            connection.principal().name());
        closed++;
      }
    }
    return closed;
  }

  int size() {
    return connections.size();
  }

  @Override
  public void close() {
    for (String id : List.copyOf(connections.keySet())) {
      close(id);
    }
  }

  private static RuntimeException alreadyOpen(String id) {
    return GatewayErrorCode.CONNECTION_ALREADY_OPEN.exception(
        "Connection " + id + " is already open; a client must pick a new id for each connection");
  }
}
