package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.PreparedStatementInfo;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prepared statements of the front end's clients, by handle. A handle is an unguessable id, owned
 * by the principal that prepared it and dropped with its connection.
 *
 * <p>Binding parameters (DoPut with CommandPreparedStatementQuery) does not change the statement:
 * it yields a new handle, {@code <id>#<n>}, naming the statement with those values, as Flight SQL
 * lets a server do. So one prepared statement can run with different values at once, and a client
 * that ignores the new handle still gets the latest values through the plain one. A statement keeps
 * its last {@value #MAX_BINDINGS} bindings.
 */
final class PreparedStatementCache {
  static final int MAX_BINDINGS = 8;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char BINDING_SEPARATOR = '#';

  private final ConcurrentMap<String, Prepared> statements = new ConcurrentHashMap<>();

  /** A prepared statement and its recent parameter bindings. */
  static final class Prepared {
    private final String id;
    private final String ownerKey;
    private final String principalName;
    private final PreparedStatementInfo info;
    private final AtomicLong bindingCounter = new AtomicLong();
    private final Map<Long, List<List<Object>>> bindings =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, List<List<Object>>> eldest) {
            return size() > MAX_BINDINGS;
          }
        };
    private long latestBinding = -1;

    Prepared(String id, String ownerKey, String principalName, PreparedStatementInfo info) {
      this.id = id;
      this.ownerKey = ownerKey;
      this.principalName = principalName;
      this.info = info;
    }

    PreparedStatementInfo info() {
      return info;
    }

    ByteString handle() {
      return ByteString.copyFrom(id, StandardCharsets.UTF_8);
    }

    String ownerKey() {
      return ownerKey;
    }

    synchronized ByteString bind(List<List<Object>> rows) {
      long number = bindingCounter.incrementAndGet();
      bindings.put(number, List.copyOf(rows));
      latestBinding = number;
      return ByteString.copyFrom(id + BINDING_SEPARATOR + number, StandardCharsets.UTF_8);
    }

    synchronized Optional<List<List<Object>>> binding(long number) {
      return Optional.ofNullable(bindings.get(number));
    }

    synchronized Optional<List<List<Object>>> latestBinding() {
      return Optional.ofNullable(bindings.get(latestBinding));
    }
  }

  /**
   * A handle resolved.
   *
   * @param parameterRows the bound parameter rows; empty when nothing was bound
   */
  record Resolved(Prepared prepared, List<List<Object>> parameterRows) {
    Resolved {
      requireNonNull(prepared, "prepared");
      requireNonNull(parameterRows, "parameterRows");
    }
  }

  Prepared create(SessionBinding owner, PreparedStatementInfo info) {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Prepared prepared = new Prepared(id, owner.key(), owner.principal().name(), info);
    statements.put(id, prepared);
    return prepared;
  }

  /** The statement a (possibly bound) handle names, if the caller may use it. */
  Resolved resolve(ByteString handle, Principal caller) {
    String text = handle.toStringUtf8();
    int separator = text.indexOf(BINDING_SEPARATOR);
    String id = separator < 0 ? text : text.substring(0, separator);
    Prepared prepared = statements.get(id);
    if (prepared == null || !prepared.principalName.equals(caller.name())) {
      throw GatewayErrorCode.INVALID_HANDLE.exception(
          "Unknown or closed prepared statement handle; prepare the statement again");
    }
    if (separator < 0) {
      return new Resolved(prepared, prepared.latestBinding().orElse(List.of()));
    }
    long number;
    try {
      number = Long.parseLong(text.substring(separator + 1));
    } catch (NumberFormatException e) {
      throw GatewayErrorCode.INVALID_HANDLE.exception("Malformed prepared statement handle");
    }
    List<List<Object>> rows =
        prepared
            .binding(number)
            .orElseThrow(
                () ->
                    GatewayErrorCode.INVALID_HANDLE.exception(
                        "The parameters bound to this prepared statement handle were replaced by"
                            + " newer ones; bind them again"));
    return new Resolved(prepared, rows);
  }

  /** Closes the statement a handle names; false if unknown or not the caller's. */
  boolean close(ByteString handle, Principal caller) {
    String text = handle.toStringUtf8();
    int separator = text.indexOf(BINDING_SEPARATOR);
    String id = separator < 0 ? text : text.substring(0, separator);
    Prepared prepared = statements.get(id);
    if (prepared == null || !prepared.principalName.equals(caller.name())) {
      return false;
    }
    return statements.remove(id, prepared);
  }

  /** Drops the statements prepared on a connection that closed. */
  void closeOwnedBy(String ownerKey) {
    statements.values().removeIf(p -> p.ownerKey.equals(ownerKey));
  }

  int size() {
    return statements.size();
  }
}
