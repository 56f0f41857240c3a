package io.aquifer.flightsql;

import io.aquifer.gateway.GatewayErrorCode;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * How TIMESTAMP columns (instants) travel to one Flight SQL client; see docs/timestamps.md.
 *
 * <ul>
 *   <li>{@link #INSTANT}: Arrow {@code timestamp[us, tz=UTC]}, the engine's own form. Arrow-native
 *       clients (ADBC, pyarrow, the ODBC driver) learn that the value is an instant.
 *   <li>{@link #UTC_WALL_CLOCK}: Arrow {@code timestamp[us]} without a zone, holding the same
 *       number (microseconds since the epoch are the UTC wall clock). For the Arrow Flight SQL JDBC
 *       driver (18.3), which cannot {@code getObject} a zoned timestamp ("not implemented") and
 *       shifts zoned values by twice the JVM's offset in {@code getTimestamp}.
 * </ul>
 *
 * <p>The JDBC driver does not name itself: it is told apart by gRPC-Java's user agent ({@code
 * grpc-java-...}; ADBC in Python, pyarrow and the ODBC driver use gRPC's C++ or Go). Any client
 * chooses with the header {@value #HEADER} ({@code instant} or {@code utc-wall-clock}); the JDBC
 * driver sends a connection property of that name as the header. The buffers are the same in both
 * forms, so switching costs nothing per batch. TIMESTAMP_NTZ columns are never changed.
 */
enum TimestampWireForm {
  INSTANT,
  UTC_WALL_CLOCK;

  static final String HEADER = "x-aquifer-timestamps";

  /** The form a client asked for with {@value #HEADER}, else the one its user agent suggests. */
  static TimestampWireForm forClient(CallHeaders headers) {
    String asked = headers.get(HEADER);
    if (asked != null) {
      switch (asked.trim().toLowerCase(Locale.ROOT)) {
        case "instant":
          return INSTANT;
        case "utc-wall-clock":
          return UTC_WALL_CLOCK;
        default:
          throw GatewayErrorCode.INVALID_REQUEST.exception(
              "Header " + HEADER + " is '" + asked + "'; it takes 'instant' or 'utc-wall-clock'");
      }
    }
    String agent = headers.get("user-agent");
    return agent != null && agent.toLowerCase(Locale.ROOT).contains("grpc-java")
        ? UTC_WALL_CLOCK
        : INSTANT;
  }

  /** The result schema as this client receives it. */
  Schema schema(Schema schema) {
    if (this == INSTANT || schema.getFields().stream().noneMatch(TimestampWireForm::isInstant)) {
      return schema;
    }
    List<Field> fields =
        schema.getFields().stream().map(f -> isInstant(f) ? withoutZone(f) : f).toList();
    return new Schema(fields, schema.getCustomMetadata());
  }

  private static boolean isInstant(Field field) {
    // Only UTC: microseconds since the epoch are its wall clock, not another zone's.
    return field.getType() instanceof ArrowType.Timestamp t && "UTC".equals(t.getTimezone());
  }

  private static Field withoutZone(Field field) {
    ArrowType.Timestamp type = (ArrowType.Timestamp) field.getType();
    FieldType fieldType =
        new FieldType(
            field.isNullable(),
            new ArrowType.Timestamp(type.getUnit(), null),
            field.getDictionary(),
            field.getMetadata());
    return new Field(field.getName(), fieldType, field.getChildren());
  }
}
