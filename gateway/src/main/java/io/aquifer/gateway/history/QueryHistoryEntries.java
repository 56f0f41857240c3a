package io.aquifer.gateway.history;

import io.aquifer.catalog.QueryHistoryEntry;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementState;
import java.time.Duration;
import java.time.Instant;

/** Makes the history entry of a statement that reached a final state. */
public final class QueryHistoryEntries {
  /** The warehouse every statement runs on until there are several. */
  public static final String DEFAULT_WAREHOUSE = "default";

  private QueryHistoryEntries() {}

  /**
   * @param state the final state: SUCCEEDED or CLOSED (finished), FAILED or CANCELED
   * @param error why it failed or was canceled; null when it finished
   */
  public static QueryHistoryEntry of(
      String statementId,
      Session session,
      String sql,
      Instant submittedAt,
      Instant endedAt,
      StatementState state,
      GatewayException error,
      StatementStatistics statistics) {
    String status =
        switch (state) {
          case SUCCEEDED, CLOSED -> QueryHistoryEntry.FINISHED;
          case FAILED -> QueryHistoryEntry.FAILED;
          case CANCELED -> QueryHistoryEntry.CANCELED;
          case PENDING, RUNNING ->
              throw new IllegalArgumentException("statement " + statementId + " is " + state);
        };
    Instant end = endedAt.isBefore(submittedAt) ? submittedAt : endedAt;
    Instant compiledAt = statistics.compiledAt();
    Long compilation = null;
    Long execution = null;
    if (compiledAt != null && !compiledAt.isBefore(submittedAt) && !compiledAt.isAfter(end)) {
      compilation = Duration.between(submittedAt, compiledAt).toMillis();
      execution = Duration.between(compiledAt, end).toMillis();
    }
    return new QueryHistoryEntry(
        statementId,
        session.id(),
        session.principal().name(),
        DEFAULT_WAREHOUSE,
        sql,
        statistics.statementType(),
        status,
        error == null ? null : error.errorClass(),
        error == null ? null : error.sqlState(),
        error == null ? null : error.getMessage(),
        session.clientApplication().orElse(null),
        submittedAt,
        end,
        compilation,
        execution,
        Duration.between(submittedAt, end).toMillis(),
        statistics.producedRows(),
        statistics.producedBytes(),
        statistics.writtenRows(),
        statistics.readFiles(),
        statistics.prunedFiles(),
        false);
  }
}
