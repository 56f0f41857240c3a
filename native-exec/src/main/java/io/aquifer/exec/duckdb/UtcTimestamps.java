package io.aquifer.exec.duckdb;

import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * DuckDB labels the TIMESTAMPTZ columns it exports with its session time zone ({@code timestamp[us,
 * tz=America/Los_Angeles]}); the numbers are microseconds since the epoch whatever the label.
 * Results leave the node labelled UTC, the one zone the gateway and clients expect (the session
 * zone changes what the engine computes, not the wire form).
 */
final class UtcTimestamps {
  private UtcTimestamps() {}

  static Schema schema(Schema schema) {
    List<Field> fields = schema.getFields().stream().map(UtcTimestamps::field).toList();
    return fields.equals(schema.getFields())
        ? schema
        : new Schema(fields, schema.getCustomMetadata());
  }

  static Field field(Field field) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.Timestamp t
        && t.getTimezone() != null
        && !t.getTimezone().equals("UTC")) {
      type = new ArrowType.Timestamp(t.getUnit(), "UTC");
    }
    List<Field> children = field.getChildren().stream().map(UtcTimestamps::field).toList();
    if (type == field.getType() && children.equals(field.getChildren())) {
      return field;
    }
    FieldType fieldType =
        new FieldType(field.isNullable(), type, field.getDictionary(), field.getMetadata());
    return new Field(field.getName(), fieldType, children);
  }
}
