package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.ConnectionRegistry;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.frontend.PreparedStatements;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.Meta.StatementHandle;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Avatica client connection: the principal its token named, its gateway session, and its
 * statements by the ids this server handed out. The connection id is chosen by the client (a random
 * UUID in Avatica's drivers) and names the connection in every later request.
 */
final class ClientConnection implements ConnectionRegistry.Connection {
  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

  private final String id;
  private final Principal principal;
  private final Session session;
  private final StatementService service;
  private final PreparedStatements preparedStatements;
  private final ConcurrentMap<Integer, ClientStatement> statements = new ConcurrentHashMap<>();
  private final AtomicInteger nextStatementId = new AtomicInteger();
  private volatile Instant lastUsed;
  private volatile Instant lastHeartbeat;
  private volatile boolean readOnly;
  private volatile boolean columnarFrames;

  ClientConnection(
      String id,
      Principal principal,
      Session session,
      StatementService service,
      PreparedStatements preparedStatements,
      Instant now) {
    this.id = requireNonNull(id, "id");
    this.principal = requireNonNull(principal, "principal");
    this.session = requireNonNull(session, "session");
    this.service = requireNonNull(service, "service");
    this.preparedStatements = requireNonNull(preparedStatements, "preparedStatements");
    this.lastUsed = requireNonNull(now, "now");
  }

  String id() {
    return id;
  }

  Principal principal() {
    return principal;
  }

  Session session() {
    return session;
  }

  /** Whether the client asked for columnar result frames (see {@link ColumnarFrameEncoder}). */
  boolean columnarFrames() {
    return columnarFrames;
  }

  void columnarFrames(boolean columnar) {
    columnarFrames = columnar;
  }

  @Override
  public Instant lastUsed() {
    return lastUsed;
  }

  @Override
  public void touch(Instant now) {
    lastUsed = now;
  }

  /** Records a heartbeat: from now on, this connection expires when its heartbeats stop. */
  void heartbeat(Instant now) {
    lastHeartbeat = requireNonNull(now, "now");
  }

  /** When the client last sent a heartbeat; empty if it never did (it does not send them). */
  Optional<Instant> lastHeartbeat() {
    return Optional.ofNullable(lastHeartbeat);
  }

  /** Whether one of its statements is executing (its client waits for the first rows). */
  boolean executing() {
    for (ClientStatement statement : statements.values()) {
      if (statement.executing()) {
        return true;
      }
    }
    return false;
  }

  /** JDBC's read-only hint, as the client last set it; Aquifer does not enforce it. */
  boolean readOnly() {
    return readOnly;
  }

  void readOnly(boolean readOnly) {
    this.readOnly = readOnly;
  }

  ClientStatement createStatement() {
    int statementId = nextStatementId.incrementAndGet();
    ClientStatement statement = new ClientStatement(statementId, this::closeInGateway);
    statements.put(statementId, statement);
    return statement;
  }

  /**
   * The statement with this id. An unknown id is Avatica's "no such statement", on which its client
   * makes a new statement and retries.
   */
  ClientStatement statement(StatementHandle handle) throws NoSuchStatementException {
    ClientStatement statement = statements.get(handle.id);
    if (statement == null) {
      throw new NoSuchStatementException(handle);
    }
    return statement;
  }

  /**
   * Prepares {@code statement} in the gateway's registry of prepared statements, owned by this
   * connection: the registry keeps it until the statement or the connection closes.
   */
  PreparedStatements.Prepared prepare(
      ClientStatement statement, PreparedStatementInfo info, long maxRowCount) {
    PreparedStatements.Prepared prepared = preparedStatements.create(id, principal, info);
    statement.prepared(prepared, maxRowCount).ifPresent(this::closePrepared);
    return prepared;
  }

  /** Closes a statement; an unknown id is already closed. */
  void closeStatement(int statementId) {
    ClientStatement statement = statements.remove(statementId);
    if (statement != null) {
      statement.close();
      statement.prepared().ifPresent(this::closePrepared);
    }
  }

  /** Closes every statement (the caller then closes the gateway session). */
  void closeStatements() {
    for (ClientStatement statement : List.copyOf(statements.values())) {
      closeStatement(statement.id());
    }
    preparedStatements.closeOwnedBy(id);
  }

  private void closePrepared(PreparedStatements.Prepared prepared) {
    preparedStatements.close(prepared.id(), principal);
  }

  int statementCount() {
    return statements.size();
  }

  /** Cancels the gateway statement if it still runs, and frees its result. */
  private void closeInGateway(Statement statement) {
    try {
      service.close(session, statement.id());
    } catch (RuntimeException e) {
      log.warn("Closing statement {} of connection {} failed", statement.id(), id, e);
    }
  }

  @Override
  public String toString() {
    return "ClientConnection[" + principal.name() + ", session " + session.id() + "]";
  }
}
