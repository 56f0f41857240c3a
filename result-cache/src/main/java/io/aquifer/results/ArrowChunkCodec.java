package io.aquifer.results;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * Arrow record batches to and from chunks: each chunk is a self-contained Arrow IPC stream (schema
 * and one batch), so any chunk can be read on its own, from any offset.
 */
public final class ArrowChunkCodec {
  private ArrowChunkCodec() {}

  /** An encoded piece of a batch. */
  public record EncodedChunk(long rowCount, byte[] arrowIpc) {}

  /**
   * Encodes a batch as one or more chunks of about {@code targetBytes} each (cut by rows; a single
   * row larger than the target makes a larger chunk).
   */
  public static List<EncodedChunk> encode(VectorSchemaRoot batch, long targetBytes) {
    int rows = batch.getRowCount();
    long size = bufferBytes(batch);
    int pieces =
        size <= targetBytes || rows <= 1 ? 1 : (int) Math.min(rows, ceil(size, targetBytes));
    List<EncodedChunk> chunks = new ArrayList<>(pieces);
    if (pieces == 1) {
      chunks.add(new EncodedChunk(rows, write(batch)));
      return chunks;
    }
    int rowsPerPiece = (int) ceil(rows, pieces);
    for (int start = 0; start < rows; start += rowsPerPiece) {
      int length = Math.min(rowsPerPiece, rows - start);
      try (VectorSchemaRoot slice = batch.slice(start, length)) {
        chunks.add(new EncodedChunk(length, write(slice)));
      }
    }
    return chunks;
  }

  /**
   * Decodes a chunk. The caller owns the reader: its {@link
   * ArrowStreamReader#getVectorSchemaRoot()} holds the batch, loaded already, until the reader is
   * closed.
   */
  public static ArrowStreamReader decode(byte[] arrowIpc, BufferAllocator allocator) {
    ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(arrowIpc), allocator);
    try {
      if (!reader.loadNextBatch()) {
        reader.getVectorSchemaRoot().setRowCount(0);
      }
      return reader;
    } catch (IOException | RuntimeException e) {
      try {
        reader.close();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new ResultStoreException(
          ResultStoreErrorCode.RESULT_STORE_IO_ERROR, "a stored chunk cannot be decoded: " + e, e);
    }
  }

  private static byte[] write(VectorSchemaRoot root) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(bufferBytes(root) + 1024, 1 << 30));
    try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
      writer.start();
      writer.writeBatch();
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static long bufferBytes(VectorSchemaRoot root) {
    long total = 0;
    for (FieldVector v : root.getFieldVectors()) {
      total += v.getBufferSize();
    }
    return total;
  }

  private static long ceil(long a, long b) {
    return (a + b - 1) / b;
  }
}
