package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.ResultStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>While the client reads one frame, the next is made ready: as a frame that is not the last
 * leaves, a task on the prefetch executor reads the next one (as many rows as this fetch asked for)
 * and writes its protobuf form, so that the client's next fetch finds it waiting instead of waiting
 * for the engine's batches and the encoding. So a statement holds at most one frame more than the
 * one in flight.
 *
 * <p>{@link #cancel()} may come from another request at any time. The engine computes rows as they
 * are pulled, so a fetch may wait a long time for the next batch (for a count over a huge join,
 * until the very end); cancel then closes the stream under it, which stops the query on the
 * warehouse node and wakes the fetch, which fails as canceled.
 */
final class ResultFrames implements AutoCloseable {
  private final ResultStream stream;
  private final long limit;
  private final Executor prefetch;
  private final boolean columnar;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean streamClosed = new AtomicBoolean();
  private volatile boolean canceled;
  private volatile boolean waitingForBatch;
  private List<WireColumn> columns;

  /** Rows read from the stream (sent or prefetched). */
  private long position;

  /** Rows sent to the client: where its next fetch starts. */
  private long sent;

  /** The next frame, read ahead of the client's fetch; null when none. */
  private Prefetched prefetched;

  private VectorSchemaRoot batch;
  private int batchRow;
  private boolean streamEnded;
  private boolean closed;

  /**
   * @param maxRowCount the statement's row limit; negative for none
   * @param columnar whether frames go out in the columnar form (see {@link ColumnarFrameEncoder})
   */
  ResultFrames(ResultStream stream, long maxRowCount, Executor prefetch, boolean columnar) {
    this.stream = requireNonNull(stream, "stream");
    this.limit = maxRowCount;
    this.prefetch = requireNonNull(prefetch, "prefetch");
    this.columnar = columnar;
  }

  /** A frame read ahead, or the failure that reading it met. */
  private record Prefetched(CompactFrame frame, RuntimeException failure) {}

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
      Prefetched ahead = prefetched;
      prefetched = null;
      if (ahead != null && ahead.failure() != null) {
        closeLocked();
        throw canceled ? canceledError() : ahead.failure();
      }
      if (closed || canceled) {
        closeLocked();
        throw canceled
            ? canceledError()
            : GatewayErrorCode.NO_OPEN_RESULT.exception("The result was already read to its end");
      }
      if (offset != sent) {
        throw GatewayErrorCode.NO_OPEN_RESULT.exception(
            "Fetch at row "
                + offset
                + ", but the result is at row "
                + sent
                + "; Aquifer streams results forward only");
      }
      CompactFrame frame = ahead == null ? read(offset, maxRows) : take(ahead.frame(), maxRows);
      sent += frame.rowList().size();
      if (frame.done) {
        closeLocked();
      } else if (prefetched == null) {
        readAhead(maxRows);
      }
      return frame;
    } finally {
      lock.unlock();
    }
  }

  /** The prefetched frame, or its first {@code maxRows} rows when the client asks for fewer. */
  private CompactFrame take(CompactFrame ahead, int maxRows) {
    List<Object> rows = ahead.rowList();
    if (rows.size() <= maxRows) {
      return ahead;
    }
    prefetched =
        new Prefetched(
            ahead.with(
                ahead.offset + maxRows,
                ahead.done,
                new ArrayList<>(rows.subList(maxRows, rows.size()))),
            null);
    return ahead.with(ahead.offset, false, rows.subList(0, maxRows));
  }

  /** Starts reading the frame after the one being sent, if the executor takes the task. */
  private void readAhead(int maxRows) {
    long offset = position;
    try {
      prefetch.execute(() -> prefetch(offset, maxRows));
    } catch (RejectedExecutionException e) {
      // The front end is stopping; the next fetch reads the frame itself.
    }
  }

  private void prefetch(long offset, int maxRows) {
    lock.lock();
    try {
      if (closed || canceled || prefetched != null || position != offset) {
        return;
      }
      try {
        CompactFrame frame = read(offset, maxRows);
        if (canceled) {
          closeLocked();
          return;
        }
        frame.encode();
        prefetched = new Prefetched(frame, null);
      } catch (RuntimeException e) {
        prefetched = new Prefetched(null, e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reads the frame at {@code offset} from the stream; on failure closes it. */
  private CompactFrame read(long offset, int maxRows) {
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
      return columnar
          ? CompactFrame.columnar(offset, done, rows)
          : CompactFrame.of(offset, done, rows);
    } catch (RuntimeException e) {
      closeLocked();
      throw canceled ? canceledError() : e;
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
