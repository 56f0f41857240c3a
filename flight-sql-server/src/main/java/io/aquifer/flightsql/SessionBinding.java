package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.ConnectionRegistry;
import java.time.Instant;
import java.util.Optional;

/**
 * One client connection's tie to a gateway session. The key identifies the connection: it is the
 * bearer token handed out after a user/password login, or the value of the session cookie for
 * connections that authenticate with an access token on every call. The gateway session is opened
 * on first use, so calls that need none (handshake, GetSqlInfo) cost nothing.
 */
final class SessionBinding implements ConnectionRegistry.Connection {
  private final String key;
  private final Principal principal;
  private String sessionId;
  private boolean closed;
  private volatile Instant lastUsed;

  SessionBinding(String key, Principal principal, Instant now) {
    this.key = requireNonNull(key, "key");
    this.principal = requireNonNull(principal, "principal");
    this.lastUsed = requireNonNull(now, "now");
  }

  String key() {
    return key;
  }

  Principal principal() {
    return principal;
  }

  boolean ownedBy(Principal caller) {
    return principal.name().equals(caller.name());
  }

  @Override
  public Instant lastUsed() {
    return lastUsed;
  }

  @Override
  public void touch(Instant now) {
    lastUsed = now;
  }

  synchronized Optional<String> sessionId() {
    return Optional.ofNullable(sessionId);
  }

  synchronized void sessionId(String id) {
    this.sessionId = requireNonNull(id, "id");
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Marks the binding closed; returns the gateway session to close, if one was opened. */
  synchronized Optional<String> markClosed() {
    if (closed) {
      return Optional.empty();
    }
    closed = true;
    return Optional.ofNullable(sessionId);
  }

  @Override
  public String toString() {
    return "SessionBinding[" + principal.name() + ", session " + sessionId + "]";
  }
}
