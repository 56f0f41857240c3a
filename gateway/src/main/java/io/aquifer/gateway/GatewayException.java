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
  private volatile boolean audited;

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

  /**
   * Whether this failure is already in the audit log (a statement refused with PERMISSION_DENIED,
   * recorded when the statement ended), so that a front end does not record it again.
   */
  public boolean audited() {
    return audited;
  }

  /** Marks this failure as recorded in the audit log when {@code recorded}; returns it. */
  public GatewayException audited(boolean recorded) {
    if (recorded) {
      audited = true;
    }
    return this;
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
