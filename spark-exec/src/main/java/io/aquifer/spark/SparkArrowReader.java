package io.aquifer.spark;

import io.aquifer.exec.ExecException;
import java.io.IOException;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.sql.util.CloseableIterator;

/**
 * The result of a fragment on Spark as an {@link ArrowReader}: Spark Connect answers with a stream
 * of responses, some holding an Arrow IPC stream of one or more record batches. Each batch is
 * loaded into this reader's root as it is pulled; Spark always sends at least one (possibly empty)
 * batch, which carries the schema.
 */
final class SparkArrowReader extends ArrowReader {
  private final CloseableIterator<ExecutePlanResponse> responses;
  private final Function<Exception, ExecException> errors;
  private final Runnable onClose;
  private ArrowStreamReader chunk;
  private long bytesRead;

  SparkArrowReader(
      BufferAllocator allocator,
      CloseableIterator<ExecutePlanResponse> responses,
      Function<Exception, ExecException> errors,
      Runnable onClose) {
    super(allocator);
    this.responses = responses;
    this.errors = errors;
    this.onClose = onClose;
  }

  @Override
  protected Schema readSchema() throws IOException {
    chunk = nextChunk();
    if (chunk == null) {
      throw new ExecException(
          io.aquifer.exec.ExecErrorCode.ENGINE_ERROR, "Spark returned no result schema");
    }
    return chunk.getVectorSchemaRoot().getSchema();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    while (chunk != null) {
      if (chunk.loadNextBatch()) {
        VectorUnloader unloader = new VectorUnloader(chunk.getVectorSchemaRoot());
        try (ArrowRecordBatch batch = unloader.getRecordBatch()) {
          new VectorLoader(getVectorSchemaRoot()).load(batch);
        }
        return true;
      }
      chunk.close();
      chunk = nextChunk();
    }
    return false;
  }

  /** Reads responses up to the next one holding Arrow data; null at the end. */
  private ArrowStreamReader nextChunk() {
    try {
      while (responses.hasNext()) {
        ExecutePlanResponse r = responses.next();
        if (r.hasArrowBatch()) {
          byte[] data = r.getArrowBatch().getData().toByteArray();
          bytesRead += data.length;
          return new ArrowStreamReader(new java.io.ByteArrayInputStream(data), allocator);
        }
      }
      return null;
    } catch (ExecException e) {
      throw e;
    } catch (Exception e) { // Scala code may throw checked exceptions undeclared
      throw errors.apply(e);
    }
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected void closeReadSource() throws IOException {
    try {
      if (chunk != null) {
        chunk.close();
        chunk = null;
      }
    } finally {
      onClose.run();
    }
  }
}
