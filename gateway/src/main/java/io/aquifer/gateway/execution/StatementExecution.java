package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.QueryHistoryEntry;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.history.QueryHistory;
import io.aquifer.gateway.history.QueryHistoryEntries;
import io.aquifer.gateway.history.StatementStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One statement's life: PENDING → RUNNING → SUCCEEDED | FAILED | CANCELED, then CLOSED. Cancel is
 * accepted in every state; once a write reaches its commit point it can no longer be canceled and
 * cancel becomes a no-op.
 */
public final class StatementExecution implements Statement {
  private static final Logger LOG = LoggerFactory.getLogger(StatementExecution.class);
  private final String id;
  private final String sql;
  private final Session session;
  private final Instant submittedAt = Instant.now();
  private final CompletableFuture<StatementResult> result = new CompletableFuture<>();
  private final Runnable onCancel;
  private StatementState state = StatementState.PENDING;
  private boolean committing;
  private boolean streaming;
  private Future<?> task;
  private final QueryHistory history;
  private final StatementStatistics statistics = new StatementStatistics();
  private GatewayException error;
  private boolean recorded;

  public StatementExecution(String id, String sql, Session session, Runnable onCancel) {
    this(id, sql, session, onCancel, QueryHistory.DISABLED);
  }

  /**
   * @param history told once, when the statement reaches its final state
   */
  public StatementExecution(
      String id, String sql, Session session, Runnable onCancel, QueryHistory history) {
    this.id = requireNonNull(id, "id");
    this.sql = requireNonNull(sql, "sql");
    this.session = requireNonNull(session, "session");
    this.onCancel = requireNonNull(onCancel, "onCancel");
    this.history = requireNonNull(history, "history");
  }

  /** What the executors observe while the statement runs, for its history entry. */
  public StatementStatistics statistics() {
    return statistics;
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

  /** PENDING → RUNNING; false if canceled meanwhile. */
  synchronized boolean start() {
    if (state != StatementState.PENDING) {
      return false;
    }
    state = StatementState.RUNNING;
    return true;
  }

  /** Throws if the statement was canceled; handlers call this between steps. */
  public synchronized void checkCanceled() {
    if (state == StatementState.CANCELED) {
      throw GatewayErrors.canceled(id);
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

  void succeed(StatementResult value) {
    StatementResult delivered = value;
    synchronized (this) {
      if (state == StatementState.CANCELED) {
        closeQuietly(value);
        return;
      }
      state = StatementState.SUCCEEDED;
      if (value instanceof StatementResult.Rows rows) {
        // Rows are computed while they stream: until the stream ends, cancel must reach the engine.
        streaming = true;
        statistics.returnsRows();
        delivered =
            new StatementResult.Rows(
                new io.aquifer.gateway.results.ObservedResultStream(
                    rows.stream(), this::streamClosed, statistics::produced));
      }
    }
    if (!(value instanceof StatementResult.Rows)) {
      recordHistory(); // before the client hears of it, so that its history shows it at once
    }
    result.complete(delivered);
  }

  private void streamClosed(boolean readToTheEnd) {
    boolean stopEngine;
    synchronized (this) {
      stopEngine = streaming && !readToTheEnd && state == StatementState.SUCCEEDED;
      streaming = false;
      if (state == StatementState.SUCCEEDED) {
        state = StatementState.CLOSED;
      }
    }
    if (stopEngine) {
      onCancel.run();
    }
    recordHistory();
  }

  void fail(GatewayException error) {
    synchronized (this) {
      if (state.isFinal()) {
        return;
      }
      state = StatementState.FAILED;
      this.error = error;
    }
    recordHistory();
    result.completeExceptionally(error);
  }

  /** Cancels in any state; returns true if this call changed the state. */
  boolean cancel() {
    Future<?> running;
    synchronized (this) {
      if (state == StatementState.SUCCEEDED && streaming) {
        // The client is still reading rows the engine is computing: stop the engine; the stream
        // then ends with an error at the reader.
        state = StatementState.CANCELED;
        streaming = false;
        running = null;
      } else if (state.isFinal() || committing) {
        return false;
      } else {
        state = StatementState.CANCELED;
        running = task;
      }
    }
    GatewayException canceled = GatewayErrors.canceled(id);
    synchronized (this) {
      error = canceled;
    }
    result.completeExceptionally(canceled);
    onCancel.run();
    if (running != null) {
      running.cancel(true);
    }
    recordHistory();
    return true;
  }

  /**
   * The query history hook: hands the statement's entry to the history once, when it has reached
   * its final state (finished with its rows read or its update count, failed, or canceled). A
   * history that fails is logged, never the statement's failure.
   */
  private void recordHistory() {
    QueryHistoryEntry entry;
    synchronized (this) {
      if (recorded || !state.isFinal()) {
        return;
      }
      recorded = true;
      try {
        entry =
            QueryHistoryEntries.of(
                id, session, sql, submittedAt, Instant.now(), state, error, statistics);
      } catch (RuntimeException e) {
        LOG.warn("statement {}: cannot make its query history entry", id, e);
        return;
      }
    }
    try {
      history.record(entry);
    } catch (RuntimeException e) {
      LOG.warn("statement {}: the query history did not take its entry", id, e);
    }
  }

  synchronized void close() {
    if (!state.isFinal() || state == StatementState.SUCCEEDED) {
      if (!state.isFinal()) {
        cancel();
      }
      state = StatementState.CLOSED;
    }
  }

  @Override
  public StatementResult awaitResult() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw GatewayErrors.canceled(id);
    } catch (ExecutionException e) {
      throw GatewayErrors.translate(e.getCause());
    }
  }

  @Override
  public StatementResult awaitResult(Duration timeout) {
    try {
      return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw GatewayErrors.canceled(id);
    } catch (ExecutionException e) {
      throw GatewayErrors.translate(e.getCause());
    }
  }

  private static void closeQuietly(StatementResult value) {
    if (value instanceof StatementResult.Rows rows) {
      rows.stream().close();
    }
  }
}
