package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * One statement in the query history, as stored and as {@code system.query.history} shows it. Names
 * follow Databricks' {@code system.query.history} columns where it has one. Figures that do not
 * apply to the statement (files read by a DDL statement, rows produced by an INSERT) are null.
 *
 * @param statementId the statement's id
 * @param sessionId the session that ran it
 * @param executedBy the principal that ran it
 * @param warehouseId the warehouse it ran on ({@code default} until there are warehouses)
 * @param statementText the SQL as the client sent it
 * @param statementType SELECT, INSERT, CREATE, ...; null if the statement did not parse
 * @param executionStatus FINISHED, FAILED or CANCELED
 * @param errorClass the error's class (e.g. TABLE_OR_VIEW_NOT_FOUND) when it failed or was canceled
 * @param errorSqlState the error's SQLSTATE
 * @param errorMessage the message the client saw
 * @param clientApplication the front end and driver it came through (e.g. {@code Arrow Flight SQL})
 * @param startTime when the statement was submitted
 * @param endTime when it reached its final state
 * @param compilationDurationMs parsing, validation, planning and compilation
 * @param executionDurationMs from the end of compilation to the end of the statement
 * @param totalDurationMs from submission to the end
 * @param producedRows rows returned to the client
 * @param producedBytes Arrow bytes returned to the client
 * @param writtenRows rows inserted, updated or deleted
 * @param readFiles data files read, after pruning
 * @param prunedFiles data files skipped by their statistics
 * @param fromResultCache whether the result came from the result cache
 * @param cacheOriginStatementId for a result from the result cache, the statement that stored it
 * @param planningDurationMs parsing, validation against the catalog, binding tables to Delta
 *     snapshots and optimization (part of {@code compilationDurationMs}); Aquifer's own column
 */
public record QueryHistoryEntry(
    String statementId,
    String sessionId,
    String executedBy,
    String warehouseId,
    String statementText,
    String statementType,
    String executionStatus,
    String errorClass,
    String errorSqlState,
    String errorMessage,
    String clientApplication,
    Instant startTime,
    Instant endTime,
    Long compilationDurationMs,
    Long executionDurationMs,
    long totalDurationMs,
    Long producedRows,
    Long producedBytes,
    Long writtenRows,
    Long readFiles,
    Long prunedFiles,
    boolean fromResultCache,
    String cacheOriginStatementId,
    Long planningDurationMs) {
  public static final String FINISHED = "FINISHED";

  /** An entry with no planning time recorded. */
  public QueryHistoryEntry(
      String statementId,
      String sessionId,
      String executedBy,
      String warehouseId,
      String statementText,
      String statementType,
      String executionStatus,
      String errorClass,
      String errorSqlState,
      String errorMessage,
      String clientApplication,
      Instant startTime,
      Instant endTime,
      Long compilationDurationMs,
      Long executionDurationMs,
      long totalDurationMs,
      Long producedRows,
      Long producedBytes,
      Long writtenRows,
      Long readFiles,
      Long prunedFiles,
      boolean fromResultCache,
      String cacheOriginStatementId) {
    this(
        statementId,
        sessionId,
        executedBy,
        warehouseId,
        statementText,
        statementType,
        executionStatus,
        errorClass,
        errorSqlState,
        errorMessage,
        clientApplication,
        startTime,
        endTime,
        compilationDurationMs,
        executionDurationMs,
        totalDurationMs,
        producedRows,
        producedBytes,
        writtenRows,
        readFiles,
        prunedFiles,
        fromResultCache,
        cacheOriginStatementId,
        null);
  }

  /** An entry whose result did not come from the result cache's entry of a known statement. */
  public QueryHistoryEntry(
      String statementId,
      String sessionId,
      String executedBy,
      String warehouseId,
      String statementText,
      String statementType,
      String executionStatus,
      String errorClass,
      String errorSqlState,
      String errorMessage,
      String clientApplication,
      Instant startTime,
      Instant endTime,
      Long compilationDurationMs,
      Long executionDurationMs,
      long totalDurationMs,
      Long producedRows,
      Long producedBytes,
      Long writtenRows,
      Long readFiles,
      Long prunedFiles,
      boolean fromResultCache) {
    this(
        statementId,
        sessionId,
        executedBy,
        warehouseId,
        statementText,
        statementType,
        executionStatus,
        errorClass,
        errorSqlState,
        errorMessage,
        clientApplication,
        startTime,
        endTime,
        compilationDurationMs,
        executionDurationMs,
        totalDurationMs,
        producedRows,
        producedBytes,
        writtenRows,
        readFiles,
        prunedFiles,
        fromResultCache,
        null);
  }

  public static final String FAILED = "FAILED";
  public static final String CANCELED = "CANCELED";

  public QueryHistoryEntry {
    requireNonNull(statementId, "statementId");
    requireNonNull(sessionId, "sessionId");
    requireNonNull(executedBy, "executedBy");
    requireNonNull(warehouseId, "warehouseId");
    requireNonNull(statementText, "statementText");
    requireNonNull(executionStatus, "executionStatus");
    requireNonNull(startTime, "startTime");
    requireNonNull(endTime, "endTime");
    executionStatus = executionStatus.toUpperCase(Locale.ROOT);
    if (!executionStatus.equals(FINISHED)
        && !executionStatus.equals(FAILED)
        && !executionStatus.equals(CANCELED)) {
      throw new IllegalArgumentException(
          "execution status must be FINISHED, FAILED or CANCELED: " + executionStatus);
    }
    if (endTime.isBefore(startTime)) {
      throw new IllegalArgumentException("end time " + endTime + " is before start " + startTime);
    }
    if (planningDurationMs != null && planningDurationMs < 0) {
      throw new IllegalArgumentException("planning duration < 0: " + planningDurationMs);
    }
    if (totalDurationMs < 0) {
      throw new IllegalArgumentException("total duration < 0: " + totalDurationMs);
    }
  }
}
