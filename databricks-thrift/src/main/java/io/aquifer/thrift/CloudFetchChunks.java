package io.aquifer.thrift;

import io.aquifer.rest.ChunkLinks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The download behind a CloudFetch link: a stored result chunk as one Arrow IPC stream whose schema
 * names each column's SQL type (as the inline Arrow batches' schema does), compressed as one LZ4
 * frame when the client said it can decompress LZ4.
 */
final class CloudFetchChunks {
  /** The link format of plain Arrow IPC. */
  static final String ARROW = "THRIFT_ARROW_STREAM";

  /** The link format of Arrow IPC in an LZ4 frame. */
  static final String ARROW_LZ4 = "THRIFT_ARROW_STREAM_LZ4_FRAME";

  private static final byte[] END_OF_STREAM = {-1, -1, -1, -1, 0, 0, 0, 0};

  private CloudFetchChunks() {}

  static String format(boolean lz4) {
    return lz4 ? ARROW_LZ4 : ARROW;
  }

  static boolean isFormat(String format) {
    return format.equals(ARROW) || format.equals(ARROW_LZ4);
  }

  /** The IPC schema message of a result, with each column's SQL type name. */
  static byte[] schemaMessage(Schema schema) {
    return ArrowBatchCursor.serialize(
        ArrowBatchCursor.withSqlNames(schema, ThriftTypes.columns(schema)));
  }

  /** A stored chunk (Arrow IPC stream) as the download of a link of {@code format}. */
  static ChunkLinks.Download encode(byte[] storedIpc, BufferAllocator allocator, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(storedIpc.length + 1024);
    try (ArrowStreamReader reader =
        new ArrowStreamReader(new ByteArrayInputStream(storedIpc), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      out.write(schemaMessage(root.getSchema()));
      while (reader.loadNextBatch()) {
        out.write(ArrowBatchCursor.serialize(root));
      }
      out.write(END_OF_STREAM);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a stored result chunk", e);
    }
    byte[] bytes = out.toByteArray();
    return format.equals(ARROW_LZ4)
        ? new ChunkLinks.Download("application/octet-stream", ArrowBatchCursor.compress(bytes))
        : new ChunkLinks.Download("application/vnd.apache.arrow.stream", bytes);
  }
}
