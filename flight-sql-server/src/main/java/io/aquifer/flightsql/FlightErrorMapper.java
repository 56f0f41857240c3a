package io.aquifer.flightsql;

import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.UUID;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure into the Flight status a client sees. A {@link GatewayException} keeps its
 * category (as a gRPC status code) and its client message (error class, message, position,
 * SQLSTATE); anything else becomes INTERNAL with a generic message and a reference that points to
 * the stack trace in the log.
 *
 * <p>Flight's Java status codes have no ABORTED, so a {@link ErrorCategory#CONFLICT} goes out as a
 * plain gRPC ABORTED status (Flight's server passes gRPC exceptions through unchanged).
 */
final class FlightErrorMapper {
  /** Trailer carrying the SQLSTATE, for clients that read error metadata (ADBC). */
  static final String SQLSTATE_KEY = "aquifer-sqlstate";

  /** Trailer carrying the error class, e.g. TABLE_OR_VIEW_NOT_FOUND. */
  static final String ERROR_CLASS_KEY = "aquifer-error-class";

  private static final Logger log = LoggerFactory.getLogger(FlightErrorMapper.class);

  private FlightErrorMapper() {}

  /** The exception to hand to Flight: a FlightRuntimeException or a gRPC ABORTED status. */
  static RuntimeException toClient(Throwable failure) {
    if (failure instanceof GatewayException gateway
        && gateway.category() == ErrorCategory.CONFLICT) {
      log.debug("Flight SQL call failed: {}", gateway.clientMessage());
      Metadata trailers = new Metadata();
      trailers.put(
          Metadata.Key.of(SQLSTATE_KEY, Metadata.ASCII_STRING_MARSHALLER), gateway.sqlState());
      trailers.put(
          Metadata.Key.of(ERROR_CLASS_KEY, Metadata.ASCII_STRING_MARSHALLER), gateway.errorClass());
      return Status.ABORTED.withDescription(gateway.clientMessage()).asRuntimeException(trailers);
    }
    return toFlight(failure);
  }

  /** Like {@link #toClient} but always a FlightRuntimeException (CONFLICT becomes UNKNOWN). */
  static FlightRuntimeException toFlight(Throwable failure) {
    if (failure instanceof FlightRuntimeException flight) {
      return flight;
    }
    if (failure instanceof GatewayException gateway) {
      if (gateway.category() == ErrorCategory.INTERNAL) {
        log.warn(
            "Internal error reported to a Flight SQL client: {}", gateway.clientMessage(), gateway);
      } else {
        log.debug("Flight SQL call failed: {}", gateway.clientMessage());
      }
      ErrorFlightMetadata metadata = new ErrorFlightMetadata();
      metadata.insert(SQLSTATE_KEY, gateway.sqlState());
      metadata.insert(ERROR_CLASS_KEY, gateway.errorClass());
      return new CallStatus(statusCode(gateway.category()), null, gateway.clientMessage(), metadata)
          .toRuntimeException();
    }
    String reference = UUID.randomUUID().toString();
    log.error("Internal error in the Flight SQL front end (reference {})", reference, failure);
    return CallStatus.INTERNAL
        .withDescription(
            "[INTERNAL_ERROR] Internal error in the Flight SQL front end (reference "
                + reference
                + ") SQLSTATE: XX000")
        .toRuntimeException();
  }

  static FlightStatusCode statusCode(ErrorCategory category) {
    return switch (category) {
      case INVALID_ARGUMENT -> FlightStatusCode.INVALID_ARGUMENT;
      case NOT_FOUND -> FlightStatusCode.NOT_FOUND;
      case ALREADY_EXISTS -> FlightStatusCode.ALREADY_EXISTS;
      case UNAUTHENTICATED -> FlightStatusCode.UNAUTHENTICATED;
      case PERMISSION_DENIED -> FlightStatusCode.UNAUTHORIZED;
      case CANCELLED -> FlightStatusCode.CANCELLED;
      case RESOURCE_EXHAUSTED -> FlightStatusCode.RESOURCE_EXHAUSTED;
      // Only where a FlightRuntimeException is required; toClient sends gRPC ABORTED instead.
      case CONFLICT -> FlightStatusCode.UNKNOWN;
      case UNIMPLEMENTED -> FlightStatusCode.UNIMPLEMENTED;
      case UNAVAILABLE -> FlightStatusCode.UNAVAILABLE;
      case INTERNAL -> FlightStatusCode.INTERNAL;
    };
  }
}
