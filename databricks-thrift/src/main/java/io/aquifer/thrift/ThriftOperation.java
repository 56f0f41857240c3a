package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import com.databricks.jdbc.model.client.thrift.generated.TOperationHandle;
import com.databricks.jdbc.model.client.thrift.generated.TOperationType;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An operation of a Thrift session: a statement of the statement service, or a metadata listing
 * computed when it was asked for. Holds the read position of its result.
 */
final class ThriftOperation {
  private final ThriftHandles.Handle handle;
  private final ThriftSession session;
  private final TOperationType type;
  private final Optional<String> statementId;
  private final Supplier<ResultCursor> opener;
  private ResultCursor cursor;
  private long offset;

  private ThriftOperation(
      ThriftSession session,
      TOperationType type,
      Optional<String> statementId,
      Supplier<ResultCursor> opener) {
    this.handle = ThriftHandles.Handle.random();
    this.session = requireNonNull(session, "session");
    this.type = requireNonNull(type, "type");
    this.statementId = requireNonNull(statementId, "statementId");
    this.opener = requireNonNull(opener, "opener");
  }

  /** A statement; {@code opener} reads its result from the start (waiting for it if need be). */
  static ThriftOperation statement(
      ThriftSession session, String statementId, Supplier<ResultCursor> opener) {
    return new ThriftOperation(
        session, TOperationType.EXECUTE_STATEMENT, Optional.of(statementId), opener);
  }

  /** A metadata listing with its rows. */
  static ThriftOperation listing(
      ThriftSession session, TOperationType type, List<ResultColumn> columns, List<Object[]> rows) {
    return new ThriftOperation(
        session, type, Optional.empty(), () -> new FixedRowsCursor(columns, rows));
  }

  ThriftHandles.Handle handle() {
    return handle;
  }

  ThriftSession session() {
    return session;
  }

  Optional<String> statementId() {
    return statementId;
  }

  TOperationHandle wire() {
    return new TOperationHandle(handle.identifier(), type, true);
  }

  /** The open cursor, opened on first use. */
  synchronized ResultCursor cursor() {
    if (cursor == null) {
      cursor = opener.get();
      offset = 0;
    }
    return cursor;
  }

  /** Starts reading again from the first row. */
  synchronized void rewind() {
    closeCursor();
  }

  /** Row offset of the next page. */
  synchronized long offset() {
    return offset;
  }

  /** Sets the row offset of the next page (a CloudFetch cursor moved to another chunk). */
  synchronized void moveTo(long rowOffset) {
    offset = rowOffset;
  }

  synchronized void advance(int rows) {
    offset += rows;
  }

  synchronized void closeCursor() {
    if (cursor != null) {
      cursor.close();
      cursor = null;
    }
    offset = 0;
  }
}
