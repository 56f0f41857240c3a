package io.aquifer.gateway.execution;

import io.aquifer.catalog.CatalogException;
import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.SqlPosition;
import io.aquifer.planner.PlannerException;
import io.aquifer.results.ResultStoreException;
import io.aquifer.storage.StorageException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Translates every area's failure into the one {@link GatewayException} shape, once. Unknown
 * failures become INTERNAL with a generic message; their stack traces go to the log only.
 */
public final class GatewayErrors {
  /** The MDC key under which every log line about a statement carries its id. */
  public static final String STATEMENT_ID = "statement_id";

  private static final Logger LOG = LoggerFactory.getLogger(GatewayErrors.class);

  private GatewayErrors() {}

  public static GatewayException translate(Throwable t) {
    if (t instanceof GatewayException g) {
      return g;
    }
    if (causedByStackOverflow(t)) {
      // Parsing, validating or compiling recurses once per level of nesting.
      return GatewayErrorCode.STATEMENT_TOO_COMPLEX.exception(
          "the statement nests too deeply (parentheses, sub-queries or expressions) to be planned;"
              + " simplify it",
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
            case PERMISSION_DENIED -> ErrorCategory.PERMISSION_DENIED;
            default -> ErrorCategory.INVALID_ARGUMENT;
          };
      return new GatewayException(
          p.code().name(), p.code().sqlState(), category, p.getMessage(), position, p);
    }
    if (t instanceof CatalogException c) {
      ErrorCategory category =
          switch (c.code()) {
            case CATALOG_OBJECT_NOT_FOUND -> ErrorCategory.NOT_FOUND;
            case CATALOG_OBJECT_ALREADY_EXISTS,
                TABLE_OR_VIEW_ALREADY_EXISTS,
                SCHEMA_ALREADY_EXISTS,
                VOLUME_ALREADY_EXISTS,
                ROUTINE_ALREADY_EXISTS ->
                ErrorCategory.ALREADY_EXISTS;
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
    if (t instanceof io.aquifer.catalog.WarehouseException w) {
      ErrorCategory category =
          switch (w.code()) {
            case RESOURCE_DOES_NOT_EXIST -> ErrorCategory.NOT_FOUND;
            case RESOURCE_ALREADY_EXISTS -> ErrorCategory.ALREADY_EXISTS;
            case INVALID_PARAMETER_VALUE -> ErrorCategory.INVALID_ARGUMENT;
          };
      return new GatewayException(
          w.code().name(), w.code().sqlState(), category, w.getMessage(), Optional.empty(), w);
    }
    if (t instanceof StorageException s
        && s.code() == io.aquifer.storage.StorageErrorCode.DELTA_COMMIT_CONFLICT) {
      return GatewayErrorCode.DELTA_CONCURRENT_WRITE.exception(s.getMessage(), s);
    }
    if (t instanceof StorageException s) {
      ErrorCategory category =
          switch (s.code()) {
            case DELTA_COMMIT_CONFLICT -> ErrorCategory.CONFLICT;
            case DELTA_TABLE_ALREADY_EXISTS -> ErrorCategory.ALREADY_EXISTS;
            case DELTA_TABLE_NOT_FOUND, FILE_NOT_FOUND -> ErrorCategory.NOT_FOUND;
            case FILE_ALREADY_EXISTS -> ErrorCategory.ALREADY_EXISTS;
            case DIRECTORY_NOT_EMPTY -> ErrorCategory.CONFLICT;
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
    if (t instanceof ResultStoreException r) {
      ErrorCategory category =
          switch (r.code()) {
            case RESULT_NOT_FOUND -> ErrorCategory.NOT_FOUND;
            case RESULT_QUOTA_EXCEEDED -> ErrorCategory.RESOURCE_EXHAUSTED;
            case RESULT_STORE_IO_ERROR -> ErrorCategory.INTERNAL;
            case RESULT_CLOSED, CHUNK_OUT_OF_RANGE -> ErrorCategory.INVALID_ARGUMENT;
          };
      if (category == ErrorCategory.INTERNAL) {
        LOG.error("result store failure", r);
      }
      return new GatewayException(
          r.code().name(), r.code().sqlState(), category, r.getMessage(), Optional.empty(), r);
    }
    GatewayException engine = EngineErrors.translate(t);
    if (engine != null) {
      return engine;
    }
    String statement = MDC.get(STATEMENT_ID);
    LOG.error("internal error", t);
    return internal(
        "internal error: "
            + t.getClass().getSimpleName()
            + "; see the gateway log"
            + (statement == null ? "" : " for statement " + statement),
        t);
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
    return GatewayErrorCode.INTERNAL_ERROR.exception(message, cause);
  }

  public static GatewayException canceled(String statementId) {
    return GatewayErrorCode.QUERY_CANCELED.exception("statement " + statementId + " was canceled");
  }

  public static GatewayException timedOut(String statementId, java.time.Duration limit) {
    return GatewayErrorCode.STATEMENT_TIMEOUT.exception(
        "statement "
            + statementId
            + " was canceled after running longer than the statement timeout of "
            + limit.toSeconds()
            + " seconds (setting STATEMENT_TIMEOUT)");
  }

  public static GatewayException unauthenticated(String message) {
    return GatewayErrorCode.UNAUTHENTICATED.exception(message);
  }
}
