package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import com.databricks.jdbc.model.client.thrift.generated.TSparkArrowBatch;
import io.aquifer.gateway.ResultStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A statement's rows as Arrow record batches ({@code ARROW_BASED_SET}): the schema travels once in
 * the result metadata ({@code arrowSchema}, an IPC schema message), each page as IPC record batch
 * messages ({@code TSparkArrowBatch}); the client reads schema and batches as one IPC stream. Used
 * for results of primitive columns only, see {@link #supports}.
 */
final class ArrowBatchCursor implements ResultCursor {
  /** Field metadata key the Databricks drivers read a column's SQL type name from. */
  static final String SQL_NAME = "Spark:DataType:SqlName";

  private final ResultStream stream;
  private final List<ResultColumn> columns;
  private final byte[] schema;
  private final boolean lz4;
  private int position;
  private int batchRows;
  private boolean ended;

  /**
   * @param lz4 whether each batch is compressed as one LZ4 frame (the client said it can decompress
   *     them)
   */
  ArrowBatchCursor(ResultStream stream, boolean lz4) {
    this.stream = requireNonNull(stream, "stream");
    this.lz4 = lz4;
    this.columns = ThriftTypes.columns(stream.schema());
    this.schema = serialize(withSqlNames(stream.schema(), columns));
  }

  /**
   * Whether a result can travel as Arrow to a client that reads Arrow with native timestamp and
   * decimal types: every column boolean, integer, floating point, decimal, string, binary, date or
   * timestamp. Others (ARRAY, MAP, STRUCT, intervals) travel column-based, as JSON text.
   */
  static boolean supports(Schema schema, boolean nativeTimestamps, boolean nativeDecimals) {
    for (Field f : schema.getFields()) {
      ArrowType.ArrowTypeID id = f.getType().getTypeID();
      boolean ok =
          switch (id) {
            case Bool, Int, FloatingPoint, Utf8, Binary, Date -> true;
            case Decimal -> nativeDecimals;
            case Timestamp -> nativeTimestamps;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<ResultColumn> columns() {
    return columns;
  }

  @Override
  public Format format() {
    return Format.ARROW;
  }

  @Override
  public boolean lz4Compressed() {
    return lz4;
  }

  @Override
  public byte[] arrowSchema() {
    return schema.clone();
  }

  @Override
  public Page next(int maxRows) {
    List<TSparkArrowBatch> batches = new ArrayList<>();
    int taken = 0;
    while (taken < maxRows && advance()) {
      VectorSchemaRoot root = stream.root();
      int n = Math.min(maxRows - taken, batchRows - position);
      try (VectorSchemaRoot slice =
          position == 0 && n == batchRows ? null : root.slice(position, n)) {
        VectorSchemaRoot source = slice == null ? root : slice;
        byte[] bytes = serialize(source);
        batches.add(new TSparkArrowBatch(ByteBuffer.wrap(lz4 ? compress(bytes) : bytes), n));
      }
      position += n;
      taken += n;
    }
    return new Page(List.of(), taken, advance(), batches);
  }

  private boolean advance() {
    while (!ended && position >= batchRows) {
      if (stream.next()) {
        batchRows = stream.root().getRowCount();
        position = 0;
      } else {
        ended = true;
      }
    }
    return !ended;
  }

  static byte[] compress(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
    try (net.jpountz.lz4.LZ4FrameOutputStream lz4 = new net.jpountz.lz4.LZ4FrameOutputStream(out)) {
      lz4.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Schema withSqlNames(Schema schema, List<ResultColumn> columns) {
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < schema.getFields().size(); i++) {
      Field f = schema.getFields().get(i);
      Map<String, String> metadata = new HashMap<>();
      if (f.getMetadata() != null) {
        metadata.putAll(f.getMetadata());
      }
      metadata.put(SQL_NAME, columns.get(i).typeName());
      fields.add(
          new Field(
              f.getName(),
              new org.apache.arrow.vector.types.pojo.FieldType(
                  f.isNullable(), f.getType(), f.getDictionary(), metadata),
              f.getChildren()));
    }
    return new Schema(fields, schema.getCustomMetadata());
  }

  static byte[] serialize(Schema schema) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] serialize(VectorSchemaRoot root) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), batch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    stream.close();
  }
}
