package io.aquifer.exec.node;

import io.aquifer.exec.ExecException;
import java.io.IOException;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A node's query result as an {@link ArrowReader}, so the gateway treats a remote node like a
 * local engine. Batches are pulled from the Flight stream one at a time (gRPC flow control keeps
 * only a few in flight); Flight errors become {@link ExecException}s. Closing it before the end
 * cancels the call, which cancels the query on the node.
 */
final class FlightQueryReader extends ArrowReader {
  private final FlightStream stream;
  private final String node;
  private long bytesRead;

  FlightQueryReader(BufferAllocator allocator, FlightStream stream, String node) {
    super(allocator);
    this.stream = stream;
    this.node = node;
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() {
    try {
      return stream.getRoot();
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  @Override
  public boolean loadNextBatch() {
    try {
      boolean loaded = stream.next();
      if (loaded) {
        bytesRead += stream.getRoot().getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum();
      }
      return loaded;
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  /** Arrow bytes received so far. */
  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected Schema readSchema() {
    return getVectorSchemaRoot().getSchema();
  }

  @Override
  public Dictionary lookup(long id) {
    return stream.getDictionaryProvider().lookup(id);
  }

  @Override
  public java.util.Set<Long> getDictionaryIds() {
    return stream.getDictionaryProvider().getDictionaryIds();
  }

  @Override
  protected void closeReadSource() throws IOException {
    try {
      stream.close();
    } catch (FlightRuntimeException e) {
      // the call ended with an error after we stopped reading: nothing left to release
    } catch (Exception e) {
      throw new IOException("Closing the result stream of node " + node + " failed", e);
    }
  }
}
