package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The one failure shape front ends see. Every area's exception (catalog, storage, planner, engine)
 * is translated into this once, in the gateway.
 *
 * @see ErrorCategory
 */
public class GatewayException extends RuntimeException {
  private final String errorClass;
  private final String sqlState;
  private final ErrorCategory category;
  private final Optional<SqlPosition> position;

  public GatewayException(
      String errorClass,
      String sqlState,
      ErrorCategory category,
      String message,
      Optional<SqlPosition> position,
      Throwable cause) {
    super(message, cause);
    this.errorClass = requireNonNull(errorClass, "errorClass");
    this.sqlState = requireNonNull(sqlState, "sqlState");
    this.category = requireNonNull(category, "category");
    this.position = requireNonNull(position, "position");
  }

  /** Stable upper-case name of the error, e.g. TABLE_OR_VIEW_NOT_FOUND. */
  public String errorClass() {
    return errorClass;
  }

  public String sqlState() {
    return sqlState;
  }

  public ErrorCategory category() {
    return category;
  }

  public Optional<SqlPosition> position() {
    return position;
  }

  /** The message a client sees: class, message, and position when known. */
  public String clientMessage() {
    return "["
        + errorClass
        + "] "
        + getMessage()
        + position.map(p -> " (at " + p + ")").orElse("")
        + " SQLSTATE: "
        + sqlState;
  }
}
