package io.aquifer.gateway.execution;

import io.aquifer.exec.ExecException;
import io.aquifer.gateway.ErrorCategory;
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
    ErrorCategory category =
        switch (e.code()) {
          case QUERY_CANCELED -> ErrorCategory.CANCELLED;
          case OUT_OF_MEMORY -> ErrorCategory.RESOURCE_EXHAUSTED;
          case NODE_UNAVAILABLE -> ErrorCategory.UNAVAILABLE;
          case ENGINE_ERROR -> ErrorCategory.INTERNAL;
          default -> ErrorCategory.INVALID_ARGUMENT;
        };
    return new GatewayException(
        e.code().name(), e.code().sqlState(), category, e.getMessage(), Optional.empty(), e);
  }
}
