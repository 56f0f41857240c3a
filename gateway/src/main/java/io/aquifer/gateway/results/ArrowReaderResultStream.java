package io.aquifer.gateway.results;

import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.execution.GatewayErrors;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** A {@link ResultStream} over an Arrow IPC reader: batches pass through without copies. */
public final class ArrowReaderResultStream implements ResultStream {
  private final ArrowReader reader;
  private final Runnable onClose;
  private boolean closed;

  public ArrowReaderResultStream(ArrowReader reader, Runnable onClose) {
    this.reader = reader;
    this.onClose = onClose;
  }

  @Override
  public Schema schema() {
    try {
      return reader.getVectorSchemaRoot().getSchema();
    } catch (IOException | RuntimeException e) {
      throw GatewayErrors.translate(unwrap(e));
    }
  }

  @Override
  public boolean next() {
    try {
      return reader.loadNextBatch();
    } catch (IOException | RuntimeException e) {
      throw GatewayErrors.translate(unwrap(e));
    }
  }

  @Override
  public io.aquifer.storage.cache.DiskCacheReads diskCacheReads() {
    return reader instanceof io.aquifer.exec.ReadsThroughDiskCache cached
        ? cached.diskCacheReads()
        : io.aquifer.storage.cache.DiskCacheReads.NONE;
  }

  @Override
  public java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfile() {
    return reader instanceof io.aquifer.exec.EngineProfiled profiled
        ? profiled.engineProfile()
        : java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty());
  }

  @Override
  public VectorSchemaRoot root() {
    try {
      return reader.getVectorSchemaRoot();
    } catch (IOException e) {
      throw GatewayErrors.translate(e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      // Closing after a failure or cancel; nothing more to tell the client.
    } finally {
      onClose.run();
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof IOException || t.getClass() == RuntimeException.class)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
