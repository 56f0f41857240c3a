package io.aquifer.gateway.results;

import io.aquifer.gateway.ResultStream;
import java.util.function.Consumer;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A result stream that tells its statement when it is closed, and whether every batch had been read
 * by then (a client that stops early leaves the engine work to cancel).
 */
public final class ObservedResultStream implements ResultStream {
  private final ResultStream delegate;
  private final Consumer<Boolean> onClose;
  private final BatchListener onBatch;
  private boolean exhausted;
  private boolean closed;

  /**
   * @param onClose receives true when the stream was read to its end
   */
  public ObservedResultStream(ResultStream delegate, Consumer<Boolean> onClose) {
    this(delegate, onClose, (rows, bytes) -> {});
  }

  /**
   * @param onBatch receives the rows and Arrow bytes of each batch read
   */
  public ObservedResultStream(
      ResultStream delegate, Consumer<Boolean> onClose, BatchListener onBatch) {
    this.delegate = delegate;
    this.onClose = onClose;
    this.onBatch = onBatch;
  }

  /** Told of each batch as it is read. */
  @FunctionalInterface
  public interface BatchListener {
    void batch(long rows, long bytes);
  }

  @Override
  public Schema schema() {
    return delegate.schema();
  }

  @Override
  public boolean next() {
    boolean more = delegate.next();
    if (!more) {
      exhausted = true;
    } else {
      VectorSchemaRoot root = delegate.root();
      long bytes = 0;
      for (FieldVector vector : root.getFieldVectors()) {
        bytes += vector.getBufferSize();
      }
      onBatch.batch(root.getRowCount(), bytes);
    }
    return more;
  }

  @Override
  public VectorSchemaRoot root() {
    return delegate.root();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      delegate.close();
    } finally {
      onClose.accept(exhausted);
    }
  }
}
