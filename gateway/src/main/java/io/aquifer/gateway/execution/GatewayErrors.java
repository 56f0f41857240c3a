package io.aquifer.gateway.execution;

import io.aquifer.catalog.CatalogException;
import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.SqlPosition;
import io.aquifer.planner.PlannerException;
import io.aquifer.storage.StorageException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates every area's failure into the one {@link GatewayException} shape, once. Unknown
 * failures become INTERNAL with a generic message; their stack traces go to the log only.
 */
public final class GatewayErrors {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayErrors.class);

  private GatewayErrors() {}

  public static GatewayException translate(Throwable t) {
    if (t instanceof GatewayException g) {
      return g;
    }
    if (causedByStackOverflow(t)) {
      // Parsing, validating or compiling recurses once per level of nesting.
      return new GatewayException(
          "STATEMENT_TOO_COMPLEX",
          "54001",
          ErrorCategory.INVALID_ARGUMENT,
          "the statement nests too deeply (parentheses, sub-queries or expressions) to be planned;"
              + " simplify it",
          Optional.empty(),
          t);
    }
    if (t instanceof PlannerException p) {
      Optional<SqlPosition> position =
          p.line().isPresent() && p.column().isPresent()
              ? Optional.of(new SqlPosition(p.line().getAsInt(), p.column().getAsInt()))
              : Optional.empty();
      ErrorCategory category =
          switch (p.code()) {
            case TABLE_OR_VIEW_NOT_FOUND, SCHEMA_NOT_FOUND, CATALOG_NOT_FOUND ->
                ErrorCategory.NOT_FOUND;
            default -> ErrorCategory.INVALID_ARGUMENT;
          };
      return new GatewayException(
          p.code().name(), p.code().sqlState(), category, p.getMessage(), position, p);
    }
    if (t instanceof CatalogException c) {
      ErrorCategory category =
          switch (c.code()) {
            case CATALOG_OBJECT_NOT_FOUND -> ErrorCategory.NOT_FOUND;
            case CATALOG_OBJECT_ALREADY_EXISTS -> ErrorCategory.ALREADY_EXISTS;
            case PERMISSION_DENIED -> ErrorCategory.PERMISSION_DENIED;
            case UNAUTHENTICATED -> ErrorCategory.UNAUTHENTICATED;
            case CATALOG_STORE_ERROR -> ErrorCategory.INTERNAL;
            default -> ErrorCategory.INVALID_ARGUMENT;
          };
      if (category == ErrorCategory.INTERNAL) {
        LOG.error("catalog store failure", c);
      }
      return new GatewayException(
          c.code().name(), c.code().sqlState(), category, c.getMessage(), Optional.empty(), c);
    }
    if (t instanceof StorageException s
        && s.code() == io.aquifer.storage.StorageErrorCode.DELTA_COMMIT_CONFLICT) {
      // Databricks' class and SQLSTATE for a commit that lost to a concurrent one.
      return new GatewayException(
          "DELTA_CONCURRENT_WRITE",
          "2D521",
          ErrorCategory.CONFLICT,
          s.getMessage(),
          Optional.empty(),
          s);
    }
    if (t instanceof StorageException s) {
      ErrorCategory category =
          switch (s.code()) {
            case DELTA_COMMIT_CONFLICT -> ErrorCategory.CONFLICT;
            case DELTA_TABLE_ALREADY_EXISTS -> ErrorCategory.ALREADY_EXISTS;
            case DELTA_TABLE_NOT_FOUND -> ErrorCategory.NOT_FOUND;
            case STORAGE_IO_ERROR -> ErrorCategory.UNAVAILABLE;
            case DELTA_LOG_CORRUPT -> ErrorCategory.INTERNAL;
            default -> ErrorCategory.INVALID_ARGUMENT;
          };
      if (category == ErrorCategory.INTERNAL || category == ErrorCategory.UNAVAILABLE) {
        LOG.error("storage failure", s);
      }
      return new GatewayException(
          s.code().name(), s.code().sqlState(), category, s.getMessage(), Optional.empty(), s);
    }
    GatewayException engine = EngineErrors.translate(t);
    if (engine != null) {
      return engine;
    }
    LOG.error("internal error", t);
    return internal("internal error: " + t.getClass().getSimpleName() + "; see the gateway log", t);
  }

  /** Calcite wraps what it was converting when the stack ran out ("while converting ..."). */
  private static boolean causedByStackOverflow(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StackOverflowError) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  public static GatewayException internal(String message, Throwable cause) {
    return new GatewayException(
        "INTERNAL_ERROR", "XX000", ErrorCategory.INTERNAL, message, Optional.empty(), cause);
  }

  public static GatewayException canceled(String statementId) {
    return new GatewayException(
        "QUERY_CANCELED",
        "57014",
        ErrorCategory.CANCELLED,
        "statement " + statementId + " was canceled",
        Optional.empty(),
        null);
  }

  public static GatewayException unauthenticated(String message) {
    return new GatewayException(
        "UNAUTHENTICATED", "28000", ErrorCategory.UNAUTHENTICATED, message, Optional.empty(), null);
  }

  public static GatewayException invalid(String errorClass, String sqlState, String message) {
    return new GatewayException(
        errorClass, sqlState, ErrorCategory.INVALID_ARGUMENT, message, Optional.empty(), null);
  }

  public static GatewayException notFound(String errorClass, String sqlState, String message) {
    return new GatewayException(
        errorClass, sqlState, ErrorCategory.NOT_FOUND, message, Optional.empty(), null);
  }
}
