package io.aquifer.avatica;

import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import java.util.Optional;

/**
 * Failures the Avatica adapter itself detects (the gateway reports everything else). They take the
 * gateway's exception shape so that every client message has the same form.
 */
enum AvaticaErrorCode {
  /** OpenConnection without a token or user and password. */
  MISSING_CREDENTIALS("28000", ErrorCategory.UNAUTHENTICATED),
  /** A request for a connection id that is not open (closed, idle too long, server restarted). */
  CONNECTION_NOT_FOUND("08003", ErrorCategory.NOT_FOUND),
  /** OpenConnection with an id that is already open. */
  CONNECTION_ALREADY_OPEN("08002", ErrorCategory.ALREADY_EXISTS),
  /** Execute on a statement that was never prepared. */
  STATEMENT_NOT_PREPARED("HY010", ErrorCategory.INVALID_ARGUMENT),
  /** Fetch on a statement without an open result, or not at the result's position. */
  NO_OPEN_RESULT("24000", ErrorCategory.INVALID_ARGUMENT),
  /** A request the protocol allows but Aquifer does not support (transactions, ...). */
  UNSUPPORTED_FEATURE("0A000", ErrorCategory.UNIMPLEMENTED),
  /** A parameter value of a type Aquifer has no SQL type for. */
  UNSUPPORTED_PARAMETER_TYPE("0A000", ErrorCategory.INVALID_ARGUMENT),
  /** Parameters that do not fit the statement. */
  INVALID_PARAMETERS("07001", ErrorCategory.INVALID_ARGUMENT),
  /** A statement that returns rows in a batch of updates. */
  STATEMENT_RETURNS_ROWS("42000", ErrorCategory.INVALID_ARGUMENT),
  /** The statement was closed or canceled while it ran. */
  QUERY_CANCELED("57014", ErrorCategory.CANCELLED),
  /** A blank catalog or schema name. */
  INVALID_NAME("42602", ErrorCategory.INVALID_ARGUMENT),
  /** connectionSync or connect named a catalog that does not exist (or is not visible). */
  CATALOG_NOT_FOUND("42704", ErrorCategory.NOT_FOUND),
  /** connectionSync or connect named a schema that does not exist (or is not visible). */
  SCHEMA_NOT_FOUND("3F000", ErrorCategory.NOT_FOUND);

  private final String sqlState;
  private final ErrorCategory category;

  AvaticaErrorCode(String sqlState, ErrorCategory category) {
    this.sqlState = sqlState;
    this.category = category;
  }

  String sqlState() {
    return sqlState;
  }

  ErrorCategory category() {
    return category;
  }

  GatewayException exception(String message) {
    return new GatewayException(name(), sqlState, category, message, Optional.empty(), null);
  }
}
