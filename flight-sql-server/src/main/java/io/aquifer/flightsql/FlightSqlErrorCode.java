package io.aquifer.flightsql;

import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import java.util.Optional;

/**
 * Failures the Flight SQL adapter itself detects (the gateway reports everything else). They take
 * the gateway's exception shape so that every client message has the same form.
 */
enum FlightSqlErrorCode {
  /** No usable Authorization header. */
  MISSING_CREDENTIALS("28000", ErrorCategory.UNAUTHENTICATED),
  /** A prepared statement handle or a ticket that is unknown, closed, or not the caller's. */
  INVALID_HANDLE("HY000", ErrorCategory.NOT_FOUND),
  /** A request the protocol allows but Aquifer does not support (transactions, Substrait). */
  UNSUPPORTED_FEATURE("0A000", ErrorCategory.UNIMPLEMENTED),
  /** A parameter value of an Arrow type Aquifer has no SQL type for. */
  UNSUPPORTED_PARAMETER_TYPE("0A000", ErrorCategory.INVALID_ARGUMENT),
  /** Parameters that do not fit the statement (row count, column count). */
  INVALID_PARAMETERS("07001", ErrorCategory.INVALID_ARGUMENT),
  /** A statement that returns rows was sent as an update. */
  STATEMENT_RETURNS_ROWS("42000", ErrorCategory.INVALID_ARGUMENT),
  /** A client canceled the statement while its rows were streaming. */
  QUERY_CANCELED("57014", ErrorCategory.CANCELLED),
  /** A malformed Flight SQL message. */
  INVALID_REQUEST("42000", ErrorCategory.INVALID_ARGUMENT);

  private final String sqlState;
  private final ErrorCategory category;

  FlightSqlErrorCode(String sqlState, ErrorCategory category) {
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
