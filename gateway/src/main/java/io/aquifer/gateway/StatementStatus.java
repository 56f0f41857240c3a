package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A statement as {@link StatementService#status} reports it.
 *
 * @param principal name of the principal it runs as
 * @param startedAt when it left the queue and began planning
 * @param endedAt when it reached SUCCEEDED, FAILED or CANCELED
 * @param rows rows of its result stored so far
 * @param bytes bytes of its result stored so far (Arrow IPC)
 * @param chunks chunks of its result stored so far; readable by index from 0
 * @param resultComplete true once every chunk of the result is stored
 * @param updateCount rows changed, for statements that return no rows
 * @param error why it failed or was canceled
 * @param statementType SELECT, INSERT, CREATE, ... once the SQL parsed
 * @param clientApplication the front end and driver the session came through
 * @param plannedAt when planning and compilation ended and execution began
 * @param filesRead data files its scans read
 * @param filesPruned data files its scans skipped on statistics
 * @param rowsWritten rows an INSERT, UPDATE, DELETE, MERGE or COPY INTO wrote
 * @param cacheOriginStatementId when its result came from the result cache: the statement that
 *     stored it
 * @param phaseTimes where its time went so far, by phase
 * @param diskCacheReads what its queries' scans read through the warehouse node's disk cache
 *     (object-store files only): query history's {@code read_cache_bytes} and {@code
 *     read_remote_bytes}; empty when none read anything through it
 * @param engineProfile the engine's per-operator profile of its query with the logical plan, as
 *     JSON ({@code {"plan": ..., "profile": ...}}), once it has ended; empty if none was kept
 */
public record StatementStatus(
    String id,
    String principal,
    String sessionId,
    StatementState state,
    Instant submittedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    long rows,
    long bytes,
    int chunks,
    boolean resultComplete,
    OptionalLong updateCount,
    Optional<StatementError> error,
    Optional<String> statementType,
    Optional<String> clientApplication,
    Optional<Instant> plannedAt,
    OptionalLong filesRead,
    OptionalLong filesPruned,
    OptionalLong rowsWritten,
    Optional<String> cacheOriginStatementId,
    StatementPhaseTimes phaseTimes,
    Optional<io.aquifer.storage.cache.DiskCacheReads> diskCacheReads,
    Optional<String> engineProfile) {

  public StatementStatus {
    requireNonNull(engineProfile, "engineProfile");
    requireNonNull(diskCacheReads, "diskCacheReads");
    requireNonNull(cacheOriginStatementId, "cacheOriginStatementId");
    requireNonNull(phaseTimes, "phaseTimes");
    requireNonNull(id, "id");
    requireNonNull(principal, "principal");
    requireNonNull(sessionId, "sessionId");
    requireNonNull(state, "state");
    requireNonNull(submittedAt, "submittedAt");
    requireNonNull(startedAt, "startedAt");
    requireNonNull(endedAt, "endedAt");
    requireNonNull(updateCount, "updateCount");
    requireNonNull(error, "error");
    requireNonNull(statementType, "statementType");
    requireNonNull(clientApplication, "clientApplication");
    requireNonNull(plannedAt, "plannedAt");
    requireNonNull(filesRead, "filesRead");
    requireNonNull(filesPruned, "filesPruned");
    requireNonNull(rowsWritten, "rowsWritten");
    if (rows < 0 || bytes < 0 || chunks < 0) {
      throw new IllegalArgumentException("negative rows, bytes or chunks");
    }
  }

  /** Whether its result came from the result cache. */
  public boolean fromResultCache() {
    return cacheOriginStatementId.isPresent();
  }

  /** Time from submission to the end, or to now while it runs. */
  public Duration duration() {
    return Duration.between(submittedAt, endedAt.orElse(Instant.now()));
  }
}
