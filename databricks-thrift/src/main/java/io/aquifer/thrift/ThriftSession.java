package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import com.databricks.jdbc.model.client.thrift.generated.TSessionHandle;
import io.aquifer.gateway.Session;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A Thrift session: a statement-service session and the operations opened in it. */
final class ThriftSession {
  private final ThriftHandles.Handle handle = ThriftHandles.Handle.random();
  private final Session session;
  private final Map<UUID, ThriftOperation> operations = new ConcurrentHashMap<>();
  private volatile Instant lastUsed;

  ThriftSession(Session session, Instant now) {
    this.session = requireNonNull(session, "session");
    this.lastUsed = requireNonNull(now, "now");
  }

  /** When a request last named this session or one of its operations. */
  Instant lastUsed() {
    return lastUsed;
  }

  void touch(Instant now) {
    lastUsed = now;
  }

  ThriftHandles.Handle handle() {
    return handle;
  }

  Session session() {
    return session;
  }

  TSessionHandle wire() {
    return new TSessionHandle(handle.identifier());
  }

  Map<UUID, ThriftOperation> operations() {
    return operations;
  }
}
