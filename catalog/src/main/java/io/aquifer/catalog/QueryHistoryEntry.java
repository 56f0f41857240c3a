package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * One statement in the query history, as stored and as {@code system.query.history} shows it. Names
 * follow Databricks' {@code system.query.history} columns where it has one. Figures that do not
 * apply to the statement (files read by a DDL statement, rows produced by an INSERT) are null.
 * {@link #builder()} names each field; the store reads entries back through the constructor.
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
 * @param waitingForComputeDurationMs time the statement waited in its warehouse's queue for a
 *     cluster to start (the warehouse was stopped or starting); null if it needed no warehouse
 * @param waitingAtCapacityDurationMs time the statement waited in its warehouse's queue while every
 *     cluster ran as many statements as its concurrency allows; null if it needed no warehouse
 * @param readCacheBytes bytes of object-store data files its scans found in the warehouse node's
 *     disk cache, plus source Parquet bytes of data files read from the node data cache's tables
 *     (Databricks' {@code read_cache_bytes}); null if none went through either cache
 * @param readRemoteBytes bytes of object-store data files its scans fetched into the disk cache
 *     (Databricks' {@code read_remote_bytes}); null if none went through the cache
 * @param engineProfile the engine's per-operator profile of its query with the logical plan it ran,
 *     as JSON ({@code {"plan": ..., "profile": ...}}); null if none was kept. Entries listed by
 *     {@link QueryHistoryStore#list} leave it null: {@link QueryHistoryStore#engineProfile} reads
 *     it
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
    Long planningDurationMs,
    Long waitingForComputeDurationMs,
    Long waitingAtCapacityDurationMs,
    Long readCacheBytes,
    Long readRemoteBytes,
    String engineProfile) {
  public static final String FINISHED = "FINISHED";
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
    if (waitingForComputeDurationMs != null && waitingForComputeDurationMs < 0) {
      throw new IllegalArgumentException(
          "waiting for compute duration < 0: " + waitingForComputeDurationMs);
    }
    if (waitingAtCapacityDurationMs != null && waitingAtCapacityDurationMs < 0) {
      throw new IllegalArgumentException(
          "waiting at capacity duration < 0: " + waitingAtCapacityDurationMs);
    }
    if (readCacheBytes != null && readCacheBytes < 0
        || readRemoteBytes != null && readRemoteBytes < 0) {
      throw new IllegalArgumentException(
          "read bytes < 0: cache " + readCacheBytes + ", remote " + readRemoteBytes);
    }
    if (totalDurationMs < 0) {
      throw new IllegalArgumentException("total duration < 0: " + totalDurationMs);
    }
  }

  /** This entry with another engine profile (null for none). */
  public QueryHistoryEntry withEngineProfile(String profile) {
    return new QueryHistoryEntry(
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
        planningDurationMs,
        waitingForComputeDurationMs,
        waitingAtCapacityDurationMs,
        readCacheBytes,
        readRemoteBytes,
        profile);
  }

  /**
   * An empty builder: figures left unset are null (they do not apply), and the total duration is
   * the time from start to end unless set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an entry field by field; {@link #build} checks it as the constructor does. */
  public static final class Builder {
    private String statementId;
    private String sessionId;
    private String executedBy;
    private String warehouseId;
    private String statementText;
    private String statementType;
    private String executionStatus;
    private String errorClass;
    private String errorSqlState;
    private String errorMessage;
    private String clientApplication;
    private Instant startTime;
    private Instant endTime;
    private Long compilationDurationMs;
    private Long executionDurationMs;
    private Long totalDurationMs;
    private Long readCacheBytes;
    private Long readRemoteBytes;
    private String engineProfile;
    private Long producedRows;
    private Long producedBytes;
    private Long writtenRows;
    private Long readFiles;
    private Long prunedFiles;
    private boolean fromResultCache;
    private String cacheOriginStatementId;
    private Long planningDurationMs;
    private Long waitingForComputeDurationMs;
    private Long waitingAtCapacityDurationMs;

    private Builder() {}

    public Builder statementId(String statementId) {
      this.statementId = statementId;
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    public Builder executedBy(String executedBy) {
      this.executedBy = executedBy;
      return this;
    }

    public Builder warehouseId(String warehouseId) {
      this.warehouseId = warehouseId;
      return this;
    }

    public Builder statementText(String statementText) {
      this.statementText = statementText;
      return this;
    }

    public Builder statementType(String statementType) {
      this.statementType = statementType;
      return this;
    }

    public Builder executionStatus(String executionStatus) {
      this.executionStatus = executionStatus;
      return this;
    }

    public Builder errorClass(String errorClass) {
      this.errorClass = errorClass;
      return this;
    }

    public Builder errorSqlState(String errorSqlState) {
      this.errorSqlState = errorSqlState;
      return this;
    }

    public Builder errorMessage(String errorMessage) {
      this.errorMessage = errorMessage;
      return this;
    }

    public Builder clientApplication(String clientApplication) {
      this.clientApplication = clientApplication;
      return this;
    }

    public Builder startTime(Instant startTime) {
      this.startTime = startTime;
      return this;
    }

    public Builder endTime(Instant endTime) {
      this.endTime = endTime;
      return this;
    }

    public Builder compilationDurationMs(Long compilationDurationMs) {
      this.compilationDurationMs = compilationDurationMs;
      return this;
    }

    public Builder executionDurationMs(Long executionDurationMs) {
      this.executionDurationMs = executionDurationMs;
      return this;
    }

    public Builder totalDurationMs(Long totalDurationMs) {
      this.totalDurationMs = totalDurationMs;
      return this;
    }

    public Builder producedRows(Long producedRows) {
      this.producedRows = producedRows;
      return this;
    }

    public Builder producedBytes(Long producedBytes) {
      this.producedBytes = producedBytes;
      return this;
    }

    public Builder writtenRows(Long writtenRows) {
      this.writtenRows = writtenRows;
      return this;
    }

    public Builder readFiles(Long readFiles) {
      this.readFiles = readFiles;
      return this;
    }

    public Builder prunedFiles(Long prunedFiles) {
      this.prunedFiles = prunedFiles;
      return this;
    }

    public Builder fromResultCache(boolean fromResultCache) {
      this.fromResultCache = fromResultCache;
      return this;
    }

    public Builder cacheOriginStatementId(String cacheOriginStatementId) {
      this.cacheOriginStatementId = cacheOriginStatementId;
      return this;
    }

    public Builder planningDurationMs(Long planningDurationMs) {
      this.planningDurationMs = planningDurationMs;
      return this;
    }

    public Builder waitingForComputeDurationMs(Long waitingForComputeDurationMs) {
      this.waitingForComputeDurationMs = waitingForComputeDurationMs;
      return this;
    }

    public Builder waitingAtCapacityDurationMs(Long waitingAtCapacityDurationMs) {
      this.waitingAtCapacityDurationMs = waitingAtCapacityDurationMs;
      return this;
    }

    public Builder readCacheBytes(Long readCacheBytes) {
      this.readCacheBytes = readCacheBytes;
      return this;
    }

    public Builder readRemoteBytes(Long readRemoteBytes) {
      this.readRemoteBytes = readRemoteBytes;
      return this;
    }

    public Builder engineProfile(String engineProfile) {
      this.engineProfile = engineProfile;
      return this;
    }

    /**
     * @throws NullPointerException if the id, session, principal, warehouse, text, status or times
     *     are missing
     * @throws IllegalArgumentException as the constructor does
     */
    public QueryHistoryEntry build() {
      requireNonNull(startTime, "startTime");
      requireNonNull(endTime, "endTime");
      return new QueryHistoryEntry(
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
          totalDurationMs != null
              ? totalDurationMs
              : java.time.Duration.between(startTime, endTime).toMillis(),
          producedRows,
          producedBytes,
          writtenRows,
          readFiles,
          prunedFiles,
          fromResultCache,
          cacheOriginStatementId,
          planningDurationMs,
          waitingForComputeDurationMs,
          waitingAtCapacityDurationMs,
          readCacheBytes,
          readRemoteBytes,
          engineProfile);
    }
  }
}
