package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * The rows of one Avro data file as Arrow batches, typed as Databricks reads Avro: int INT, long
 * BIGINT, float FLOAT, double DOUBLE, boolean BOOLEAN, string and enum STRING, bytes and fixed
 * BINARY, record STRUCT, array ARRAY, map MAP with STRING keys, a union of null and one type that
 * type (nullable), int and long LONG, float and double DOUBLE, other unions a STRUCT of {@code
 * member0}, {@code member1}, ...; logical types date DATE, timestamp-millis and -micros TIMESTAMP,
 * local-timestamp-millis and -micros TIMESTAMP_NTZ, decimal DECIMAL(p, s).
 */
final class AvroArrowReader extends ArrowReader {
  private static final int BATCH_ROWS = 4096;

  private final String fileName;
  private final DataFileReader<GenericRecord> reader;
  private final org.apache.avro.Schema avroSchema;
  private final Schema arrowSchema;
  private final boolean schemaOnly;
  private long rowsRead;

  /**
   * Opens the file, failing with DATA_FILE_CORRUPT naming {@code fileName} when it is no Avro;
   * {@code schemaOnly}: no rows, only the columns (for schema inference).
   */
  AvroArrowReader(BufferAllocator allocator, File file, String fileName, boolean schemaOnly) {
    super(allocator);
    this.fileName = fileName;
    this.schemaOnly = schemaOnly;
    try {
      this.reader = new DataFileReader<>(file, new GenericDatumReader<>());
    } catch (IOException | RuntimeException e) {
      throw corrupt(fileName, e);
    }
    this.avroSchema = reader.getSchema();
    if (avroSchema.getType() != org.apache.avro.Schema.Type.RECORD) {
      closeQuietly();
      throw new ExecException(
          ExecErrorCode.DATA_FILE_CORRUPT,
          "Cannot read the Avro file "
              + fileName
              + ": its schema is a "
              + avroSchema.getType()
              + ", not a record");
    }
    List<Field> fields = new ArrayList<>();
    for (org.apache.avro.Schema.Field f : avroSchema.getFields()) {
      fields.add(field(f.name(), f.schema()));
    }
    this.arrowSchema = new Schema(fields);
  }

  static ExecException corrupt(String fileName, Throwable cause) {
    return new ExecException(
        ExecErrorCode.DATA_FILE_CORRUPT,
        "Cannot read the Avro file " + fileName + ": " + cause.getMessage(),
        cause);
  }

  @Override
  protected Schema readSchema() {
    return arrowSchema;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    VectorSchemaRoot root = getVectorSchemaRoot();
    // Fresh buffers for every batch: the engine may still be reading the previous batch's.
    root.allocateNew();
    int n = 0;
    try {
      GenericRecord record = null;
      while (!schemaOnly && n < BATCH_ROWS && reader.hasNext()) {
        record = reader.next(record);
        List<org.apache.avro.Schema.Field> fields = avroSchema.getFields();
        for (int i = 0; i < fields.size(); i++) {
          write(root.getVector(i), n, record.get(i), fields.get(i).schema());
        }
        n++;
      }
    } catch (RuntimeException e) {
      throw corrupt(fileName, e);
    }
    root.setRowCount(n);
    rowsRead += n;
    return n > 0;
  }

  @Override
  public long bytesRead() {
    return rowsRead;
  }

  @Override
  protected void closeReadSource() throws IOException {
    reader.close();
  }

  private void closeQuietly() {
    try {
      reader.close();
    } catch (IOException ignored) {
      // the file is not read further; the error that led here is the one reported
    }
  }

  /** The Arrow field Databricks' Avro type mapping gives an Avro schema. */
  static Field field(String name, org.apache.avro.Schema schema) {
    org.apache.avro.Schema s = nonNull(schema);
    if (s.getType() == org.apache.avro.Schema.Type.UNION) {
      List<Field> members = new ArrayList<>();
      int i = 0;
      for (org.apache.avro.Schema m : s.getTypes()) {
        if (m.getType() != org.apache.avro.Schema.Type.NULL) {
          members.add(field("member" + i++, m));
        }
      }
      return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), members);
    }
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal d) {
      return leaf(name, new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128));
    }
    if (logical instanceof LogicalTypes.Date) {
      return leaf(name, new ArrowType.Date(DateUnit.DAY));
    }
    if (logical instanceof LogicalTypes.TimestampMillis
        || logical instanceof LogicalTypes.TimestampMicros) {
      return leaf(name, new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis
        || logical instanceof LogicalTypes.LocalTimestampMicros) {
      return leaf(name, new ArrowType.Timestamp(TimeUnit.MICROSECOND, null));
    }
    return switch (s.getType()) {
      case BOOLEAN -> leaf(name, ArrowType.Bool.INSTANCE);
      case INT -> leaf(name, new ArrowType.Int(32, true));
      case LONG -> leaf(name, new ArrowType.Int(64, true));
      case FLOAT -> leaf(name, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
      case DOUBLE -> leaf(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
      case STRING, ENUM -> leaf(name, ArrowType.Utf8.INSTANCE);
      case BYTES, FIXED -> leaf(name, ArrowType.Binary.INSTANCE);
      case RECORD -> {
        List<Field> children = new ArrayList<>();
        for (org.apache.avro.Schema.Field f : s.getFields()) {
          children.add(field(f.name(), f.schema()));
        }
        yield new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
      }
      case ARRAY ->
          new Field(
              name,
              FieldType.nullable(ArrowType.List.INSTANCE),
              List.of(field("element", s.getElementType())));
      case MAP ->
          new Field(
              name,
              FieldType.nullable(new ArrowType.Map(false)),
              List.of(
                  new Field(
                      "entries",
                      FieldType.notNullable(ArrowType.Struct.INSTANCE),
                      List.of(
                          new Field("key", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                          field("value", s.getValueType())))));
      case NULL -> leaf(name, ArrowType.Utf8.INSTANCE);
      default ->
          throw new ExecException(
              ExecErrorCode.NOT_SUPPORTED, "Avro type " + s.getType() + " is not supported");
    };
  }

  private static Field leaf(String name, ArrowType type) {
    return new Field(name, FieldType.nullable(type), null);
  }

  /**
   * The schema a value has: a union of null and one type is that type; int and long widen to long,
   * float and double to double; other unions stay unions.
   */
  private static org.apache.avro.Schema nonNull(org.apache.avro.Schema schema) {
    if (schema.getType() != org.apache.avro.Schema.Type.UNION) {
      return schema;
    }
    List<org.apache.avro.Schema> types =
        schema.getTypes().stream()
            .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
            .toList();
    if (types.size() == 1) {
      return types.get(0);
    }
    if (types.size() == 2) {
      java.util.Set<org.apache.avro.Schema.Type> kinds =
          java.util.EnumSet.of(types.get(0).getType(), types.get(1).getType());
      if (kinds.equals(
          java.util.EnumSet.of(
              org.apache.avro.Schema.Type.INT, org.apache.avro.Schema.Type.LONG))) {
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
      }
      if (kinds.equals(
          java.util.EnumSet.of(
              org.apache.avro.Schema.Type.FLOAT, org.apache.avro.Schema.Type.DOUBLE))) {
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
      }
    }
    return schema;
  }

  private static void write(
      FieldVector vector, int index, Object value, org.apache.avro.Schema schema) {
    if (value == null) {
      setNull(vector, index);
      return;
    }
    org.apache.avro.Schema s = nonNull(schema);
    if (s.getType() == org.apache.avro.Schema.Type.UNION) {
      StructVector struct = (StructVector) vector;
      struct.setIndexDefined(index);
      int branch = org.apache.avro.generic.GenericData.get().resolveUnion(s, value);
      int member = 0;
      for (int i = 0; i < s.getTypes().size(); i++) {
        org.apache.avro.Schema m = s.getTypes().get(i);
        if (m.getType() == org.apache.avro.Schema.Type.NULL) {
          continue;
        }
        FieldVector child = (FieldVector) struct.getChildByOrdinal(member++);
        write(child, index, i == branch ? value : null, m);
      }
      return;
    }
    LogicalType logical = s.getLogicalType();
    if (vector instanceof BitVector v) {
      v.setSafe(index, (Boolean) value ? 1 : 0);
    } else if (vector instanceof IntVector v) {
      v.setSafe(index, (Integer) value);
    } else if (vector instanceof BigIntVector v) {
      v.setSafe(index, ((Number) value).longValue());
    } else if (vector instanceof Float4Vector v) {
      v.setSafe(index, (Float) value);
    } else if (vector instanceof Float8Vector v) {
      v.setSafe(index, ((Number) value).doubleValue());
    } else if (vector instanceof DateDayVector v) {
      v.setSafe(index, (Integer) value);
    } else if (vector instanceof TimeStampMicroTZVector v) {
      v.setSafe(index, micros(logical, (Long) value));
    } else if (vector instanceof TimeStampMicroVector v) {
      v.setSafe(index, micros(logical, (Long) value));
    } else if (vector instanceof DecimalVector v) {
      int scale = ((LogicalTypes.Decimal) logical).getScale();
      v.setSafe(index, new BigDecimal(new BigInteger(bytes(value)), scale));
    } else if (vector instanceof VarCharVector v) {
      v.setSafe(index, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (vector instanceof VarBinaryVector v) {
      v.setSafe(index, bytes(value));
    } else if (vector instanceof MapVector v) {
      Map<?, ?> map = (Map<?, ?>) value;
      int start = v.startNewValue(index);
      StructVector entries = (StructVector) v.getDataVector();
      FieldVector keys = (FieldVector) entries.getChildByOrdinal(0);
      FieldVector values = (FieldVector) entries.getChildByOrdinal(1);
      int k = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        entries.setIndexDefined(start + k);
        ((VarCharVector) keys)
            .setSafe(start + k, e.getKey().toString().getBytes(StandardCharsets.UTF_8));
        write(values, start + k, e.getValue(), s.getValueType());
        k++;
      }
      v.endValue(index, k);
    } else if (vector instanceof ListVector v) {
      List<?> list = (List<?>) value;
      int start = v.startNewValue(index);
      FieldVector element = v.getDataVector();
      for (int k = 0; k < list.size(); k++) {
        write(element, start + k, list.get(k), s.getElementType());
      }
      v.endValue(index, list.size());
    } else if (vector instanceof StructVector v) {
      GenericRecord record = (GenericRecord) value;
      v.setIndexDefined(index);
      List<org.apache.avro.Schema.Field> fields = s.getFields();
      for (int i = 0; i < fields.size(); i++) {
        write((FieldVector) v.getChildByOrdinal(i), index, record.get(i), fields.get(i).schema());
      }
    } else {
      throw new ExecException(
          ExecErrorCode.NOT_SUPPORTED, "Avro value of type " + s + " is not supported");
    }
  }

  private static long micros(LogicalType logical, long value) {
    return logical instanceof LogicalTypes.TimestampMillis
            || logical instanceof LogicalTypes.LocalTimestampMillis
        ? Math.multiplyExact(value, 1000L)
        : value;
  }

  private static byte[] bytes(Object value) {
    if (value instanceof GenericFixed fixed) {
      return fixed.bytes();
    }
    ByteBuffer buffer = ((ByteBuffer) value).duplicate();
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b;
  }

  private static void setNull(FieldVector vector, int index) {
    if (vector instanceof org.apache.arrow.vector.BaseFixedWidthVector v) {
      v.setNull(index);
    } else if (vector instanceof org.apache.arrow.vector.BaseVariableWidthVector v) {
      v.setNull(index);
    } else if (vector instanceof ListVector v) {
      v.setNull(index);
    } else if (vector instanceof StructVector v) {
      v.setNull(index);
    } else {
      throw new IllegalStateException("no null for " + vector.getClass());
    }
  }
}
