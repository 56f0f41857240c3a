package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.TOperationHandle;
import com.databricks.jdbc.model.client.thrift.generated.TSessionHandle;
import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open Thrift sessions and operations, by handle. A handle is honoured only with its secret and
 * only for the principal whose statement-service session it belongs to.
 */
final class ThriftSessionRegistry {
  private final StatementService service;
  private final Clock clock;
  private final Map<UUID, ThriftSession> sessions = new ConcurrentHashMap<>();
  private final Map<UUID, ThriftOperation> operations = new ConcurrentHashMap<>();
  private final Map<String, ThriftOperation> byStatement = new ConcurrentHashMap<>();

  ThriftSessionRegistry(StatementService service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  ThriftSession open(Session session) {
    ThriftSession s = new ThriftSession(session, clock.instant());
    sessions.put(s.handle().guid(), s);
    return s;
  }

  /**
   * @throws GatewayException INVALID_HANDLE for an unknown, closed or foreign session
   */
  ThriftSession session(TSessionHandle handle, Principal principal) {
    UUID guid = ThriftHandles.guid(handle == null ? null : handle.getSessionId(), "session");
    ThriftSession s = sessions.get(guid);
    if (s == null
        || !s.handle().matches(handle.getSessionId())
        || service.session(s.session().id(), principal).isEmpty()) {
      throw GatewayErrorCode.INVALID_HANDLE.exception(
          "Invalid SessionHandle: session " + guid + " does not exist or was closed");
    }
    s.touch(clock.instant());
    return s;
  }

  ThriftOperation add(ThriftOperation operation) {
    operations.put(operation.handle().guid(), operation);
    operation.statementId().ifPresent(id -> byStatement.put(id, operation));
    operation.session().operations().put(operation.handle().guid(), operation);
    return operation;
  }

  /**
   * @throws GatewayException INVALID_HANDLE for an unknown, closed or foreign operation
   */
  ThriftOperation operation(TOperationHandle handle, Principal principal) {
    UUID guid = ThriftHandles.guid(handle == null ? null : handle.getOperationId(), "operation");
    ThriftOperation op = operations.get(guid);
    if (op == null
        || !op.handle().matches(handle.getOperationId())
        || service.session(op.session().session().id(), principal).isEmpty()) {
      throw GatewayErrorCode.INVALID_HANDLE.exception(
          "Invalid OperationHandle: operation " + guid + " does not exist or was closed");
    }
    op.session().touch(clock.instant());
    return op;
  }

  /** The open operation of a statement, if it was submitted through this protocol. */
  java.util.Optional<ThriftOperation> byStatement(String statementId) {
    return java.util.Optional.ofNullable(byStatement.get(statementId));
  }

  /** Forgets an operation and frees its cursor; the caller closes its statement. */
  void remove(ThriftOperation op) {
    operations.remove(op.handle().guid());
    op.statementId().ifPresent(id -> byStatement.remove(id, op));
    op.session().operations().remove(op.handle().guid());
    op.closeCursor();
  }

  /** Forgets a session and its operations; the caller closes the statement-service session. */
  List<ThriftOperation> remove(ThriftSession session) {
    sessions.remove(session.handle().guid());
    List<ThriftOperation> ops = List.copyOf(session.operations().values());
    for (ThriftOperation op : ops) {
      remove(op);
    }
    return ops;
  }

  /**
   * Forgets the sessions no request named for longer than {@code idleTimeout}, and those whose
   * statement-service session is gone; returns them so the caller closes them.
   */
  List<ThriftSession> removeIdle(Duration idleTimeout) {
    List<ThriftSession> idle = new ArrayList<>();
    java.time.Instant cutoff = clock.instant().minus(idleTimeout);
    for (ThriftSession s : sessions.values()) {
      if (s.lastUsed().isBefore(cutoff)
          || service.session(s.session().id(), s.session().principal()).isEmpty()) {
        remove(s);
        idle.add(s);
      }
    }
    return idle;
  }

  List<ThriftSession> sessions() {
    return List.copyOf(sessions.values());
  }
}
