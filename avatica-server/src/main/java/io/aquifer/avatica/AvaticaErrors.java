package io.aquifer.avatica;

import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import java.util.UUID;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure into the Avatica error a client sees. A {@link GatewayException} keeps its
 * client message (error class, message, position, SQLSTATE) and SQLSTATE; anything else becomes an
 * internal error with a generic message and a reference that points to the stack trace in the log.
 *
 * <p>Avatica's server sends the stack trace of whatever exception reaches it along with the error
 * response. The exceptions made here carry none, so internal stack traces stay in the log.
 */
final class AvaticaErrors {
  private static final Logger log = LoggerFactory.getLogger(AvaticaErrors.class);

  private AvaticaErrors() {}

  static AvaticaRuntimeException toClient(Throwable failure) {
    if (failure instanceof ClientError client) {
      return client;
    }
    if (failure instanceof GatewayException gateway) {
      if (gateway.category() == ErrorCategory.INTERNAL) {
        log.warn(
            "Internal error reported to an Avatica client: {}", gateway.clientMessage(), gateway);
      } else {
        log.debug("Avatica call failed: {}", gateway.clientMessage());
      }
      return new ClientError(
          gateway.clientMessage(),
          errorCode(gateway),
          gateway.sqlState(),
          gateway.category() == ErrorCategory.INTERNAL
              ? AvaticaSeverity.FATAL
              : AvaticaSeverity.ERROR);
    }
    String reference = UUID.randomUUID().toString();
    log.error("Internal error in the Avatica front end (reference {})", reference, failure);
    return new ClientError(
        "[INTERNAL_ERROR] Internal error in the Avatica front end (reference "
            + reference
            + ") SQLSTATE: XX000",
        ErrorResponse.UNKNOWN_ERROR_CODE,
        "XX000",
        AvaticaSeverity.FATAL);
  }

  /**
   * Avatica's client reconnects on {@link ErrorResponse#MISSING_CONNECTION_ERROR_CODE} when asked
   * to ({@code transparent_reconnection=true}); authentication failures get its "unauthorized"
   * code.
   */
  private static int errorCode(GatewayException gateway) {
    if (gateway.errorClass().equals(GatewayErrorCode.CONNECTION_NOT_FOUND.name())) {
      return ErrorResponse.MISSING_CONNECTION_ERROR_CODE;
    }
    if (gateway.category() == ErrorCategory.UNAUTHENTICATED
        || gateway.category() == ErrorCategory.PERMISSION_DENIED) {
      return ErrorResponse.UNAUTHORIZED_ERROR_CODE;
    }
    return ErrorResponse.UNKNOWN_ERROR_CODE;
  }

  /** An error for the client, without a stack trace (Avatica would send it along). */
  static final class ClientError extends AvaticaRuntimeException {
    private static final long serialVersionUID = 1L;

    ClientError(String message, int errorCode, String sqlState, AvaticaSeverity severity) {
      super(message, errorCode, sqlState, severity);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }

    @Override
    public String getMessage() {
      return getErrorMessage();
    }

    @Override
    public String toString() {
      return getErrorMessage();
    }
  }
}
