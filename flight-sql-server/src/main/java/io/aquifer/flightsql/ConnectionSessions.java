package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.ConnectionRegistry;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway sessions of the front end's client connections, by {@link SessionBinding#key()}. A
 * binding whose connection stays silent for the idle timeout is closed, together with its gateway
 * session; a key of a closed binding is never valid again.
 */
final class ConnectionSessions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionSessions.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final StatementService service;
  private final ConnectionRegistry<SessionBinding> bindings;
  private final List<Consumer<String>> closeListeners = new CopyOnWriteArrayList<>();

  ConnectionSessions(StatementService service, Duration idleTimeout, Clock clock) {
    this.service = requireNonNull(service, "service");
    this.bindings = new ConnectionRegistry<>(idleTimeout, clock, this::closed);
  }

  /** Runs with the key of every binding that closes (to drop what hangs off it). */
  void onClose(Consumer<String> listener) {
    closeListeners.add(requireNonNull(listener, "listener"));
  }

  /** A new binding with a fresh unguessable key; its gateway session opens on first use. */
  SessionBinding create(Principal principal) {
    SessionBinding binding = new SessionBinding(newKey(), principal, bindings.now());
    bindings.add(binding.key(), binding);
    return binding;
  }

  /** The open binding with this key, if any; counts as use. */
  Optional<SessionBinding> find(String key) {
    return bindings.find(key).filter(binding -> !binding.isClosed());
  }

  /**
   * The gateway session of a binding, opened now if it has none yet or if the gateway has since
   * dropped it (then the connection starts over in the principal's default catalog and schema).
   */
  Session session(SessionBinding binding) {
    binding.touch(bindings.now());
    synchronized (binding) {
      if (binding.isClosed()) {
        throw GatewayErrorCode.INVALID_HANDLE.exception(
            "The session of this connection was closed; reconnect to start a new one");
      }
      Optional<String> id = binding.sessionId();
      if (id.isPresent()) {
        Optional<Session> session = service.session(id.get(), binding.principal());
        if (session.isPresent()) {
          return session.get();
        }
        log.info("Gateway session {} of {} is gone; opening a new one", id.get(), binding);
      }
      Session session = service.openSession(binding.principal(), ClientAddressTracer.current());
      session.clientApplication("Arrow Flight SQL");
      binding.sessionId(session.id());
      return session;
    }
  }

  /** Selects the session's warehouse; throws if there is no such warehouse. */
  void useWarehouse(Session session, String warehouse) {
    service.useWarehouse(session, warehouse);
  }

  /** Closes a binding and its gateway session; false if there was no such open binding. */
  boolean close(String key) {
    return bindings.close(key);
  }

  private void closed(SessionBinding binding) {
    Optional<String> sessionId = binding.markClosed();
    for (Consumer<String> listener : closeListeners) {
      try {
        listener.accept(binding.key());
      } catch (RuntimeException e) {
        log.warn("Cleaning up after closing {} failed", binding, e);
      }
    }
    sessionId.ifPresent(
        id -> {
          try {
            service.closeSession(id);
          } catch (RuntimeException e) {
            log.warn("Closing gateway session {} failed", id, e);
          }
        });
  }

  /** Closes bindings idle for longer than the idle timeout; returns how many. */
  int closeIdle() {
    return bindings.closeIdle();
  }

  int size() {
    return bindings.size();
  }

  @Override
  public void close() {
    bindings.close();
  }

  private static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
