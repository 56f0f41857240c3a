package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.ResultStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta.Frame;

/**
 * A statement's rows cut into Avatica frames as the client fetches them: rows are read from the
 * gateway's Arrow batches one frame at a time, so the server holds one batch and one frame, never
 * the whole result. Forward only: each fetch must start where the previous frame ended.
 *
 * <p>A frame is marked done as soon as the rows are known to be exhausted (the next batch is looked
 * at before the frame is sent), so a small result costs the client a single round trip.
 *
 * <p>{@link #cancel()} may come from another request at any time. The engine computes rows as they
 * are pulled, so a fetch may wait a long time for the next batch (for a count over a huge join,
 * until the very end); cancel then closes the stream under it, which stops the query on the
 * warehouse node and wakes the fetch, which fails as canceled.
 */
final class ResultFrames implements AutoCloseable {
  private final ResultStream stream;
  private final long limit;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean streamClosed = new AtomicBoolean();
  private volatile boolean canceled;
  private volatile boolean waitingForBatch;
  private List<WireColumn> columns;
  private long position;
  private VectorSchemaRoot batch;
  private int batchRow;
  private boolean streamEnded;
  private boolean closed;

  /**
   * @param maxRowCount the statement's row limit; negative for none
   */
  ResultFrames(ResultStream stream, long maxRowCount) {
    this.stream = requireNonNull(stream, "stream");
    this.limit = maxRowCount;
  }

  /** The result's columns; known once the first frame was read. */
  List<ColumnMetaData> columnMetadata() {
    lock.lock();
    try {
      List<ColumnMetaData> metadata = new ArrayList<>(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        metadata.add(columns.get(i).metadata(i));
      }
      return metadata;
    } finally {
      lock.unlock();
    }
  }

  /** Rows from {@code offset}, at most {@code maxRows}; closes the stream after the last. */
  Frame next(long offset, int maxRows) {
    lock.lock();
    try {
      if (closed || canceled) {
        closeLocked();
        throw canceled
            ? canceledError()
            : GatewayErrorCode.NO_OPEN_RESULT.exception("The result was already read to its end");
      }
      if (offset != position) {
        throw GatewayErrorCode.NO_OPEN_RESULT.exception(
            "Fetch at row "
                + offset
                + ", but the result is at row "
                + position
                + "; Aquifer streams results forward only");
      }
      try {
        if (columns == null) {
          columns = WireColumns.of(waitFor(stream::schema));
        }
        List<Object> rows = new ArrayList<>(Math.min(maxRows, 1024));
        boolean done = false;
        while (rows.size() < maxRows) {
          if (limitReached() || !advance()) {
            done = true;
            break;
          }
          rows.add(row());
          batchRow++;
          position++;
        }
        if (!done) {
          done = limitReached() || !advance();
        }
        if (done) {
          closeLocked();
        }
        return Frame.create(offset, done, rows);
      } catch (RuntimeException e) {
        closeLocked();
        throw canceled ? canceledError() : e;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes this result fail as canceled, from any thread, without waiting: closes it now if no fetch
   * runs, closes the stream under a fetch that waits for the next batch, or else lets the running
   * fetch stop at its next batch.
   */
  void cancel() {
    canceled = true;
    if (lock.tryLock()) {
      try {
        closeLocked();
      } finally {
        lock.unlock();
      }
    } else if (waitingForBatch) {
      closeStream();
    }
  }

  boolean isCanceled() {
    return canceled;
  }

  private boolean limitReached() {
    return limit >= 0 && position >= limit;
  }

  /** Positions on a row, loading the next batch when needed; false at the end. */
  private boolean advance() {
    while (batch == null || batchRow >= batch.getRowCount()) {
      if (streamEnded) {
        return false;
      }
      if (!waitFor(stream::next)) {
        streamEnded = true;
        batch = null;
        return false;
      }
      batch = stream.root();
      batchRow = 0;
    }
    return true;
  }

  /** Calls into the stream where it may block, so that cancel can close the stream under it. */
  private <T> T waitFor(java.util.function.Supplier<T> call) {
    waitingForBatch = true;
    try {
      if (canceled) {
        throw canceledError();
      }
      return call.get();
    } finally {
      waitingForBatch = false;
    }
  }

  private Object[] row() {
    List<FieldVector> vectors = batch.getFieldVectors();
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = columns.get(i).reader().read(vectors.get(i), batchRow);
    }
    return row;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closeLocked();
    } finally {
      lock.unlock();
    }
  }

  private void closeLocked() {
    if (!closed) {
      closed = true;
      batch = null;
      closeStream();
    }
  }

  private void closeStream() {
    if (streamClosed.compareAndSet(false, true)) {
      stream.close();
    }
  }

  private static RuntimeException canceledError() {
    return GatewayErrorCode.QUERY_CANCELED.exception("The statement was canceled");
  }
}
