package io.aquifer.avatica;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.frontend.PreparedStatements;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Parameter values as Avatica's client sends them ({@link TypedValue}s in their serial form) into
 * the Java values {@link io.aquifer.gateway.StatementService#submit} takes: Boolean, Integer, Long,
 * BigDecimal, Double, String, byte[], LocalDate, LocalDateTime, or null.
 *
 * <p>Avatica's client turns {@code setDate} and {@code setTimestamp} into the wall clock of the
 * connection's time zone (its {@code timeZone} property, by default the JVM's), so a date binds as
 * that LocalDate and a timestamp as that LocalDateTime, which a TIMESTAMP column (an instant, shown
 * in UTC) takes as UTC: values come back as they went in. FLOAT binds as the Double of its shortest
 * decimal spelling (1.1f as 1.1). TIME, arrays and objects have no Aquifer type and are refused.
 */
final class ParameterValues {
  private ParameterValues() {}

  static List<Object> toJava(List<TypedValue> values, PreparedStatements.Prepared prepared) {
    List<TypedValue> given = values == null ? List.of() : values;
    prepared.checkParameterCount(given.size());
    List<Object> result = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      result.add(toJava(given.get(i), i + 1));
    }
    // Keeps nulls, which List.copyOf would reject.
    return Collections.unmodifiableList(result);
  }

  /** One value; {@code position} is 1-based, for messages. */
  static Object toJava(TypedValue typed, int position) {
    if (typed == null || typed.value == null) {
      return null;
    }
    Object value = typed.value;
    switch (typed.type) {
      case BOOLEAN:
      case PRIMITIVE_BOOLEAN:
        return (Boolean) value;
      case BYTE:
      case PRIMITIVE_BYTE:
      case SHORT:
      case PRIMITIVE_SHORT:
      case INTEGER:
      case PRIMITIVE_INT:
        return ((Number) value).intValue();
      case LONG:
      case PRIMITIVE_LONG:
        return ((Number) value).longValue();
      case NUMBER:
        if (value instanceof BigDecimal decimal) {
          return decimal;
        }
        if (value instanceof BigInteger integer) {
          return new BigDecimal(integer);
        }
        return value instanceof Long || value instanceof Integer
            ? (Object) ((Number) value).longValue()
            : new BigDecimal(value.toString());
      case FLOAT:
      case PRIMITIVE_FLOAT:
        return Double.valueOf(Float.toString(((Number) value).floatValue()));
      case DOUBLE:
      case PRIMITIVE_DOUBLE:
        return ((Number) value).doubleValue();
      case STRING:
      case CHARACTER:
      case PRIMITIVE_CHAR:
        return value.toString();
      case BYTE_STRING:
        if (value instanceof ByteString bytes) {
          return bytes.getBytes();
        }
        if (value instanceof byte[] bytes) {
          return bytes;
        }
        return ByteString.parseBase64(value.toString());
      case JAVA_SQL_DATE:
        return LocalDate.ofEpochDay(((Number) value).longValue());
      case JAVA_SQL_TIMESTAMP:
      case JAVA_UTIL_DATE:
        return LocalDateTime.ofInstant(
            Instant.ofEpochMilli(((Number) value).longValue()), ZoneOffset.UTC);
      default:
        throw GatewayErrorCode.UNSUPPORTED_PARAMETER_TYPE.exception(
            "Parameter "
                + position
                + " is a "
                + typed.type
                + ", which has no Aquifer SQL type; bind it as a string or a supported type");
    }
  }
}
