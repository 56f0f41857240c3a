package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import java.util.Optional;

/**
 * A failed REST call, as Databricks answers it: an HTTP status and {@code {"error_code",
 * "message"}}.
 */
public final class DatabricksApiException extends RuntimeException {
  private final int httpStatus;
  private final String errorCode;
  private final Optional<String> sqlState;
  private final boolean audited;

  public DatabricksApiException(int httpStatus, String errorCode, String message) {
    this(httpStatus, errorCode, message, Optional.empty(), false);
  }

  private DatabricksApiException(
      int httpStatus,
      String errorCode,
      String message,
      Optional<String> sqlState,
      boolean audited) {
    super(requireNonNull(message, "message"));
    this.httpStatus = httpStatus;
    this.errorCode = requireNonNull(errorCode, "errorCode");
    this.sqlState = requireNonNull(sqlState, "sqlState");
    this.audited = audited;
  }

  public static DatabricksApiException invalidParameter(String message) {
    return new DatabricksApiException(400, "INVALID_PARAMETER_VALUE", message);
  }

  public static DatabricksApiException malformedRequest(String message) {
    return new DatabricksApiException(400, "MALFORMED_REQUEST", message);
  }

  public static DatabricksApiException notFound(String message) {
    return new DatabricksApiException(404, "RESOURCE_DOES_NOT_EXIST", message);
  }

  public static DatabricksApiException unauthenticated(String message) {
    return new DatabricksApiException(401, "UNAUTHENTICATED", message);
  }

  /** A gateway failure of a REST call (not of a statement: those are part of its status). */
  public static DatabricksApiException of(GatewayException e) {
    return new DatabricksApiException(
        httpStatus(e.category()),
        callErrorCode(e.category()),
        e.clientMessage(),
        Optional.of(e.sqlState()),
        e.audited());
  }

  /**
   * Whether the refusal is already in the audit log (a statement the call ran was refused), so that
   * the front end does not record it again.
   */
  public boolean audited() {
    return audited;
  }

  /** The HTTP status Databricks answers a failure of this kind with. */
  static int httpStatus(ErrorCategory category) {
    return switch (category) {
      case INVALID_ARGUMENT -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, CONFLICT -> 409;
      case CANCELLED -> 409;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  /** Databricks' {@code error_code} of a failed call. */
  static String callErrorCode(ErrorCategory category) {
    return switch (category) {
      case INVALID_ARGUMENT -> "INVALID_PARAMETER_VALUE";
      case UNAUTHENTICATED -> "UNAUTHENTICATED";
      case PERMISSION_DENIED -> "PERMISSION_DENIED";
      case NOT_FOUND -> "RESOURCE_DOES_NOT_EXIST";
      case ALREADY_EXISTS -> "RESOURCE_ALREADY_EXISTS";
      case CONFLICT, CANCELLED -> "ABORTED";
      case RESOURCE_EXHAUSTED -> "RESOURCE_EXHAUSTED";
      case UNIMPLEMENTED -> "NOT_IMPLEMENTED";
      case UNAVAILABLE -> "TEMPORARILY_UNAVAILABLE";
      case INTERNAL -> "INTERNAL_ERROR";
    };
  }

  /**
   * The {@code status.error.error_code} of a failed statement (Databricks' ServiceErrorCode): SQL
   * errors are BAD_REQUEST, the error class and SQLSTATE travel in the message and {@code
   * sql_state}.
   */
  static String statementErrorCode(ErrorCategory category) {
    return switch (category) {
      case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED -> "BAD_REQUEST";
      case UNAUTHENTICATED -> "UNAUTHENTICATED";
      case CANCELLED -> "CANCELLED";
      case CONFLICT -> "ABORTED";
      case RESOURCE_EXHAUSTED -> "RESOURCE_EXHAUSTED";
      case UNAVAILABLE -> "TEMPORARILY_UNAVAILABLE";
      case UNIMPLEMENTED, INTERNAL -> "INTERNAL_ERROR";
    };
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String errorCode() {
    return errorCode;
  }

  public Optional<String> sqlState() {
    return sqlState;
  }
}
