package io.aquifer.gateway.history;

import io.aquifer.catalog.QueryHistoryEntry;
import io.aquifer.gateway.StatementError;
import io.aquifer.gateway.StatementPhase;
import io.aquifer.gateway.StatementStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/** Makes the history entry of a statement that reached a final state. */
public final class QueryHistoryEntries {
  /** The warehouse recorded when the statement's warehouse is not known. */
  public static final String DEFAULT_WAREHOUSE = "default";

  private QueryHistoryEntries() {}

  /**
   * @param status the statement as it ended: SUCCEEDED or CLOSED (finished), FAILED or CANCELED
   */
  public static QueryHistoryEntry of(StatementStatus status, String sql) {
    return of(status, sql, DEFAULT_WAREHOUSE);
  }

  /**
   * @param status the statement as it ended: SUCCEEDED or CLOSED (finished), FAILED or CANCELED
   * @param warehouseId the id of the warehouse the statement's session uses
   */
  public static QueryHistoryEntry of(StatementStatus status, String sql, String warehouseId) {
    String executionStatus =
        switch (status.state()) {
          case SUCCEEDED, CLOSED -> QueryHistoryEntry.FINISHED;
          case FAILED -> QueryHistoryEntry.FAILED;
          case CANCELED -> QueryHistoryEntry.CANCELED;
          case PENDING, RUNNING ->
              throw new IllegalArgumentException(
                  "statement " + status.id() + " is " + status.state());
        };
    Instant submittedAt = status.submittedAt();
    Instant endedAt = status.endedAt().orElse(submittedAt);
    Instant end = endedAt.isBefore(submittedAt) ? submittedAt : endedAt;
    Long compilation = null;
    Long execution = null;
    Instant compiledAt = status.plannedAt().orElse(null);
    if (compiledAt != null && !compiledAt.isBefore(submittedAt) && !compiledAt.isAfter(end)) {
      compilation = Duration.between(submittedAt, compiledAt).toMillis();
      execution = Duration.between(compiledAt, end).toMillis();
    }
    // Rows returned: those stored in its result (a reader may have closed it already: the counts
    // stay); none for a statement that returns an update count or failed before it had rows.
    boolean returnedRows =
        status.updateCount().isEmpty()
            && (executionStatus.equals(QueryHistoryEntry.FINISHED) || status.rows() > 0);
    StatementError error = status.error().orElse(null);
    return QueryHistoryEntry.builder()
        .statementId(status.id())
        .sessionId(status.sessionId())
        .executedBy(status.principal())
        .warehouseId(warehouseId)
        .statementText(sql)
        .statementType(status.statementType().orElse(null))
        .executionStatus(executionStatus)
        .errorClass(error == null ? null : error.errorClass())
        .errorSqlState(error == null ? null : error.sqlState())
        .errorMessage(error == null ? null : error.message())
        .clientApplication(status.clientApplication().orElse(null))
        .startTime(submittedAt)
        .endTime(end)
        .compilationDurationMs(compilation)
        .executionDurationMs(execution)
        .totalDurationMs(Duration.between(submittedAt, end).toMillis())
        .producedRows(returnedRows ? status.rows() : null)
        .producedBytes(returnedRows ? status.bytes() : null)
        .writtenRows(boxed(status.rowsWritten()))
        .readFiles(boxed(status.filesRead()))
        .prunedFiles(boxed(status.filesPruned()))
        .fromResultCache(status.fromResultCache())
        .cacheOriginStatementId(status.cacheOriginStatementId().orElse(null))
        .planningDurationMs(
            status
                .phaseTimes()
                .sum(StatementPhase.PARSING, StatementPhase.PLANNING)
                .map(Duration::toMillis)
                .orElse(null))
        .waitingForComputeDurationMs(millis(status, StatementPhase.WAITING_FOR_COMPUTE))
        .waitingAtCapacityDurationMs(millis(status, StatementPhase.WAITING_AT_CAPACITY))
        .readCacheBytes(
            status
                .diskCacheReads()
                .map(io.aquifer.storage.cache.DiskCacheReads::cacheBytes)
                .orElse(null))
        .readRemoteBytes(
            status
                .diskCacheReads()
                .map(io.aquifer.storage.cache.DiskCacheReads::remoteBytes)
                .orElse(null))
        .engineProfile(status.engineProfile().orElse(null))
        .build();
  }

  private static Long millis(StatementStatus status, StatementPhase phase) {
    return status.phaseTimes().of(phase).map(Duration::toMillis).orElse(null);
  }

  private static Long boxed(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }
}
