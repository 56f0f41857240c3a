package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * A query or write on the node: its cancel flag and the DuckDB connections working for it, so that
 * a cancel from another thread can interrupt them.
 */
final class RunningQuery {
  private final String queryId;
  private final DuckDbConnectionInterrupter interrupter;
  private final Map<DuckDBConnection, Statement> connections = new LinkedHashMap<>();
  private volatile boolean canceled;
  private boolean finished;

  RunningQuery(String queryId, DuckDbConnectionInterrupter interrupter) {
    this.queryId = queryId;
    this.interrupter = interrupter;
  }

  String queryId() {
    return queryId;
  }

  boolean isCanceled() {
    return canceled;
  }

  ExecException canceledException(Throwable cause) {
    return new ExecException(
        ExecErrorCode.QUERY_CANCELED, "Query " + queryId + " was canceled", cause);
  }

  void throwIfCanceled() {
    if (canceled) {
      throw canceledException(null);
    }
  }

  /** Registers a connection working for this query; interrupts it at once if already canceled. */
  synchronized void attach(DuckDBConnection connection) {
    connections.put(connection, null);
    if (canceled) {
      interrupter.interrupt(connection, null);
    }
  }

  /** The statement now running on an attached connection (for the fallback cancel). */
  synchronized void running(DuckDBConnection connection, Statement statement) {
    connections.put(connection, statement);
  }

  /** Unregisters a connection before it is closed. */
  synchronized void detach(DuckDBConnection connection) {
    connections.remove(connection);
  }

  void cancel() {
    canceled = true;
    interruptAll();
  }

  /** Interrupts every attached connection (again); a no-op once the query finished. */
  synchronized void interruptAll() {
    if (finished) {
      return;
    }
    connections.forEach(interrupter::interrupt);
  }

  synchronized void finish() {
    finished = true;
    connections.clear();
  }

  synchronized boolean isFinished() {
    return finished;
  }
}
