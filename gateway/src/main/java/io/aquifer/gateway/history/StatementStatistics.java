package io.aquifer.gateway.history;

import io.aquifer.gateway.StatementPhase;
import io.aquifer.gateway.StatementPhaseTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a statement's executors observe while it runs, reported in its {@link
 * io.aquifer.gateway.StatementStatus} (and so in its history entry): its type, when compilation
 * ended, files read and pruned, rows written, the time of each {@link StatementPhase}. Rows and
 * bytes returned are those of the stored result. Thread-safe: executors and the lifecycle use it
 * from different threads. Figures never observed stay empty.
 */
public final class StatementStatistics {
  private volatile String statementType;
  private volatile Instant compiledAt;
  private volatile long readFiles = -1;
  private volatile long prunedFiles = -1;
  private volatile long writtenRows = -1;
  private volatile String cacheOriginStatementId;
  private final java.util.Set<String> readTables =
      java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
  private final java.util.Set<String> readPaths =
      java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
  private volatile String writeTable;
  private volatile String auditAction;
  private volatile java.util.Map<String, String> auditParams = java.util.Map.of();
  private final Map<StatementPhase, Long> phaseNanos = new EnumMap<>(StatementPhase.class);
  private io.aquifer.storage.cache.DiskCacheReads diskCacheReads; // guarded by this
  private volatile java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfile;
  private static final java.util.function.Predicate<String> NO_ENGINE_PROFILE = profile -> false;
  private volatile java.util.function.Predicate<String> keepsEngineProfile = NO_ENGINE_PROFILE;

  /** SELECT, INSERT, CREATE, ... */
  public void statementType(String type) {
    this.statementType = type;
  }

  public String statementType() {
    return statementType;
  }

  /** Planning and compilation are done; what follows is execution. */
  public void compiled(Instant when) {
    this.compiledAt = when;
  }

  /** When {@link #compiled} was called, or null. */
  public Instant compiledAt() {
    return compiledAt;
  }

  /** Adds the files of the plan's scans (a statement may plan more than one query). */
  public synchronized void files(long read, long pruned) {
    readFiles = Math.max(readFiles, 0) + read;
    prunedFiles = Math.max(prunedFiles, 0) + pruned;
  }

  /** Adds what a query of the statement read through the warehouse node's disk cache. */
  public synchronized void diskCacheReads(io.aquifer.storage.cache.DiskCacheReads reads) {
    diskCacheReads = diskCacheReads == null ? reads : diskCacheReads.plus(reads);
  }

  /**
   * Which engine profiles the statement's query history keeps (then queries ask for them): the
   * statement holds only those, so one beyond the history's size cap is not held either.
   */
  public void keepsEngineProfile(java.util.function.Predicate<String> keeps) {
    keepsEngineProfile = java.util.Objects.requireNonNull(keeps, "keeps");
  }

  /** Whether queries of the statement ask for engine profiles. */
  public boolean keepsEngineProfile() {
    return keepsEngineProfile != NO_ENGINE_PROFILE;
  }

  /**
   * The engine profile of a query of the statement with its plan ({@code {"plan": ..., "profile":
   * ...}} JSON), which may arrive after the statement ended (a remote node's is fetched after its
   * stream); the first query's is kept when a statement runs several.
   */
  public synchronized void engineProfile(
      java.util.concurrent.CompletableFuture<java.util.Optional<String>> planAndProfile) {
    java.util.Objects.requireNonNull(planAndProfile, "planAndProfile");
    if (engineProfile == null) {
      java.util.function.Predicate<String> keeps = keepsEngineProfile;
      engineProfile =
          planAndProfile.handle(
              (profile, failed) ->
                  profile == null ? java.util.Optional.<String>empty() : profile.filter(keeps));
    }
  }

  /** The engine profile if it has arrived, or null. */
  public String engineProfile() {
    java.util.concurrent.CompletableFuture<java.util.Optional<String>> profile = engineProfile;
    return profile == null ? null : profile.getNow(java.util.Optional.empty()).orElse(null);
  }

  /**
   * The engine profile once it arrives (empty if none comes), or null when no query of the
   * statement asked for one.
   */
  public java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfileLater() {
    return engineProfile;
  }

  /** What the statement's queries read through a disk cache, or null if none did. */
  public synchronized io.aquifer.storage.cache.DiskCacheReads diskCacheReads() {
    return diskCacheReads;
  }

  public Long readFiles() {
    return readFiles < 0 ? null : readFiles;
  }

  public Long prunedFiles() {
    return prunedFiles < 0 ? null : prunedFiles;
  }

  public void writtenRows(long rows) {
    this.writtenRows = rows;
  }

  public Long writtenRows() {
    return writtenRows < 0 ? null : writtenRows;
  }

  /**
   * A table the statement's plans scan, fully qualified ({@code catalog.schema.table}), for table
   * lineage; views are seen through (their tables are recorded).
   */
  public void readTable(String fullName) {
    readTables.add(fullName);
  }

  /** The tables {@link #readTable} was told of, in first-seen order. */
  public java.util.List<String> readTables() {
    synchronized (readTables) {
      return java.util.List.copyOf(readTables);
    }
  }

  /**
   * A path whose files the statement reads (COPY INTO's source, a {@code read_files} call), as the
   * user wrote it, for table lineage.
   */
  public void readPath(String path) {
    readPaths.add(path);
  }

  /** The paths {@link #readPath} was told of, in first-seen order. */
  public java.util.List<String> readPaths() {
    synchronized (readPaths) {
      return java.util.List.copyOf(readPaths);
    }
  }

  /** The table the statement writes (INSERT, UPDATE, DELETE, MERGE), fully qualified. */
  public void writeTable(String fullName) {
    this.writeTable = fullName;
  }

  /** The table {@link #writeTable} was told of, or null. */
  public String writtenTable() {
    return writeTable;
  }

  /**
   * The statement changes what is audited (a grant, a revoke, an owner): recorded in the audit log
   * if it succeeds.
   *
   * @param params the request parameters, as strings
   */
  public void auditAction(String action, java.util.Map<String, String> params) {
    this.auditAction = action;
    this.auditParams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
  }

  /** The action {@link #auditAction} was told of, or null. */
  public String auditAction() {
    return auditAction;
  }

  public java.util.Map<String, String> auditParams() {
    return auditParams;
  }

  /** The result came from the result cache, stored by statement {@code originStatementId}. */
  public void fromResultCache(String originStatementId) {
    this.cacheOriginStatementId = originStatementId;
  }

  /** The statement whose result this one's came from, or null if not from the cache. */
  public String cacheOriginStatementId() {
    return cacheOriginStatementId;
  }

  /**
   * Adds one occurrence of {@code phase} that took {@code nanos} (a {@link System#nanoTime} pair).
   */
  public synchronized void phase(StatementPhase phase, long nanos) {
    phaseNanos.merge(phase, Math.max(0, nanos), Long::sum);
  }

  /** The time of each phase recorded so far. */
  public synchronized StatementPhaseTimes phaseTimes() {
    Map<StatementPhase, Duration> out = new EnumMap<>(StatementPhase.class);
    phaseNanos.forEach((phase, nanos) -> out.put(phase, Duration.ofNanos(nanos)));
    return new StatementPhaseTimes(out);
  }
}
