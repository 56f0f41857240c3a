package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One statement's life: PENDING → RUNNING → SUCCEEDED | FAILED | CANCELED, then CLOSED. Cancel is
 * accepted in every state; once a write reaches its commit point it can no longer be canceled and
 * cancel becomes a no-op.
 */
public final class StatementExecution implements Statement {
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

  public StatementExecution(String id, String sql, Session session, Runnable onCancel) {
    this.id = requireNonNull(id, "id");
    this.sql = requireNonNull(sql, "sql");
    this.session = requireNonNull(session, "session");
    this.onCancel = requireNonNull(onCancel, "onCancel");
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
        delivered =
            new StatementResult.Rows(
                new io.aquifer.gateway.results.ObservedResultStream(
                    rows.stream(), this::streamClosed));
      }
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
  }

  void fail(GatewayException error) {
    synchronized (this) {
      if (state.isFinal()) {
        return;
      }
      state = StatementState.FAILED;
    }
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
    result.completeExceptionally(GatewayErrors.canceled(id));
    onCancel.run();
    if (running != null) {
      running.cancel(true);
    }
    return true;
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
