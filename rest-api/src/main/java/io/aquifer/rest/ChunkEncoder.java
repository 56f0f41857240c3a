package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Turns a stored result chunk (Arrow IPC: schema and one batch) into a Databricks chunk: rows of
 * strings for JSON_ARRAY, RFC 4180 text for CSV, or Arrow IPC for ARROW_STREAM. Each takes the rows
 * {@code [from, to)} of the chunk, so {@code row_limit} can cut the last one short.
 */
final class ChunkEncoder {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

  private final BufferAllocator allocator;

  ChunkEncoder(BufferAllocator allocator) {
    this.allocator = requireNonNull(allocator, "allocator");
  }

  /** JSON_ARRAY: every value as a string (or null), as Databricks sends them. */
  List<List<String>> jsonRows(byte[] arrowIpc, int from, int to) {
    List<List<String>> rows = new ArrayList<>();
    read(
        arrowIpc,
        root -> {
          for (int r = from; r < Math.min(to, root.getRowCount()); r++) {
            List<String> row = new ArrayList<>(root.getFieldVectors().size());
            for (FieldVector v : root.getFieldVectors()) {
              row.add(text(v, r));
            }
            rows.add(row);
          }
        });
    return rows;
  }

  /**
   * What {@code byte_limit} counts: element {@code n} is the size of the chunk's first {@code n}
   * rows in Arrow's in-memory representation (the value, offset and validity buffers they fill),
   * for {@code n} from 0 to the chunk's row count.
   */
  long[] dataBytes(byte[] arrowIpc) {
    java.util.stream.LongStream.Builder sizes = java.util.stream.LongStream.builder().add(0);
    long[] total = {0}; // the size of every row of the batches before
    read(
        arrowIpc,
        root -> {
          long size = 0;
          for (int n = 1; n <= root.getRowCount(); n++) {
            size = 0;
            for (FieldVector v : root.getFieldVectors()) {
              size += v.getBufferSizeFor(n);
            }
            sizes.add(total[0] + size);
          }
          total[0] += size;
        });
    return sizes.build().toArray();
  }

  /** CSV with a header line, values as in JSON_ARRAY, nulls as empty fields. */
  byte[] csv(byte[] arrowIpc, int from, int to) {
    StringBuilder out = new StringBuilder();
    read(
        arrowIpc,
        root -> {
          List<FieldVector> vectors = root.getFieldVectors();
          for (int c = 0; c < vectors.size(); c++) {
            out.append(c == 0 ? "" : ",").append(csvField(vectors.get(c).getName()));
          }
          out.append("\r\n");
          for (int r = from; r < Math.min(to, root.getRowCount()); r++) {
            for (int c = 0; c < vectors.size(); c++) {
              String value = text(vectors.get(c), r);
              out.append(c == 0 ? "" : ",").append(value == null ? "" : csvField(value));
            }
            out.append("\r\n");
          }
        });
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** ARROW_STREAM: the stored chunk as is, or re-written with only rows {@code [from, to)}. */
  byte[] arrow(byte[] arrowIpc, int from, int to, long chunkRows) {
    if (from == 0 && to >= chunkRows) {
      return arrowIpc;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    read(
        arrowIpc,
        root -> {
          int end = Math.min(to, root.getRowCount());
          try (VectorSchemaRoot slice = root.slice(from, Math.max(0, end - from));
              ArrowStreamWriter writer = new ArrowStreamWriter(slice, null, out)) {
            writer.start();
            writer.writeBatch();
            writer.end();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return out.toByteArray();
  }

  private interface BatchConsumer {
    void accept(VectorSchemaRoot root);
  }

  private void read(byte[] arrowIpc, BatchConsumer consumer) {
    try (ArrowStreamReader reader =
        new ArrowStreamReader(new ByteArrayInputStream(arrowIpc), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        consumer.accept(root);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a stored result chunk", e);
    }
  }

  static String text(FieldVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    if (v instanceof BitVector b) {
      return b.get(row) == 1 ? "true" : "false";
    }
    if (v instanceof DecimalVector d) {
      BigDecimal value = d.getObject(row);
      return value.toPlainString();
    }
    if (v instanceof DateDayVector d) {
      return LocalDate.ofEpochDay(d.get(row)).toString();
    }
    if (v instanceof DateMilliVector d) {
      return LocalDate.ofEpochDay(Math.floorDiv(d.get(row), 86_400_000L)).toString();
    }
    if (v instanceof TimeStampVector t) {
      ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
      Instant instant = instant(t.get(row), type);
      LocalDateTime local = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
      return TIMESTAMP.format(local) + (type.getTimezone() == null ? "" : "Z");
    }
    if (v instanceof VarBinaryVector b) {
      return Base64.getEncoder().encodeToString(b.get(row));
    }
    Object value = v.getObject(row);
    return value == null ? null : value.toString();
  }

  private static Instant instant(long value, ArrowType.Timestamp type) {
    return switch (type.getUnit()) {
      case SECOND -> Instant.ofEpochSecond(value);
      case MILLISECOND -> Instant.ofEpochMilli(value);
      case MICROSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000L),
              TimeUnit.MICROSECONDS.toNanos(Math.floorMod(value, 1_000_000L)));
      case NANOSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
    };
  }

  private static String csvField(String value) {
    if (value.indexOf(',') < 0
        && value.indexOf('"') < 0
        && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
