package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.frontend.PreparedStatements;
import io.aquifer.gateway.frontend.PreparedStatements.Prepared;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Flight SQL's prepared statement handles over the gateway's {@link PreparedStatements}: a handle
 * is the statement's id, owned by the principal that prepared it and dropped with its connection.
 *
 * <p>Binding parameters (DoPut with CommandPreparedStatementQuery) does not change the statement:
 * it yields a new handle, {@code <id>#<n>}, naming the statement with binding {@code n}, as Flight
 * SQL lets a server do. So one prepared statement can run with different values at once, and a
 * client that ignores the new handle still gets the latest values through the plain one.
 */
final class PreparedStatementCache {
  private static final char BINDING_SEPARATOR = '#';

  private final PreparedStatements statements = new PreparedStatements();

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
    return statements.create(owner.key(), owner.principal(), info);
  }

  static ByteString handle(Prepared prepared) {
    return ByteString.copyFrom(prepared.id(), StandardCharsets.UTF_8);
  }

  /** Keeps parameter rows for the statement; the handle naming the statement with them. */
  static ByteString bind(Prepared prepared, List<List<Object>> rows) {
    prepared.checkParameterCount(rows);
    long number = prepared.bind(rows);
    return ByteString.copyFrom(prepared.id() + BINDING_SEPARATOR + number, StandardCharsets.UTF_8);
  }

  /** The statement a (possibly bound) handle names, if the caller may use it. */
  Resolved resolve(ByteString handle, Principal caller) {
    String text = handle.toStringUtf8();
    int separator = text.indexOf(BINDING_SEPARATOR);
    Prepared prepared = statements.get(separator < 0 ? text : text.substring(0, separator), caller);
    if (separator < 0) {
      return new Resolved(prepared, prepared.latestBinding());
    }
    long number;
    try {
      number = Long.parseLong(text.substring(separator + 1));
    } catch (NumberFormatException e) {
      throw GatewayErrorCode.INVALID_HANDLE.exception("Malformed prepared statement handle");
    }
    return new Resolved(prepared, prepared.binding(number));
  }

  /** Closes the statement a handle names; false if unknown or not the caller's. */
  boolean close(ByteString handle, Principal caller) {
    String text = handle.toStringUtf8();
    int separator = text.indexOf(BINDING_SEPARATOR);
    return statements.close(separator < 0 ? text : text.substring(0, separator), caller);
  }

  /** Drops the statements prepared on a connection that closed. */
  void closeOwnedBy(String ownerKey) {
    statements.closeOwnedBy(ownerKey);
  }

  int size() {
    return statements.size();
  }
}
