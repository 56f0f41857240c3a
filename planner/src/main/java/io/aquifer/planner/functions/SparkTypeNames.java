package io.aquifer.planner.functions;

import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.calcite.rel.type.RelDataType;

/** Databricks' names of types ({@code int}, {@code array<string>}), as typeof() shows them. */
public final class SparkTypeNames {
  private SparkTypeNames() {}

  public static String of(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case TINYINT -> "tinyint";
      case SMALLINT -> "smallint";
      case INTEGER -> "int";
      case BIGINT -> "bigint";
      case REAL, FLOAT -> "float";
      case DOUBLE -> "double";
      case DECIMAL -> "decimal(" + type.getPrecision() + "," + type.getScale() + ")";
      case CHAR, VARCHAR -> "string";
      case BOOLEAN -> "boolean";
      case BINARY, VARBINARY -> "binary";
      case DATE -> "date";
      case TIMESTAMP -> "timestamp_ntz";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> "timestamp";
      case NULL -> "void";
      case ARRAY -> "array<" + of(type.getComponentType()) + ">";
      case MAP -> "map<" + of(type.getKeyType()) + "," + of(type.getValueType()) + ">";
      case ROW ->
          type.getFieldList().stream()
              .map(f -> f.getName() + ":" + of(f.getType()))
              .collect(Collectors.joining(",", "struct<", ">"));
      default -> type.getSqlTypeName().getName().toLowerCase(Locale.ROOT);
    };
  }
}
