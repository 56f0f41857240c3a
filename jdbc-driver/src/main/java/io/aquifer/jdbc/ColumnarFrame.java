package io.aquifer.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.avatica.Meta;

/**
 * Reads the columnar frames the server sends when the connection asked for them (connection
 * property {@code columnar_frames}, on by default in this driver): the frame's rows travel as one
 * byte string, packed column by column, instead of one protobuf message per value. The rows read
 * back are views over that byte string: a value becomes a Java object only when the result set asks
 * for it, and it is the same object Avatica's protobuf frame would have given ({@code Long}, {@code
 * Integer}, {@code BigDecimal}, {@code String}, {@code byte[]}, a {@code List} for an array ...),
 * so every accessor reads it as before.
 *
 * <p>Layout, big-endian (written by the server's {@code ColumnarFrameEncoder}): the 8 bytes {@code
 * AQCOLFR1}, the row count (int), the column count (int); then per column its kind (a byte), a null
 * bitmap (one bit per row, set for null) and the values of its non-null rows: BOOLEAN, BYTE one
 * byte; SHORT two; INT four; LONG, DOUBLE eight; STRING, BYTES a length (int) and the bytes (UTF-8
 * for strings); DECIMAL64 the scale (int) and the unscaled value (long); DECIMAL the scale (int), a
 * length (int) and the unscaled value's two's-complement bytes; TAGGED: each value a kind byte and
 * its payload, LIST an element count (int) and the elements, tagged.
 */
final class ColumnarFrame {
  private static final byte[] MAGIC = "AQCOLFR1".getBytes(StandardCharsets.US_ASCII);

  private static final byte NULL = 0;
  private static final byte BOOLEAN = 1;
  private static final byte BYTE = 2;
  private static final byte SHORT = 3;
  private static final byte INT = 4;
  private static final byte LONG = 5;
  private static final byte DOUBLE = 6;
  private static final byte DECIMAL = 7;
  private static final byte STRING = 8;
  private static final byte BYTES = 9;
  private static final byte TAGGED = 10;
  private static final byte LIST = 11;
  private static final byte DECIMAL64 = 12;

  private ColumnarFrame() {}

  /**
   * The frame with its rows unpacked if it is a columnar one (one row of one byte string that
   * starts with the marker); any other frame as it is.
   */
  static Meta.Frame unpack(Meta.Frame frame) {
    if (frame == null || frame.rows == null) {
      return frame;
    }
    byte[] packed = packed(frame.rows);
    if (packed == null) {
      return frame;
    }
    return new Meta.Frame(frame.offset, frame.done, decode(packed));
  }

  private static byte[] packed(Iterable<Object> rows) {
    Iterator<Object> iterator = rows.iterator();
    if (!iterator.hasNext()) {
      return null;
    }
    Object row = iterator.next();
    if (iterator.hasNext() || !(row instanceof List) || ((List<?>) row).size() != 1) {
      return null;
    }
    Object value = ((List<?>) row).get(0);
    if (!(value instanceof byte[])) {
      return null;
    }
    byte[] bytes = (byte[]) value;
    if (bytes.length < MAGIC.length + 8
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return null;
    }
    return bytes;
  }

  /** The rows of a columnar frame, as lists that read their values from {@code packed}. */
  static List<Object> decode(byte[] packed) {
    try {
      Reader in = new Reader(packed, MAGIC.length);
      int rowCount = in.int32();
      int columnCount = in.int32();
      if (rowCount < 0 || columnCount < 0) {
        throw malformed("negative row or column count");
      }
      Column[] columns = new Column[columnCount];
      for (int c = 0; c < columnCount; c++) {
        columns[c] = Column.read(in, rowCount);
      }
      if (in.position != packed.length) {
        throw malformed((packed.length - in.position) + " bytes after the last column");
      }
      return new Rows(columns, rowCount);
    } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
      throw malformed("it ends before its last value");
    }
  }

  private static IllegalStateException malformed(String why) {
    return new IllegalStateException("Malformed columnar frame from the server: " + why);
  }

  /** The frame's rows: row {@code r} is a view of the columns at {@code r}. */
  private static final class Rows extends AbstractList<Object> {
    private final Column[] columns;
    private final int size;

    Rows(Column[] columns, int size) {
      this.columns = columns;
      this.size = size;
    }

    @Override
    public Object get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException("Row " + index + " of " + size);
      }
      return new Row(columns, index);
    }

    @Override
    public int size() {
      return size;
    }
  }

  /** One row; each value is made from the packed bytes when read. */
  private static final class Row extends AbstractList<Object> {
    private final Column[] columns;
    private final int row;

    Row(Column[] columns, int row) {
      this.columns = columns;
      this.row = row;
    }

    @Override
    public Object get(int index) {
      return columns[index].get(row);
    }

    @Override
    public int size() {
      return columns.length;
    }
  }

  /** One column of a frame: where each non-null value sits in the packed bytes. */
  private static final class Column {
    private final byte kind;
    private final byte[] packed;

    /** For each row, the offset of its value, or -1 when null. */
    private final int[] offsets;

    /** TAGGED values, decoded at once (arrays and anything unusual). */
    private final Object[] tagged;

    private Column(byte kind, byte[] packed, int[] offsets, Object[] tagged) {
      this.kind = kind;
      this.packed = packed;
      this.offsets = offsets;
      this.tagged = tagged;
    }

    static Column read(Reader in, int rows) {
      byte kind = in.byte1();
      if (kind < NULL || kind > DECIMAL64 || kind == LIST) {
        throw malformed("unknown column kind " + kind);
      }
      int bitmap = in.position;
      in.position += (rows + 7) / 8;
      if (in.position > in.bytes.length) {
        throw malformed("it ends in a null bitmap");
      }
      int[] offsets = new int[rows];
      Object[] tagged = kind == TAGGED ? new Object[rows] : null;
      for (int r = 0; r < rows; r++) {
        if ((in.bytes[bitmap + (r >>> 3)] & (1 << (r & 7))) != 0) {
          offsets[r] = -1;
          continue;
        }
        if (kind == NULL) {
          throw malformed("a value in a column of nulls");
        }
        offsets[r] = in.position;
        if (kind == TAGGED) {
          tagged[r] = in.tagged();
        } else {
          in.skip(kind);
        }
      }
      return new Column(kind, in.bytes, offsets, tagged);
    }

    Object get(int row) {
      int offset = offsets[row];
      if (offset < 0) {
        return null;
      }
      if (kind == TAGGED) {
        return tagged[row];
      }
      return new Reader(packed, offset).value(kind);
    }
  }

  /** Reads big-endian values from the packed bytes. */
  private static final class Reader {
    final byte[] bytes;
    int position;

    Reader(byte[] bytes, int position) {
      this.bytes = bytes;
      this.position = position;
    }

    byte byte1() {
      return bytes[position++];
    }

    int int32() {
      int value =
          (bytes[position] & 0xff) << 24
              | (bytes[position + 1] & 0xff) << 16
              | (bytes[position + 2] & 0xff) << 8
              | (bytes[position + 3] & 0xff);
      position += 4;
      return value;
    }

    long int64() {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = value << 8 | (bytes[position + i] & 0xff);
      }
      position += 8;
      return value;
    }

    /** A length (int) whose bytes are all there. */
    int length() {
      int length = int32();
      if (length < 0 || length > bytes.length - position) {
        throw malformed("a length of " + length + " bytes at byte " + (position - 4));
      }
      return length;
    }

    /** Moves past one value of {@code kind}, checking that it is all there. */
    void skip(byte kind) {
      switch (kind) {
        case BOOLEAN:
        case BYTE:
          position += 1;
          break;
        case SHORT:
          position += 2;
          break;
        case INT:
          position += 4;
          break;
        case LONG:
        case DOUBLE:
          position += 8;
          break;
        case DECIMAL64:
          position += 12;
          break;
        case DECIMAL:
          {
            position += 4;
            int length = length();
            position += length;
            break;
          }
        case STRING:
        case BYTES:
          {
            int length = length();
            position += length;
            break;
          }
        default:
          throw malformed("unknown value kind " + kind);
      }
      if (position > bytes.length) {
        throw malformed("it ends before its last value");
      }
    }

    Object value(byte kind) {
      switch (kind) {
        case BOOLEAN:
          return bytes[position++] != 0;
        case BYTE:
          return bytes[position++];
        case SHORT:
          {
            short value = (short) ((bytes[position] & 0xff) << 8 | (bytes[position + 1] & 0xff));
            position += 2;
            return value;
          }
        case INT:
          return int32();
        case LONG:
          return int64();
        case DOUBLE:
          return Double.longBitsToDouble(int64());
        case DECIMAL64:
          {
            int scale = int32();
            return BigDecimal.valueOf(int64(), scale);
          }
        case DECIMAL:
          {
            int scale = int32();
            int length = length();
            BigInteger unscaled = new BigInteger(bytes, position, length);
            position += length;
            return new BigDecimal(unscaled, scale);
          }
        case STRING:
          {
            int length = length();
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
          }
        case BYTES:
          {
            int length = length();
            byte[] value = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
          }
        default:
          throw malformed("unknown value kind " + kind);
      }
    }

    Object tagged() {
      byte kind = byte1();
      if (kind == NULL) {
        return null;
      }
      if (kind == LIST) {
        int count = int32();
        if (count < 0 || count > bytes.length - position) {
          throw malformed("a list of " + count + " elements");
        }
        List<Object> elements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          elements.add(tagged());
        }
        return elements;
      }
      if (kind == TAGGED) {
        throw malformed("a tagged value tagged as TAGGED");
      }
      return value(kind);
    }
  }
}
