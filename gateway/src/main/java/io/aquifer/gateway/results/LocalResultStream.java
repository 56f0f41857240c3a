package io.aquifer.gateway.results;

import io.aquifer.gateway.ResultStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A small result the gateway answers itself (SHOW, DESCRIBE, EXPLAIN): one Arrow batch built from
 * rows of strings, longs, ints, booleans and instants.
 */
public final class LocalResultStream implements ResultStream {
  private final VectorSchemaRoot root;
  private boolean delivered;

  private LocalResultStream(VectorSchemaRoot root) {
    this.root = root;
  }

  public static Field stringField(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
  }

  public static Field longField(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Int(64, true)), null);
  }

  public static Field intField(String name) {
    return new Field(name, FieldType.nullable(new ArrowType.Int(32, true)), null);
  }

  public static Field booleanField(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Bool.INSTANCE), null);
  }

  public static Field timestampField(String name) {
    return new Field(
        name, FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null);
  }

  public static LocalResultStream of(
      BufferAllocator allocator, List<Field> fields, List<List<Object>> rows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
    try {
      root.allocateNew();
      for (int r = 0; r < rows.size(); r++) {
        List<Object> row = rows.get(r);
        for (int c = 0; c < fields.size(); c++) {
          set(root.getVector(c), r, row.get(c));
        }
      }
      root.setRowCount(rows.size());
      return new LocalResultStream(root);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static void set(FieldVector vector, int index, Object value) {
    if (value == null) {
      vector.setNull(index);
      return;
    }
    if (vector instanceof VarCharVector v) {
      v.setSafe(index, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (vector instanceof BigIntVector v) {
      v.setSafe(index, ((Number) value).longValue());
    } else if (vector instanceof IntVector v) {
      v.setSafe(index, ((Number) value).intValue());
    } else if (vector instanceof BitVector v) {
      v.setSafe(index, ((Boolean) value) ? 1 : 0);
    } else if (vector instanceof TimeStampMicroTZVector v) {
      Instant i = (Instant) value;
      v.setSafe(index, i.getEpochSecond() * 1_000_000L + i.getNano() / 1000);
    } else {
      throw new IllegalArgumentException("unsupported local result vector " + vector.getField());
    }
  }

  /** Convenience for one column of strings. */
  public static List<List<Object>> column(List<String> values) {
    List<List<Object>> rows = new ArrayList<>();
    for (String v : values) {
      List<Object> row = new ArrayList<>(1);
      row.add(v);
      rows.add(row);
    }
    return rows;
  }

  @Override
  public Schema schema() {
    return root.getSchema();
  }

  @Override
  public boolean next() {
    if (delivered) {
      return false;
    }
    delivered = true;
    return true;
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public void close() {
    root.close();
  }
}
