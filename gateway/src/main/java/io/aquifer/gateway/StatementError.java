package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Why a statement failed, as a client sees it.
 *
 * @param errorClass stable upper-case name, e.g. TABLE_OR_VIEW_NOT_FOUND
 * @param position where in the SQL, when known
 */
public record StatementError(
    String errorClass, String sqlState, String message, Optional<SqlPosition> position) {
  public StatementError {
    requireNonNull(errorClass, "errorClass");
    requireNonNull(sqlState, "sqlState");
    requireNonNull(message, "message");
    requireNonNull(position, "position");
  }

  public static StatementError of(GatewayException e) {
    return new StatementError(e.errorClass(), e.sqlState(), e.getMessage(), e.position());
  }
}
