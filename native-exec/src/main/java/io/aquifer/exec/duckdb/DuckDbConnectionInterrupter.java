package io.aquifer.exec.duckdb;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupts whatever a DuckDB connection is running.
 *
 * <p>DuckDB JDBC exposes interruption only as {@link Statement#cancel()}, which does nothing once
 * {@code execute()} has returned; with streaming results most of a query runs after that, while
 * Arrow batches are fetched. The driver's package-private {@code DuckDBConnection.interrupt()}
 * (DuckDB's {@code ClientContext::Interrupt}, safe to call from any thread) covers both phases, so
 * it is called reflectively, under the connection lock it expects. If a driver upgrade removes it,
 * this falls back to {@link Statement#cancel()} and a check between batches, and says so once.
 */
final class DuckDbConnectionInterrupter {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbConnectionInterrupter.class);

  private final Field connectionLock;
  private final Method interrupt;

  private DuckDbConnectionInterrupter(Field connectionLock, Method interrupt) {
    this.connectionLock = connectionLock;
    this.interrupt = interrupt;
  }

  static DuckDbConnectionInterrupter create() {
    try {
      Field lock = DuckDBConnection.class.getDeclaredField("connRefLock");
      lock.setAccessible(true);
      Method interrupt = DuckDBConnection.class.getDeclaredMethod("interrupt");
      interrupt.setAccessible(true);
      return new DuckDbConnectionInterrupter(lock, interrupt);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "DuckDB JDBC has no DuckDBConnection.interrupt(); queries are canceled between batches only",
          e);
      return new DuckDbConnectionInterrupter(null, null);
    }
  }

  /** Interrupts the connection's running query, if any; never throws. */
  void interrupt(DuckDBConnection connection, Statement statement) {
    if (interrupt != null) {
      try {
        ReentrantLock lock = (ReentrantLock) connectionLock.get(connection);
        lock.lock();
        try {
          if (!connection.isClosed()) {
            interrupt.invoke(connection);
          }
        } finally {
          lock.unlock();
        }
        return;
      } catch (ReflectiveOperationException | RuntimeException | java.sql.SQLException e) {
        LOG.debug("interrupting a DuckDB connection failed", e);
      }
    }
    if (statement != null) {
      try {
        statement.cancel();
      } catch (java.sql.SQLException | RuntimeException e) {
        LOG.debug("canceling a DuckDB statement failed", e);
      }
    }
  }
}
