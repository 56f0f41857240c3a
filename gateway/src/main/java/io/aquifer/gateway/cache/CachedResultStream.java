package io.aquifer.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.execution.GatewayErrors;
import io.aquifer.results.cache.CachedResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** The rows of a cache entry, batch by batch, straight from its Arrow IPC stream. */
public final class CachedResultStream implements ResultStream {
  private final ArrowStreamReader reader;
  private final Schema schema;

  public CachedResultStream(CachedResult entry, BufferAllocator allocator) {
    requireNonNull(entry, "entry");
    this.reader =
        new ArrowStreamReader(
            new ByteArrayInputStream(entry.arrowIpc()), requireNonNull(allocator));
    try {
      this.schema = reader.getVectorSchemaRoot().getSchema();
    } catch (IOException e) {
      close();
      throw GatewayErrors.translate(e);
    }
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public boolean next() {
    try {
      return reader.loadNextBatch();
    } catch (IOException e) {
      throw GatewayErrors.translate(e);
    }
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
  public void close() {
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      // freeing buffers read from memory; nothing a client could act on
    }
  }
}
