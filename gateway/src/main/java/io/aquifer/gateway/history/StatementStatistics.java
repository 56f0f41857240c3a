package io.aquifer.gateway.history;

import java.time.Instant;

/**
 * What a statement's executors observe while it runs, reported in its {@link
 * io.aquifer.gateway.StatementStatus} (and so in its history entry): its type, when compilation
 * ended, files read and pruned, rows written. Rows and bytes returned are those of the stored
 * result. Thread-safe: executors and the lifecycle use it from different threads. Figures never
 * observed stay empty.
 */
public final class StatementStatistics {
  private volatile String statementType;
  private volatile Instant compiledAt;
  private volatile long readFiles = -1;
  private volatile long prunedFiles = -1;
  private volatile long writtenRows = -1;
  private volatile String cacheOriginStatementId;

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

  /** The result came from the result cache, stored by statement {@code originStatementId}. */
  public void fromResultCache(String originStatementId) {
    this.cacheOriginStatementId = originStatementId;
  }

  /** The statement whose result this one's came from, or null if not from the cache. */
  public String cacheOriginStatementId() {
    return cacheOriginStatementId;
  }
}
