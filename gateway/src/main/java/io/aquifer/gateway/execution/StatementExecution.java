package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementError;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.StatementStatus;
import io.aquifer.gateway.history.StatementStatistics;
import io.aquifer.gateway.results.StoredResultStream;
import io.aquifer.results.ResultChunk;
import io.aquifer.results.StoredResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One statement's life: PENDING → RUNNING → SUCCEEDED | FAILED | CANCELED, then CLOSED. A query's
 * rows are spooled into the result store while it runs (RUNNING until the last chunk is stored), so
 * its first chunk is readable while the engine still computes, and every chunk can be read again
 * until the statement is closed or its result expires. Cancel is accepted in every state; once a
 * write reaches its commit point it can no longer be canceled and cancel becomes a no-op.
 */
public final class StatementExecution implements Statement {
  private static final Logger LOG = LoggerFactory.getLogger(StatementExecution.class);
  private final String id;
  private final String sql;
  private final Session session;
  private final Instant submittedAt = Instant.now();
  private final Runnable onCancel;
  private final BufferAllocator allocator;
  private final Consumer<StatementExecution> onEnd;
  private final StatementStatistics statistics = new StatementStatistics();

  /** Completes when a result exists: rows began spooling, or the update finished. */
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  /** Completes when the statement ends (SUCCEEDED, FAILED, CANCELED). */
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  private StatementState state = StatementState.PENDING;
  private Instant startedAt;
  private Instant endedAt;
  private GatewayException error;
  private Long updateCount;
  private OptionalLong affectedRows = OptionalLong.empty();
  private StoredResult stored;
  private boolean committing;
  private boolean endReported;
  private Future<?> task;
  private Future<?> timeLimit;

  /** A statement that is never registered (planning probes for prepare and metadata). */
  public StatementExecution(String id, String sql, Session session, Runnable onCancel) {
    this(id, sql, session, onCancel, null, e -> {});
  }

  /**
   * @param onCancel stops the statement's work on the warehouse
   * @param allocator for readers of its result
   * @param onEnd told once, when the statement ends
   */
  public StatementExecution(
      String id,
      String sql,
      Session session,
      Runnable onCancel,
      BufferAllocator allocator,
      Consumer<StatementExecution> onEnd) {
    this.id = requireNonNull(id, "id");
    this.sql = requireNonNull(sql, "sql");
    this.session = requireNonNull(session, "session");
    this.onCancel = requireNonNull(onCancel, "onCancel");
    this.allocator = allocator;
    this.onEnd = requireNonNull(onEnd, "onEnd");
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String sql() {
    return sql;
  }

  public Session session() {
    return session;
  }

  public Instant submittedAt() {
    return submittedAt;
  }

  /** What the executors observe while it runs; {@link #status} reports it. */
  public StatementStatistics statistics() {
    return statistics;
  }

  @Override
  public synchronized StatementState state() {
    return state;
  }

  synchronized void attach(Future<?> task) {
    this.task = task;
    if (state == StatementState.CANCELED) {
      task.cancel(true);
    }
  }

  /** The scheduled cancel that enforces a time limit; dropped as soon as the statement ends. */
  synchronized void timeLimit(Future<?> scheduled) {
    if (state.isFinal()) {
      scheduled.cancel(false);
    } else {
      this.timeLimit = scheduled;
    }
  }

  /** PENDING → RUNNING; false if canceled meanwhile. */
  synchronized boolean start() {
    if (state != StatementState.PENDING) {
      return false;
    }
    state = StatementState.RUNNING;
    startedAt = Instant.now();
    return true;
  }

  /** Throws if the statement was canceled; handlers call this between steps. */
  public synchronized void checkCanceled() {
    if (state == StatementState.CANCELED) {
      throw error != null ? error : GatewayErrors.canceled(id);
    }
  }

  /**
   * Enters the commit point: after this, cancel no longer stops the statement. Throws if it was
   * canceled before.
   */
  public synchronized void beginCommit() {
    checkCanceled();
    committing = true;
  }

  // ---- outcomes, from the statement's own thread ----

  void succeedWithUpdate(long count) {
    synchronized (this) {
      if (state != StatementState.RUNNING) {
        return;
      }
      updateCount = count;
      end(StatementState.SUCCEEDED);
    }
    // Reported before the client hears of it: its query history already lists it then.
    reportEnd();
    ready.complete(null);
    ended.complete(null);
  }

  /** The count a result with rows also reports (see {@link StatementResult.Rows#affectedRows}). */
  synchronized void affectedRows(OptionalLong count) {
    affectedRows = count;
  }

  /** Rows start spooling into {@code result}; false if the statement was canceled meanwhile. */
  boolean startSpooling(StoredResult result) {
    synchronized (this) {
      if (state != StatementState.RUNNING) {
        return false;
      }
      stored = result;
    }
    ready.complete(null);
    return true;
  }

  /**
   * Every row is stored: the statement ends, then its result is marked complete (a reader that sees
   * the complete result may close the statement at once, and must find it SUCCEEDED, not running).
   */
  void succeedSpooled() {
    StoredResult result;
    synchronized (this) {
      if (state != StatementState.RUNNING) {
        return;
      }
      end(StatementState.SUCCEEDED);
      result = stored;
    }
    result.complete();
    ended.complete(null);
    reportEnd();
  }

  void fail(GatewayException failure) {
    StoredResult result;
    synchronized (this) {
      if (state.isFinal()) {
        return;
      }
      error = failure;
      end(StatementState.FAILED);
      result = stored;
    }
    if (result != null) {
      result.fail(failure);
    }
    reportEnd(); // before the client hears of it, as for an update count
    // The end just reported audited a refusal; a front end must not audit it again.
    failure.audited(
        io.aquifer.gateway.GatewayErrorCode.PERMISSION_DENIED.name().equals(failure.errorClass()));
    ready.completeExceptionally(failure);
    ended.complete(null);
  }

  /**
   * Cancels in any state (the reason is what readers and status report); returns true if this call
   * changed the state.
   */
  boolean cancel(GatewayException reason) {
    Future<?> running;
    StoredResult result;
    synchronized (this) {
      if (state.isFinal() || committing) {
        return false;
      }
      error = reason;
      end(StatementState.CANCELED);
      running = task;
      result = stored;
    }
    if (running != null) {
      // Wakes the statement's thread wherever it waits (planning, the first batch); it then closes
      // its stream from the warehouse, which stops the query there too.
      running.cancel(true);
    }
    try {
      onCancel.run();
    } catch (RuntimeException e) {
      LOG.warn("statement {}: stopping it on the warehouse failed: {}", id, e.toString());
    }
    if (result != null) {
      result.fail(reason);
    }
    ready.completeExceptionally(reason);
    ended.complete(null);
    reportEnd();
    return true;
  }

  boolean cancel() {
    return cancel(GatewayErrors.canceled(id));
  }

  /** Cancels if still running, then frees the result; the statement is CLOSED from then on. */
  void close() {
    cancel();
    StoredResult result;
    synchronized (this) {
      if (!state.isFinal()) {
        return; // a write past its commit point: it ends on its own
      }
      state = StatementState.CLOSED;
      result = stored;
    }
    if (result != null) {
      result.close();
    }
  }

  synchronized boolean endedBefore(Instant cutoff) {
    return endedAt != null && endedAt.isBefore(cutoff);
  }

  private void end(StatementState finalState) {
    state = finalState;
    endedAt = Instant.now();
    if (timeLimit != null) {
      timeLimit.cancel(false);
      timeLimit = null;
    }
  }

  private void reportEnd() {
    synchronized (this) {
      if (endReported) {
        return;
      }
      endReported = true;
    }
    onEnd.accept(this);
  }

  // ---- what clients see ----

  public synchronized StatementStatus status() {
    StoredResult result = stored;
    return new StatementStatus(
        id,
        session.principal().name(),
        session.id(),
        state,
        submittedAt,
        Optional.ofNullable(startedAt),
        Optional.ofNullable(endedAt),
        result == null ? 0 : result.rowCount(),
        result == null ? 0 : result.byteCount(),
        result == null ? 0 : result.chunkCount(),
        result != null && result.isComplete(),
        updateCount == null ? OptionalLong.empty() : OptionalLong.of(updateCount),
        Optional.ofNullable(error).map(StatementError::of),
        Optional.ofNullable(statistics.statementType()),
        session.clientApplication(),
        Optional.ofNullable(statistics.compiledAt()),
        optional(statistics.readFiles()),
        optional(statistics.prunedFiles()),
        optional(statistics.writtenRows()),
        Optional.ofNullable(statistics.cacheOriginStatementId()),
        statistics.phaseTimes(),
        Optional.ofNullable(statistics.diskCacheReads()),
        Optional.ofNullable(statistics.engineProfile()));
  }

  private static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /** Waits up to the timeout for the statement to end. */
  public void awaitEnd(Duration timeout) {
    try {
      ended.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Not ended yet, or ended with a failure: the status tells which.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public StatementResult awaitResult() {
    try {
      ready.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw GatewayErrors.canceled(id);
    } catch (ExecutionException e) {
      throw GatewayErrors.translate(e.getCause());
    }
    return result();
  }

  @Override
  public StatementResult awaitResult(Duration timeout) {
    try {
      ready.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw GatewayErrors.canceled(id);
    } catch (ExecutionException e) {
      throw GatewayErrors.translate(e.getCause());
    }
    return result();
  }

  /** A new reader of the result from its first chunk, or the update count. */
  private StatementResult result() {
    StoredResult result;
    synchronized (this) {
      if (state == StatementState.CLOSED) {
        throw closed();
      }
      if (updateCount != null) {
        return new StatementResult.UpdateCount(updateCount);
      }
      result = stored;
    }
    OptionalLong affected;
    synchronized (this) {
      affected = affectedRows;
    }
    return new StatementResult.Rows(new StoredResultStream(result, allocator), affected);
  }

  /** One chunk of the result; see {@link io.aquifer.gateway.StatementService#chunk}. */
  public Optional<ResultChunk> chunk(int index, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    if (awaitResult(wait) == null) {
      return Optional.empty();
    }
    StoredResult result;
    synchronized (this) {
      if (updateCount != null) {
        throw GatewayErrorCode.STATEMENT_HAS_NO_RESULT.exception(
            "statement " + id + " returns no rows, only an update count");
      }
      result = stored;
    }
    try {
      return result.chunk(index, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (RuntimeException e) {
      throw GatewayErrors.translate(e);
    }
  }

  private GatewayException closed() {
    return GatewayErrors.translate(
        new io.aquifer.results.ResultStoreException(
            io.aquifer.results.ResultStoreErrorCode.RESULT_CLOSED,
            "statement " + id + " was closed or its result expired; run it again"));
  }
}
