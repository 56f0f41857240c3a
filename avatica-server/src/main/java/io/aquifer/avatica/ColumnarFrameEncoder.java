package io.aquifer.avatica;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a frame's rows column by column into one byte string, for clients that asked for columnar
 * frames (Aquifer's JDBC driver, connection property {@code columnar_frames}). Avatica's protobuf
 * frame carries every value as its own {@code TypedValue} message, which both ends build and parse
 * one by one; this form carries a column's values packed after one another, and the driver reads
 * each value only when asked for it ({@code io.aquifer.jdbc.ColumnarFrame}, which documents the
 * layout). Values are the ones the stock frame would carry ({@link WireColumns}), and the driver
 * gives back the same Java objects Avatica's {@code Frame.fromProto} would.
 *
 * <p>Layout, big-endian: the 8 bytes {@code AQCOLFR1}, the row count (int), the column count (int);
 * then per column its kind (a byte), a null bitmap (one bit per row, set for null, rows / 8 rounded
 * up bytes) and the values of its non-null rows: BOOLEAN, BYTE one byte; SHORT two; INT four; LONG,
 * DOUBLE eight; STRING, BYTES a length (int) and the bytes (UTF-8 for strings); DECIMAL64 (every
 * unscaled value fits a long) the scale (int) and the unscaled value (long); DECIMAL the scale
 * (int), a length (int) and the unscaled value's two's-complement bytes. A column whose values are
 * not all of one of these classes (arrays, or anything unexpected) is TAGGED: each value is a kind
 * byte and its payload, where LIST is an element count (int) and the elements, tagged, NULL a tag
 * without payload.
 */
final class ColumnarFrameEncoder {
  static final byte[] MAGIC = "AQCOLFR1".getBytes(StandardCharsets.US_ASCII);

  static final byte NULL = 0;
  static final byte BOOLEAN = 1;
  static final byte BYTE = 2;
  static final byte SHORT = 3;
  static final byte INT = 4;
  static final byte LONG = 5;
  static final byte DOUBLE = 6;
  static final byte DECIMAL = 7;
  static final byte STRING = 8;
  static final byte BYTES = 9;
  static final byte TAGGED = 10;
  static final byte LIST = 11;
  static final byte DECIMAL64 = 12;

  private byte[] buffer;
  private int size;

  private ColumnarFrameEncoder(int capacity) {
    buffer = new byte[Math.max(64, capacity)];
  }

  /**
   * The rows ({@code Object[]} or {@code List}, one value per column, all of one width) encoded.
   */
  static byte[] encode(List<Object> rows) {
    int rowCount = rows.size();
    int columnCount = rowCount == 0 ? 0 : width(rows.get(0));
    ColumnarFrameEncoder out = new ColumnarFrameEncoder(16 + rowCount * columnCount * 8);
    out.bytes(MAGIC);
    out.int32(rowCount);
    out.int32(columnCount);
    Object[] column = new Object[rowCount];
    for (int c = 0; c < columnCount; c++) {
      for (int r = 0; r < rowCount; r++) {
        column[r] = value(rows.get(r), c, columnCount);
      }
      out.column(column);
    }
    return Arrays.copyOf(out.buffer, out.size);
  }

  private static int width(Object row) {
    if (row instanceof Object[] array) {
      return array.length;
    }
    if (row instanceof List<?> list) {
      return list.size();
    }
    throw new IllegalStateException("A frame's row is an array or a list: " + row);
  }

  private static Object value(Object row, int column, int columnCount) {
    if (width(row) != columnCount) {
      throw new IllegalStateException("The rows of a frame differ in width");
    }
    return row instanceof Object[] array ? array[column] : ((List<?>) row).get(column);
  }

  private void column(Object[] values) {
    byte kind = NULL;
    Class<?> seen = null;
    for (Object value : values) {
      if (value == null || (value.getClass() == seen && kind != DECIMAL64)) {
        continue;
      }
      byte own = kindOf(value);
      if (kind == DECIMAL64 && own == DECIMAL) {
        kind = DECIMAL;
      } else if (kind == DECIMAL && own == DECIMAL64) {
        continue;
      } else if (own == LIST || (kind != NULL && kind != own)) {
        kind = TAGGED;
        break;
      } else {
        kind = own;
      }
      seen = value.getClass();
    }
    byte1(kind);
    int bitmap = (values.length + 7) / 8;
    ensure(bitmap);
    Arrays.fill(buffer, size, size + bitmap, (byte) 0);
    for (int r = 0; r < values.length; r++) {
      if (values[r] == null) {
        buffer[size + (r >>> 3)] |= (byte) (1 << (r & 7));
      }
    }
    size += bitmap;
    for (Object value : values) {
      if (value == null) {
        continue;
      }
      if (kind == TAGGED) {
        tagged(value);
      } else {
        payload(kind, value);
      }
    }
  }

  private static byte kindOf(Object value) {
    if (value instanceof Boolean) {
      return BOOLEAN;
    } else if (value instanceof Byte) {
      return BYTE;
    } else if (value instanceof Short) {
      return SHORT;
    } else if (value instanceof Integer) {
      return INT;
    } else if (value instanceof Long) {
      return LONG;
    } else if (value instanceof Double) {
      return DOUBLE;
    } else if (value instanceof BigDecimal decimal) {
      // 18 digits always fit a long; precision() is cheap where unscaledValue() allocates.
      return decimal.precision() <= 18 ? DECIMAL64 : DECIMAL;
    } else if (value instanceof String) {
      return STRING;
    } else if (value instanceof byte[]) {
      return BYTES;
    } else if (value instanceof List<?>) {
      return LIST;
    }
    throw new IllegalStateException(
        "No columnar form for a value of " + value.getClass().getName());
  }

  private void tagged(Object value) {
    if (value == null) {
      byte1(NULL);
      return;
    }
    byte kind = kindOf(value);
    if (kind == DECIMAL64) {
      kind = DECIMAL;
    }
    byte1(kind);
    if (kind == LIST) {
      List<?> elements = (List<?>) value;
      int32(elements.size());
      for (Object element : elements) {
        tagged(element);
      }
    } else {
      payload(kind, value);
    }
  }

  private void payload(byte kind, Object value) {
    switch (kind) {
      case BOOLEAN -> byte1(((Boolean) value) ? 1 : 0);
      case BYTE -> byte1((Byte) value);
      case SHORT -> {
        ensure(2);
        short v = (Short) value;
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
      }
      case INT -> int32((Integer) value);
      case LONG -> int64((Long) value);
      case DOUBLE -> int64(Double.doubleToRawLongBits((Double) value));
      case DECIMAL64 -> {
        BigDecimal decimal = (BigDecimal) value;
        int32(decimal.scale());
        int64(decimal.unscaledValue().longValue());
      }
      case DECIMAL -> {
        BigDecimal decimal = (BigDecimal) value;
        int32(decimal.scale());
        byte[] unscaled = decimal.unscaledValue().toByteArray();
        int32(unscaled.length);
        bytes(unscaled);
      }
      case STRING -> string((String) value);
      case BYTES -> {
        byte[] bytes = (byte[]) value;
        int32(bytes.length);
        bytes(bytes);
      }
      default -> throw new IllegalStateException("No payload for kind " + kind);
    }
  }

  /** A length and the UTF-8 bytes. */
  private void string(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    int32(utf8.length);
    bytes(utf8);
  }

  private void byte1(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  private void int32(int value) {
    ensure(4);
    buffer[size++] = (byte) (value >>> 24);
    buffer[size++] = (byte) (value >>> 16);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
  }

  private void int64(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
  }

  private void bytes(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
