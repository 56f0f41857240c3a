package io.aquifer.thrift;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;

/**
 * Values of Arrow vectors in the form a column-based row set carries them: numbers as numbers,
 * DECIMAL as plain text, DATE as {@code yyyy-MM-dd}, TIMESTAMP as {@code yyyy-MM-dd
 * HH:mm:ss[.fffffffff]} (UTC for zoned timestamps), ARRAY, MAP and STRUCT as JSON text.
 */
final class ThriftValues {
  static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter();

  private ThriftValues() {}

  static Object get(FieldVector vector, int index) {
    if (vector.isNull(index)) {
      return null;
    }
    if (vector instanceof BitVector bits) {
      return bits.get(index) != 0;
    }
    if (vector instanceof DateDayVector days) {
      return LocalDate.ofEpochDay(days.get(index)).toString();
    }
    if (vector instanceof DateMilliVector millis) {
      return LocalDate.ofEpochDay(Math.floorDiv(millis.get(index), 86_400_000L)).toString();
    }
    if (vector instanceof TimeStampVector ts) {
      ArrowType.Timestamp type = (ArrowType.Timestamp) ts.getField().getType();
      return TIMESTAMP.format(timestamp(ts.get(index), type.getUnit()));
    }
    Object value = vector.getObject(index);
    if (value instanceof Text text) {
      return text.toString();
    }
    if (value instanceof byte[] || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof String s) {
      return s;
    }
    return value.toString();
  }

  private static LocalDateTime timestamp(long raw, org.apache.arrow.vector.types.TimeUnit unit) {
    long nanosPerUnit =
        switch (unit) {
          case SECOND -> TimeUnit.SECONDS.toNanos(1);
          case MILLISECOND -> TimeUnit.MILLISECONDS.toNanos(1);
          case MICROSECOND -> TimeUnit.MICROSECONDS.toNanos(1);
          case NANOSECOND -> 1;
        };
    long unitsPerSecond = TimeUnit.SECONDS.toNanos(1) / nanosPerUnit;
    long seconds = Math.floorDiv(raw, unitsPerSecond);
    long nanos = Math.floorMod(raw, unitsPerSecond) * nanosPerUnit;
    return LocalDateTime.ofEpochSecond(seconds, (int) nanos, ZoneOffset.UTC);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
