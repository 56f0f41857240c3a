package io.aquifer.flightsql;

import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The parameter schema clients are told when they prepare a statement: the gateway's, adjusted so
 * that what drivers send binds correctly. {@link ParameterBinder} reads any of these back.
 *
 * <ul>
 *   <li>Every parameter is nullable: SQL lets any {@code ?} be NULL, and the Flight SQL JDBC driver
 *       refuses {@code setNull} on a non-nullable field.
 *   <li>Timestamps are in milliseconds: the JDBC driver 18.3 writes {@code setTimestamp} values as
 *       epoch milliseconds into whatever timestamp vector it is given, so a microsecond field would
 *       receive a value 1000 times too small. JDBC timestamps pass milliseconds anyway.
 *   <li>A parameter whose type the gateway could not infer (Arrow Null) is offered as a string,
 *       which every driver can bind and the gateway casts; the driver cannot bind a non-null value
 *       to a Null field.
 * </ul>
 */
final class ParameterSchemaAdapter {
  private ParameterSchemaAdapter() {}

  static Schema forClients(Schema parameters) {
    List<Field> fields =
        parameters.getFields().stream().map(ParameterSchemaAdapter::field).toList();
    return new Schema(fields, parameters.getCustomMetadata());
  }

  private static Field field(Field field) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.Timestamp timestamp
        && timestamp.getUnit() != TimeUnit.MILLISECOND) {
      type = new ArrowType.Timestamp(TimeUnit.MILLISECOND, timestamp.getTimezone());
    } else if (type instanceof ArrowType.Null) {
      type = ArrowType.Utf8.INSTANCE;
    }
    return new Field(
        field.getName(),
        new FieldType(true, type, field.getDictionary(), field.getMetadata()),
        field.getChildren());
  }
}
