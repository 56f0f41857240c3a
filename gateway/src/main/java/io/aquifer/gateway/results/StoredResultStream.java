package io.aquifer.gateway.results;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.execution.GatewayErrors;
import io.aquifer.results.ArrowChunkCodec;
import io.aquifer.results.ResultChunk;
import io.aquifer.results.ResultStoreErrorCode;
import io.aquifer.results.ResultStoreException;
import io.aquifer.results.StoredResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One reader of a stored result, chunk by chunk from the first, waiting for chunks the engine has
 * not produced yet. Many readers may read the same result, each from its own position. Closing a
 * reader frees its batch and nothing else; {@link #close()} may come from another thread while
 * {@link #next()} waits, which then fails.
 */
public final class StoredResultStream implements ResultStream {
  private static final Duration POLL = Duration.ofMillis(200);

  private final StoredResult result;
  private final BufferAllocator allocator;
  private int nextChunk;
  private ArrowStreamReader current;
  private VectorSchemaRoot empty;
  private volatile boolean closed;

  public StoredResultStream(StoredResult result, BufferAllocator allocator) {
    this.result = requireNonNull(result, "result");
    this.allocator = requireNonNull(allocator, "allocator");
  }

  @Override
  public Schema schema() {
    return result.schema();
  }

  @Override
  public boolean next() {
    while (true) {
      if (closed) {
        throw GatewayErrors.canceled(result.id());
      }
      Optional<ResultChunk> chunk;
      try {
        if (result.isComplete() && nextChunk >= result.chunkCount()) {
          return false;
        }
        chunk = result.chunk(nextChunk, POLL);
      } catch (ResultStoreException e) {
        if (e.code() == ResultStoreErrorCode.CHUNK_OUT_OF_RANGE && result.isComplete()) {
          return false; // completed between the check and the read
        }
        throw GatewayErrors.translate(e);
      } catch (RuntimeException e) {
        throw GatewayErrors.translate(e);
      }
      if (chunk.isPresent()) {
        load(chunk.get());
        nextChunk++;
        return true;
      }
    }
  }

  private synchronized void load(ResultChunk chunk) {
    if (closed) {
      throw GatewayErrors.canceled(result.id());
    }
    closeCurrent();
    current = ArrowChunkCodec.decode(chunk.arrowIpc(), allocator);
  }

  @Override
  public synchronized VectorSchemaRoot root() {
    try {
      if (current != null) {
        return current.getVectorSchemaRoot();
      }
    } catch (IOException e) {
      throw GatewayErrors.translate(e);
    }
    if (empty == null) {
      empty = VectorSchemaRoot.create(result.schema(), allocator);
    }
    return empty;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      closeCurrent();
      if (empty != null) {
        empty.close();
        empty = null;
      }
    }
  }

  private void closeCurrent() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException | RuntimeException e) {
        // Freeing a decoded batch; nothing a client could act on.
      }
      current = null;
    }
  }
}
