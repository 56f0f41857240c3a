package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.frontend.PreparedStatements;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One Avatica statement of a client connection: what it prepared (if anything), the gateway
 * statement it is running, and the result it is streaming. One execution at a time; a new one
 * closes the previous result. Cancel and close may come from other requests at any time.
 */
final class ClientStatement {
  private final int id;
  private final Consumer<Statement> gatewayClose;
  private PreparedStatements.Prepared prepared;
  private long preparedMaxRowCount = -1;
  private Statement current;
  private ResultFrames results;
  private boolean closed;
  private boolean canceled;
  private Optional<Duration> queryTimeout = Optional.empty();

  /**
   * @param gatewayClose closes a statement in the gateway: cancels it if it still runs, and frees
   *     its stored result (an Avatica result is read once, forward only)
   */
  ClientStatement(int id, Consumer<Statement> gatewayClose) {
    this.id = id;
    this.gatewayClose = requireNonNull(gatewayClose, "gatewayClose");
  }

  int id() {
    return id;
  }

  /**
   * Holds a statement prepared in the gateway's registry; returns the one it held before, which the
   * caller closes there.
   */
  synchronized Optional<PreparedStatements.Prepared> prepared(
      PreparedStatements.Prepared prepared, long maxRowCount) {
    Optional<PreparedStatements.Prepared> previous = Optional.ofNullable(this.prepared);
    this.prepared = prepared;
    this.preparedMaxRowCount = maxRowCount;
    return previous;
  }

  synchronized Optional<PreparedStatements.Prepared> prepared() {
    return Optional.ofNullable(prepared);
  }

  /** JDBC's query timeout, for the executions that follow; empty for none. */
  synchronized void queryTimeout(Optional<Duration> timeout) {
    this.queryTimeout = timeout;
  }

  synchronized Optional<Duration> queryTimeout() {
    return queryTimeout;
  }

  synchronized long preparedMaxRowCount() {
    return preparedMaxRowCount;
  }

  /**
   * Starts an execution: closes the previous result and remembers the gateway statement so that
   * cancel can reach it. If this statement was closed meanwhile, cancels the gateway statement and
   * fails.
   */
  void begin(Statement statement) {
    ResultFrames previous;
    Statement previousStatement;
    synchronized (this) {
      if (!closed) {
        previous = results;
        previousStatement = current;
        results = null;
        current = statement;
        canceled = false;
      } else {
        previous = null;
        previousStatement = null;
      }
    }
    if (previous != null) {
      previous.close();
    }
    if (previousStatement != null && previousStatement != statement) {
      gatewayClose.accept(previousStatement);
    }
    if (isClosed()) {
      gatewayClose.accept(statement);
      throw closedWhileRunning();
    }
  }

  /**
   * Holds the rows of the current execution for fetching. If the statement was closed or canceled
   * meanwhile, closes the stream and fails.
   */
  ResultFrames open(
      Statement statement,
      ResultStream stream,
      long maxRowCount,
      java.util.concurrent.Executor prefetch,
      boolean columnar) {
    synchronized (this) {
      if (!closed && !canceled && current == statement) {
        results = new ResultFrames(stream, maxRowCount, prefetch, columnar);
        return results;
      }
    }
    stream.close();
    throw closedWhileRunning();
  }

  /** The execution ended without rows to stream (an update, or a failure). */
  void end(Statement statement) {
    synchronized (this) {
      if (current == statement) {
        current = null;
      }
    }
    gatewayClose.accept(statement);
  }

  synchronized ResultFrames results() {
    if (results == null) {
      if (canceled) {
        throw GatewayErrorCode.QUERY_CANCELED.exception("The statement was canceled");
      }
      throw GatewayErrorCode.NO_OPEN_RESULT.exception(
          "Statement "
              + id
              + " has no open result: it was not executed, was executed again, or"
              + " its result was read to the end");
    }
    return results;
  }

  /** Forgets a result that was read to its end, and frees it in the gateway. */
  void finished(ResultFrames frames) {
    Statement done = null;
    synchronized (this) {
      if (results == frames) {
        results = null;
        done = current;
        current = null;
      }
    }
    if (done != null) {
      gatewayClose.accept(done);
    }
  }

  /**
   * Cancels the current execution, whether it still runs or streams its rows: the gateway stops it,
   * and a fetch of it fails as canceled. The statement stays usable. False if nothing ran.
   */
  boolean cancel() {
    Statement running;
    ResultFrames streaming;
    synchronized (this) {
      running = current;
      streaming = results;
      if (running == null && streaming == null) {
        return false;
      }
      canceled = true;
    }
    stop(running, streaming);
    return true;
  }

  /** Closes the statement, stopping what it runs. Idempotent. */
  void close() {
    Statement running;
    ResultFrames streaming;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = current;
      streaming = results;
      current = null;
      results = null;
    }
    stop(running, streaming);
  }

  /** The id of the gateway statement this one runs or streams now; empty if none. */
  synchronized Optional<String> runningStatementId() {
    return current == null ? Optional.empty() : Optional.of(current.id());
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Whether an execution is under way and has no rows to fetch yet: its client waits in one long
   * request, so a connection with such a statement is not idle.
   */
  synchronized boolean executing() {
    return current != null && results == null;
  }

  private void stop(Statement running, ResultFrames streaming) {
    if (streaming != null) {
      // Closes the result, or the stream under a fetch that waits for rows: the warehouse node
      // stops the query when its stream is closed.
      streaming.cancel();
    }
    if (running != null) {
      gatewayClose.accept(running);
    }
  }

  private static RuntimeException closedWhileRunning() {
    return GatewayErrorCode.QUERY_CANCELED.exception(
        "The statement was canceled or closed while it ran");
  }
}
