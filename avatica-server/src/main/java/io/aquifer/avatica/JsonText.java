package io.aquifer.avatica;

import io.aquifer.gateway.arrow.ArrowTimestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.util.Text;

/**
 * MAP, STRUCT and nested ARRAY values as JSON text, the way the Databricks drivers show them:
 * structs and maps as objects (map keys as strings), arrays as arrays, dates and timestamps as
 * quoted {@code 2024-05-01} and {@code 2024-05-01 10:00:00.123456} (TIMESTAMP in UTC), binaries as
 * quoted base64.
 */
final class JsonText {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  private JsonText() {}

  /** The value at {@code index} as JSON text; null for SQL NULL. */
  static Object of(ValueVector vector, int index) {
    if (vector.isNull(index)) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    append(out, vector, index);
    return out.toString();
  }

  private static void append(StringBuilder out, ValueVector vector, int index) {
    if (vector.isNull(index)) {
      out.append("null");
    } else if (vector instanceof MapVector map) {
      StructVector entries = (StructVector) map.getDataVector();
      List<FieldVector> kv = entries.getChildrenFromFields();
      out.append('{');
      for (int i = map.getElementStartIndex(index); i < map.getElementEndIndex(index); i++) {
        if (i > map.getElementStartIndex(index)) {
          out.append(',');
        }
        StringBuilder key = new StringBuilder();
        append(key, kv.get(0), i);
        if (key.charAt(0) == '"') {
          out.append(key);
        } else {
          string(out, key.toString());
        }
        out.append(':');
        append(out, kv.get(1), i);
      }
      out.append('}');
    } else if (vector instanceof ListVector list) {
      out.append('[');
      for (int i = list.getElementStartIndex(index); i < list.getElementEndIndex(index); i++) {
        if (i > list.getElementStartIndex(index)) {
          out.append(',');
        }
        append(out, list.getDataVector(), i);
      }
      out.append(']');
    } else if (vector instanceof FixedSizeListVector list) {
      out.append('[');
      int size = list.getListSize();
      for (int i = index * size; i < (index + 1) * size; i++) {
        if (i > index * size) {
          out.append(',');
        }
        append(out, list.getDataVector(), i);
      }
      out.append(']');
    } else if (vector instanceof StructVector struct) {
      out.append('{');
      boolean first = true;
      for (FieldVector child : struct.getChildrenFromFields()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, child.getName());
        out.append(':');
        append(out, child, index);
      }
      out.append('}');
    } else {
      scalar(out, vector, index);
    }
  }

  private static void scalar(StringBuilder out, ValueVector vector, int index) {
    if (vector instanceof DateDayVector days) {
      string(out, LocalDate.ofEpochDay(days.get(index)).toString());
      return;
    }
    if (vector instanceof DateMilliVector millis) {
      string(out, LocalDate.ofEpochDay(Math.floorDiv(millis.get(index), 86_400_000L)).toString());
      return;
    }
    if (vector instanceof TimeStampVector timestamps) {
      Instant instant = ArrowTimestamps.instant(timestamps, index);
      LocalDateTime wallClock = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
      string(
          out,
          wallClock.getNano() == 0
              ? wallClock.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
              : wallClock.format(TIMESTAMP));
      return;
    }
    Object value = vector.getObject(index);
    if (value instanceof Boolean
        || value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof Long) {
      out.append(value);
    } else if (value instanceof BigDecimal decimal) {
      out.append(decimal.toPlainString());
    } else if (value instanceof Float || value instanceof Double) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        string(out, value.toString());
      } else {
        out.append(value instanceof Float f ? Float.toString(f) : Double.toString(d));
      }
    } else if (value instanceof byte[] bytes) {
      string(out, Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof Text text) {
      string(out, text.toString());
    } else {
      string(out, String.valueOf(value));
    }
  }

  /** A JSON string literal of {@code value}. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder();
    string(out, value);
    return out.toString();
  }

  private static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
