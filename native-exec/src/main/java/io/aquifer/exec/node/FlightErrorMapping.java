package io.aquifer.exec.node;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;

/**
 * {@link ExecException} to Flight status and back. The status code is the closest gRPC code; the
 * exact error code and SQLSTATE travel in the call's error metadata, so the client rebuilds the
 * same exception. Failures without that metadata (the node is gone, the call was cut) are mapped
 * from the status code.
 */
public final class FlightErrorMapping {
  public static final String ERROR_CODE_KEY = "aquifer-error-code";
  public static final String SQLSTATE_KEY = "aquifer-sqlstate";

  private FlightErrorMapping() {}

  public static FlightRuntimeException toFlight(ExecException e) {
    ErrorFlightMetadata metadata = new ErrorFlightMetadata();
    metadata.insert(ERROR_CODE_KEY, e.code().name());
    metadata.insert(SQLSTATE_KEY, e.sqlState());
    return status(e.code())
        .withDescription(e.getMessage())
        .withMetadata(metadata)
        .toRuntimeException();
  }

  static CallStatus status(ExecErrorCode code) {
    return switch (code) {
      case QUERY_CANCELED -> CallStatus.CANCELLED;
      case OUT_OF_MEMORY, DISK_FULL -> CallStatus.RESOURCE_EXHAUSTED;
      case DIVISION_BY_ZERO,
          NUMERIC_OUT_OF_RANGE,
          CAST_INVALID_INPUT,
          INVALID_ARGUMENT,
          INVALID_PATTERN,
          DATATYPE_MISMATCH,
          STATEMENT_TOO_COMPLEX,
          NOT_NULL_VIOLATION,
          CHECK_VIOLATION,
          INVALID_REQUEST ->
          CallStatus.INVALID_ARGUMENT;
      case ACCESS_DENIED -> CallStatus.UNAUTHORIZED;
      case DATA_FILE_NOT_FOUND -> CallStatus.NOT_FOUND;
      case NOT_SUPPORTED -> CallStatus.UNIMPLEMENTED;
      case NODE_UNAVAILABLE -> CallStatus.UNAVAILABLE;
      case DATA_FILE_CORRUPT, ENGINE_ERROR -> CallStatus.INTERNAL;
    };
  }

  public static ExecException fromFlight(FlightRuntimeException e, String node) {
    CallStatus status = e.status();
    String description =
        status.description() == null || status.description().isEmpty()
            ? status.code().name()
            : status.description();
    ErrorFlightMetadata metadata = status.metadata();
    if (metadata != null && metadata.containsKey(ERROR_CODE_KEY)) {
      try {
        return new ExecException(
            ExecErrorCode.valueOf(metadata.get(ERROR_CODE_KEY)), description, e);
      } catch (IllegalArgumentException unknownCode) {
        // a newer node: fall through to the status code
      }
    }
    FlightStatusCode code = status.code();
    return switch (code) {
      case UNAVAILABLE, TIMED_OUT ->
          new ExecException(
              ExecErrorCode.NODE_UNAVAILABLE,
              "Warehouse node " + node + " is unavailable: " + description,
              e);
      case CANCELLED -> new ExecException(ExecErrorCode.QUERY_CANCELED, description, e);
      case RESOURCE_EXHAUSTED -> new ExecException(ExecErrorCode.OUT_OF_MEMORY, description, e);
      case INVALID_ARGUMENT -> new ExecException(ExecErrorCode.INVALID_REQUEST, description, e);
      case UNIMPLEMENTED -> new ExecException(ExecErrorCode.NOT_SUPPORTED, description, e);
      default ->
          new ExecException(
              ExecErrorCode.ENGINE_ERROR, "Warehouse node " + node + " failed: " + description, e);
    };
  }
}
