package io.aquifer.gateway.execution;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import java.util.Optional;

/** Engine failures (from a warehouse node) as gateway errors. */
final class EngineErrors {
  private EngineErrors() {}

  /** The translated error, or null if {@code t} is not an engine failure. */
  static GatewayException translate(Throwable t) {
    if (!(t instanceof ExecException e)) {
      return null;
    }
    if (e.code() == ExecErrorCode.ENGINE_ERROR) {
      return internal(e);
    }
    ErrorCategory category =
        switch (e.code()) {
          case QUERY_CANCELED -> ErrorCategory.CANCELLED;
          case OUT_OF_MEMORY -> ErrorCategory.RESOURCE_EXHAUSTED;
          case NODE_UNAVAILABLE -> ErrorCategory.UNAVAILABLE;
          default -> ErrorCategory.INVALID_ARGUMENT;
        };
    return new GatewayException(
        e.code().errorClass(), e.code().sqlState(), category, e.getMessage(), Optional.empty(), e);
  }

  /**
   * The engine refused what the gateway compiled, or failed in a way nobody foresaw: a defect of
   * Aquifer, not of the user's SQL. The engine's own wording (its function names, its SQL) means
   * nothing to the user and goes to the log; {@link StatementRegistry} adds the statement id that
   * the user can report.
   */
  private static GatewayException internal(ExecException e) {
    return GatewayErrorCode.INTERNAL_ERROR.exception(
        "internal error: the warehouse engine could not run the statement as Aquifer compiled it;"
            + " the gateway log has the details",
        e);
  }
}
