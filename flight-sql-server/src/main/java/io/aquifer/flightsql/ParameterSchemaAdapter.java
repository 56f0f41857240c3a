package io.aquifer.flightsql;

import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The parameter schema Flight SQL clients are told when they prepare a statement: the one every
 * front end offers ({@link
 * io.aquifer.gateway.frontend.PreparedStatements.Prepared#clientParameterSchema()}: all nullable,
 * untyped parameters as strings), with timestamps in milliseconds: the JDBC driver 18.3 writes
 * {@code setTimestamp} values as epoch milliseconds into whatever timestamp vector it is given, so
 * a microsecond field would receive a value 1000 times too small. JDBC timestamps pass milliseconds
 * anyway. {@link ParameterBinder} reads any of these back.
 */
final class ParameterSchemaAdapter {
  private ParameterSchemaAdapter() {}

  static Schema forClients(Schema parameters) {
    List<Field> fields =
        parameters.getFields().stream().map(ParameterSchemaAdapter::field).toList();
    return new Schema(fields, parameters.getCustomMetadata());
  }

  private static Field field(Field field) {
    if (field.getType() instanceof ArrowType.Timestamp timestamp
        && timestamp.getUnit() != TimeUnit.MILLISECOND) {
      return new Field(
          field.getName(),
          new FieldType(
              field.isNullable(),
              new ArrowType.Timestamp(TimeUnit.MILLISECOND, timestamp.getTimezone()),
              field.getDictionary(),
              field.getMetadata()),
          field.getChildren());
    }
    return field;
  }
}
