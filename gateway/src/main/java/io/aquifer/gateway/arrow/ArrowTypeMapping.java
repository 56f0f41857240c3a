package io.aquifer.gateway.arrow;

import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import io.aquifer.storage.types.TableSchema;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Aquifer column types as Arrow fields, the same way the engine's Arrow export shapes them
 * (TIMESTAMP is microseconds in UTC, TIMESTAMP_NTZ microseconds without a zone).
 */
public final class ArrowTypeMapping {
  private ArrowTypeMapping() {}

  public static Schema schema(TableSchema schema) {
    return new Schema(schema.columns().stream().map(ArrowTypeMapping::field).toList());
  }

  public static Field field(Column column) {
    return field(column.name(), column.type(), column.nullable());
  }

  public static Field field(String name, DataType type, boolean nullable) {
    if (type instanceof PrimitiveType p) {
      return new Field(name, new FieldType(nullable, primitive(p), null), null);
    }
    if (type instanceof DecimalType d) {
      return new Field(
          name,
          new FieldType(nullable, new ArrowType.Decimal(d.precision(), d.scale(), 128), null),
          null);
    }
    if (type instanceof ArrayType a) {
      return new Field(
          name,
          new FieldType(nullable, ArrowType.List.INSTANCE, null),
          List.of(field("element", a.elementType(), a.containsNull())));
    }
    if (type instanceof MapType m) {
      Field entries =
          new Field(
              "entries",
              new FieldType(false, ArrowType.Struct.INSTANCE, null),
              List.of(
                  field("key", m.keyType(), false),
                  field("value", m.valueType(), m.valueContainsNull())));
      return new Field(
          name, new FieldType(nullable, new ArrowType.Map(false), null), List.of(entries));
    }
    StructType s = (StructType) type;
    return new Field(
        name,
        new FieldType(nullable, ArrowType.Struct.INSTANCE, null),
        s.fields().stream().map(ArrowTypeMapping::field).toList());
  }

  private static ArrowType primitive(PrimitiveType type) {
    return switch (type) {
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case TINYINT -> new ArrowType.Int(8, true);
      case SMALLINT -> new ArrowType.Int(16, true);
      case INT -> new ArrowType.Int(32, true);
      case BIGINT -> new ArrowType.Int(64, true);
      case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case STRING -> ArrowType.Utf8.INSTANCE;
      case BINARY -> ArrowType.Binary.INSTANCE;
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      case TIMESTAMP_NTZ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
    };
  }
}
