package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Databricks chunks of a finished result: one per stored chunk, cut at {@code row_limit} and
 * {@code byte_limit}. A statement without rows (DML, DDL) has one synthetic chunk with the column
 * {@code num_affected_rows}, as Databricks answers.
 *
 * @param updateChunk the Arrow IPC of the synthetic chunk, for statements without rows
 */
record ResultLayout(
    Schema schema,
    List<Chunk> chunks,
    long totalRows,
    long totalBytes,
    boolean truncated,
    Optional<byte[]> updateChunk) {

  /**
   * @param index Databricks chunk index (= stored chunk index)
   * @param rowOffset first row of the chunk in the result
   * @param rowCount rows of the chunk handed out
   * @param storedRows rows of the stored chunk (more than rowCount when row_limit cut it)
   * @param byteCount size of the stored chunk (Arrow IPC)
   */
  record Chunk(int index, long rowOffset, long rowCount, long storedRows, long byteCount) {}

  ResultLayout {
    requireNonNull(schema, "schema");
    chunks = List.copyOf(chunks);
    requireNonNull(updateChunk, "updateChunk");
  }

  /**
   * Sizes of a stored chunk.
   *
   * @param rows its rows
   * @param bytes its size (Arrow IPC)
   * @param dataBytes element {@code n}: the size of its first {@code n} rows as {@code byte_limit}
   *     counts them (see {@link ChunkEncoder#dataBytes}); asked for only under a byte_limit
   */
  record StoredChunkSize(long rows, long bytes, Supplier<long[]> dataBytes) {
    StoredChunkSize {
      requireNonNull(dataBytes, "dataBytes");
    }
  }

  /**
   * The chunks of a result under {@code row_limit} and {@code byte_limit}. As in Databricks, the
   * result ends at the first row that would go past a limit (the rest of its chunk and all later
   * chunks are left out) and is then {@code truncated}; {@code byte_limit} counts the rows' data
   * (so, a limit smaller than the first row leaves no rows). A chunk cut by {@code byte_limit}
   * reports the bytes of the rows it keeps.
   */
  static ResultLayout ofRows(Schema schema, List<StoredChunkSize> stored, StatementOptions o) {
    long rowLimit = o.rowLimit().orElse(Long.MAX_VALUE);
    List<Chunk> chunks = new ArrayList<>();
    long rows = 0;
    long bytes = 0;
    long dataBytes = 0;
    boolean truncated = false;
    for (int i = 0; i < stored.size(); i++) {
      StoredChunkSize s = stored.get(i);
      if (rows >= rowLimit) {
        truncated = true;
        break;
      }
      long take = Math.min(s.rows(), rowLimit - rows);
      long byteCount = s.bytes();
      if (o.byteLimit().isPresent()) {
        long[] prefix = s.dataBytes().get();
        long room = o.byteLimit().getAsLong() - dataBytes;
        if (prefix[(int) take] > room) {
          int fit = 0;
          while (fit < take && prefix[fit + 1] <= room) {
            fit++;
          }
          if (fit > 0) {
            chunks.add(new Chunk(i, rows, fit, s.rows(), prefix[fit]));
            rows += fit;
            bytes += prefix[fit];
          }
          truncated = true;
          break;
        }
        dataBytes += prefix[(int) take];
      }
      if (take < s.rows()) {
        truncated = true;
      }
      chunks.add(new Chunk(i, rows, take, s.rows(), byteCount));
      rows += take;
      bytes += byteCount;
    }
    return new ResultLayout(schema, chunks, rows, bytes, truncated, Optional.empty());
  }

  static ResultLayout ofUpdateCount(long count, BufferAllocator allocator) {
    Schema schema =
        new Schema(
            List.of(
                new Field(
                    "num_affected_rows", FieldType.nullable(new ArrowType.Int(64, true)), null)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
      BigIntVector v = (BigIntVector) root.getVector(0);
      v.allocateNew(1);
      v.set(0, count);
      root.setRowCount(1);
      writer.start();
      writer.writeBatch();
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = out.toByteArray();
    return new ResultLayout(
        schema,
        List.of(new Chunk(0, 0, 1, 1, bytes.length)),
        1,
        bytes.length,
        false,
        Optional.of(bytes));
  }

  Optional<Chunk> chunk(int index) {
    return index >= 0 && index < chunks.size() ? Optional.of(chunks.get(index)) : Optional.empty();
  }
}
