package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A front end's client connections by key, each tied to a gateway session: the one place where
 * connections are found, touched, closed, and expired after staying idle. What closing a connection
 * means (closing its statements and its gateway session) is the front end's {@code onClose}; it
 * runs once per connection, whether the client said goodbye or went quiet.
 */
public final class ConnectionRegistry<C extends ConnectionRegistry.Connection>
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

  /** A client connection: when it was last used. */
  public interface Connection {
    Instant lastUsed();

    void touch(Instant now);
  }

  private final Duration idleTimeout;
  private final Clock clock;
  private final Consumer<C> onClose;
  private final ConcurrentMap<String, C> connections = new ConcurrentHashMap<>();

  public ConnectionRegistry(Duration idleTimeout, Clock clock, Consumer<C> onClose) {
    this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
    this.clock = requireNonNull(clock, "clock");
    this.onClose = requireNonNull(onClose, "onClose");
  }

  public Instant now() {
    return clock.instant();
  }

  /** Adds a connection; false if the key is taken. */
  public boolean add(String key, C connection) {
    return connections.putIfAbsent(requireNonNull(key, "key"), connection) == null;
  }

  /** The open connection with this key, if any; counts as use. */
  public Optional<C> find(String key) {
    C connection = key == null ? null : connections.get(key);
    if (connection != null) {
      connection.touch(clock.instant());
    }
    return Optional.ofNullable(connection);
  }

  /** Closes a connection; false if there was no such open connection. */
  public boolean close(String key) {
    C connection = key == null ? null : connections.remove(key);
    if (connection == null) {
      return false;
    }
    try {
      onClose.accept(connection);
    } catch (RuntimeException e) {
      LOG.warn("Cleaning up after closing {} failed", connection, e);
    }
    return true;
  }

  /** Closes connections idle for longer than the idle timeout; returns how many. */
  public int closeIdle() {
    Instant cutoff = clock.instant().minus(idleTimeout);
    int closed = 0;
    for (var entry : List.copyOf(connections.entrySet())) {
      if (entry.getValue().lastUsed().isBefore(cutoff) && close(entry.getKey())) {
        LOG.info("Closed {}: idle for more than {}", entry.getValue(), idleTimeout);
        closed++;
      }
    }
    return closed;
  }

  /**
   * Closes the connections for which {@code expired} holds (a front end's own expiry rule, such as
   * missed heartbeats), logging {@code why} for each; returns how many.
   */
  public int closeWhere(Predicate<C> expired, String why) {
    requireNonNull(expired, "expired");
    int closed = 0;
    for (var entry : List.copyOf(connections.entrySet())) {
      if (expired.test(entry.getValue()) && close(entry.getKey())) {
        LOG.info("Closed {}: {}", entry.getValue(), why);
        closed++;
      }
    }
    return closed;
  }

  public int size() {
    return connections.size();
  }

  /** Closes every connection. */
  @Override
  public void close() {
    for (String key : List.copyOf(connections.keySet())) {
      close(key);
    }
  }
}
