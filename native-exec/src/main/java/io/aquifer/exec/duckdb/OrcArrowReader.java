package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TinyIntVector;
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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DecimalColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ListColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.MapColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.StructColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.TimestampColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.UnionColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;
import org.apache.orc.TypeDescription;

/**
 * The rows of one ORC file as Arrow batches, typed as Databricks reads ORC: boolean BOOLEAN,
 * tinyint TINYINT, smallint SMALLINT, int INT, bigint BIGINT, float FLOAT, double DOUBLE, string,
 * char and varchar STRING, binary BINARY, decimal(p,s) DECIMAL(p,s), date DATE, timestamp and
 * timestamp with local time zone TIMESTAMP (values read as UTC), list ARRAY, map MAP, struct
 * STRUCT, uniontype a STRUCT of {@code member0}, {@code member1}, ...
 */
final class OrcArrowReader extends ArrowReader {
  private static final Configuration CONFIGURATION = new Configuration(false);

  private final String fileName;
  private final Reader reader;
  private final TypeDescription orcSchema;
  private final Schema arrowSchema;
  private final boolean schemaOnly;
  private RecordReader rows;
  private VectorizedRowBatch batch;
  private long rowsRead;

  /**
   * Opens the file, failing with DATA_FILE_CORRUPT naming {@code fileName} when it is no ORC file;
   * {@code schemaOnly}: no rows, only the columns (for schema inference).
   */
  OrcArrowReader(BufferAllocator allocator, File file, String fileName, boolean schemaOnly) {
    super(allocator);
    this.fileName = fileName;
    this.schemaOnly = schemaOnly;
    try {
      FileSystem local = FileSystem.getLocal(CONFIGURATION).getRaw();
      this.reader =
          OrcFile.createReader(
              new org.apache.hadoop.fs.Path(file.toURI()),
              OrcFile.readerOptions(CONFIGURATION).filesystem(local).useUTCTimestamp(true));
    } catch (IOException | RuntimeException e) {
      throw corrupt(fileName, e);
    }
    this.orcSchema = reader.getSchema();
    if (orcSchema.getCategory() != TypeDescription.Category.STRUCT) {
      closeQuietly();
      throw new ExecException(
          ExecErrorCode.DATA_FILE_CORRUPT,
          "Cannot read the ORC file "
              + fileName
              + ": its schema is a "
              + orcSchema.getCategory()
              + ", not a struct");
    }
    List<Field> fields = new ArrayList<>();
    List<String> names = orcSchema.getFieldNames();
    for (int i = 0; i < names.size(); i++) {
      fields.add(field(names.get(i), orcSchema.getChildren().get(i)));
    }
    this.arrowSchema = new Schema(fields);
  }

  static ExecException corrupt(String fileName, Throwable cause) {
    return new ExecException(
        ExecErrorCode.DATA_FILE_CORRUPT,
        "Cannot read the ORC file " + fileName + ": " + cause.getMessage(),
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
    // Fresh buffers for every batch: the engine may still hold the previous batch's.
    root.allocateNew();
    if (schemaOnly) {
      root.setRowCount(0);
      return false;
    }
    int n;
    try {
      if (rows == null) {
        rows = reader.rows(reader.options());
        batch = orcSchema.createRowBatch();
      }
      if (!rows.nextBatch(batch)) {
        root.setRowCount(0);
        return false;
      }
      n = batch.size;
      for (int c = 0; c < batch.cols.length; c++) {
        FieldVector vector = root.getVector(c);
        TypeDescription type = orcSchema.getChildren().get(c);
        for (int r = 0; r < n; r++) {
          write(vector, r, batch.cols[c], r, type);
        }
        vector.setValueCount(n);
      }
    } catch (IOException | RuntimeException e) {
      throw corrupt(fileName, e);
    }
    root.setRowCount(n);
    rowsRead += n;
    return true;
  }

  @Override
  public long bytesRead() {
    return rowsRead;
  }

  @Override
  protected void closeReadSource() throws IOException {
    try {
      if (rows != null) {
        rows.close();
      }
    } finally {
      reader.close();
    }
  }

  private void closeQuietly() {
    try {
      reader.close();
    } catch (IOException ignored) {
      // the file is not read further; the error that led here is the one reported
    }
  }

  /** The Arrow field Databricks' ORC type mapping gives an ORC type. */
  static Field field(String name, TypeDescription type) {
    return switch (type.getCategory()) {
      case BOOLEAN -> leaf(name, ArrowType.Bool.INSTANCE);
      case BYTE -> leaf(name, new ArrowType.Int(8, true));
      case SHORT -> leaf(name, new ArrowType.Int(16, true));
      case INT -> leaf(name, new ArrowType.Int(32, true));
      case LONG -> leaf(name, new ArrowType.Int(64, true));
      case FLOAT -> leaf(name, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
      case DOUBLE -> leaf(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
      case STRING, CHAR, VARCHAR -> leaf(name, ArrowType.Utf8.INSTANCE);
      case BINARY -> leaf(name, ArrowType.Binary.INSTANCE);
      case DECIMAL -> leaf(name, new ArrowType.Decimal(type.getPrecision(), type.getScale(), 128));
      case DATE -> leaf(name, new ArrowType.Date(DateUnit.DAY));
      case TIMESTAMP, TIMESTAMP_INSTANT ->
          leaf(name, new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
      case LIST ->
          new Field(
              name,
              FieldType.nullable(ArrowType.List.INSTANCE),
              List.of(field("element", type.getChildren().get(0))));
      case MAP ->
          new Field(
              name,
              FieldType.nullable(new ArrowType.Map(false)),
              List.of(
                  new Field(
                      "entries",
                      FieldType.notNullable(ArrowType.Struct.INSTANCE),
                      List.of(
                          notNull(field("key", type.getChildren().get(0))),
                          field("value", type.getChildren().get(1))))));
      case STRUCT -> {
        List<Field> children = new ArrayList<>();
        for (int i = 0; i < type.getFieldNames().size(); i++) {
          children.add(field(type.getFieldNames().get(i), type.getChildren().get(i)));
        }
        yield new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
      }
      case UNION -> {
        List<Field> members = new ArrayList<>();
        for (int i = 0; i < type.getChildren().size(); i++) {
          members.add(field("member" + i, type.getChildren().get(i)));
        }
        yield new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), members);
      }
      default ->
          throw new ExecException(
              ExecErrorCode.NOT_SUPPORTED,
              "ORC type " + type + " of column " + name + " is not supported");
    };
  }

  private static Field leaf(String name, ArrowType type) {
    return new Field(name, FieldType.nullable(type), null);
  }

  private static Field notNull(Field f) {
    return new Field(
        f.getName(), FieldType.notNullable(f.getFieldType().getType()), f.getChildren());
  }

  /** Writes row {@code row} of the ORC vector into row {@code index} of the Arrow vector. */
  private static void write(
      FieldVector vector, int index, ColumnVector orc, int row, TypeDescription type) {
    int r = orc.isRepeating ? 0 : row;
    if (!orc.noNulls && orc.isNull[r]) {
      setNull(vector, index);
      return;
    }
    if (vector instanceof BitVector v) {
      v.setSafe(index, ((LongColumnVector) orc).vector[r] != 0 ? 1 : 0);
    } else if (vector instanceof TinyIntVector v) {
      v.setSafe(index, (byte) ((LongColumnVector) orc).vector[r]);
    } else if (vector instanceof SmallIntVector v) {
      v.setSafe(index, (short) ((LongColumnVector) orc).vector[r]);
    } else if (vector instanceof IntVector v) {
      v.setSafe(index, (int) ((LongColumnVector) orc).vector[r]);
    } else if (vector instanceof BigIntVector v) {
      v.setSafe(index, ((LongColumnVector) orc).vector[r]);
    } else if (vector instanceof DateDayVector v) {
      v.setSafe(index, (int) ((LongColumnVector) orc).vector[r]);
    } else if (vector instanceof Float4Vector v) {
      v.setSafe(index, (float) ((DoubleColumnVector) orc).vector[r]);
    } else if (vector instanceof Float8Vector v) {
      v.setSafe(index, ((DoubleColumnVector) orc).vector[r]);
    } else if (vector instanceof TimeStampMicroTZVector v) {
      TimestampColumnVector t = (TimestampColumnVector) orc;
      long micros =
          Math.addExact(
              Math.multiplyExact(Math.floorDiv(t.time[r], 1000L), 1_000_000L), t.nanos[r] / 1000);
      v.setSafe(index, micros);
    } else if (vector instanceof DecimalVector v) {
      BigDecimal value =
          ((DecimalColumnVector) orc)
              .vector[r]
              .getHiveDecimal()
              .bigDecimalValue()
              .setScale(v.getScale(), RoundingMode.HALF_UP);
      v.setSafe(index, value);
    } else if (vector instanceof VarCharVector v) {
      BytesColumnVector b = (BytesColumnVector) orc;
      v.setSafe(index, b.vector[r], b.start[r], b.length[r]);
    } else if (vector instanceof VarBinaryVector v) {
      BytesColumnVector b = (BytesColumnVector) orc;
      v.setSafe(index, b.vector[r], b.start[r], b.length[r]);
    } else if (vector instanceof MapVector v) {
      MapColumnVector m = (MapColumnVector) orc;
      int offset = (int) m.offsets[r];
      int length = (int) m.lengths[r];
      int start = v.startNewValue(index);
      StructVector entries = (StructVector) v.getDataVector();
      FieldVector keys = (FieldVector) entries.getChildByOrdinal(0);
      FieldVector values = (FieldVector) entries.getChildByOrdinal(1);
      for (int k = 0; k < length; k++) {
        entries.setIndexDefined(start + k);
        write(keys, start + k, m.keys, offset + k, type.getChildren().get(0));
        write(values, start + k, m.values, offset + k, type.getChildren().get(1));
      }
      v.endValue(index, length);
    } else if (vector instanceof ListVector v) {
      ListColumnVector l = (ListColumnVector) orc;
      int offset = (int) l.offsets[r];
      int length = (int) l.lengths[r];
      int start = v.startNewValue(index);
      FieldVector element = v.getDataVector();
      for (int k = 0; k < length; k++) {
        write(element, start + k, l.child, offset + k, type.getChildren().get(0));
      }
      v.endValue(index, length);
    } else if (vector instanceof StructVector v && orc instanceof UnionColumnVector u) {
      v.setIndexDefined(index);
      int tag = u.tags[r];
      for (int i = 0; i < u.fields.length; i++) {
        FieldVector child = (FieldVector) v.getChildByOrdinal(i);
        if (i == tag) {
          write(child, index, u.fields[i], r, type.getChildren().get(i));
        } else {
          setNull(child, index);
        }
      }
    } else if (vector instanceof StructVector v) {
      StructColumnVector s = (StructColumnVector) orc;
      v.setIndexDefined(index);
      for (int i = 0; i < s.fields.length; i++) {
        write(
            (FieldVector) v.getChildByOrdinal(i), index, s.fields[i], r, type.getChildren().get(i));
      }
    } else {
      throw new ExecException(
          ExecErrorCode.NOT_SUPPORTED, "ORC value of type " + type + " is not supported");
    }
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
