package io.aquifer.rest;

import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Databricks' names for the type of a result column: {@code type_name} (the ColumnInfoTypeName
 * enum: LONG, STRING, DECIMAL, ...) and {@code type_text} (the SQL spelling: {@code bigint}, {@code
 * decimal(10,2)}, {@code array<int>}).
 */
final class DatabricksColumnTypes {
  private DatabricksColumnTypes() {}

  static String typeName(Field field) {
    ArrowType type = field.getType();
    return switch (type.getTypeID()) {
      case Null -> "NULL";
      case Bool -> "BOOLEAN";
      case Int ->
          switch (((ArrowType.Int) type).getBitWidth()) {
            case 8 -> "BYTE";
            case 16 -> "SHORT";
            case 32 -> "INT";
            default -> "LONG";
          };
      case FloatingPoint ->
          ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.DOUBLE
              ? "DOUBLE"
              : "FLOAT";
      case Decimal -> "DECIMAL";
      case Utf8, LargeUtf8, Utf8View -> "STRING";
      case Binary, LargeBinary, FixedSizeBinary, BinaryView -> "BINARY";
      case Date -> "DATE";
      case Timestamp -> "TIMESTAMP";
      case Interval, Duration -> "INTERVAL";
      case List, LargeList, FixedSizeList, ListView, LargeListView -> "ARRAY";
      case Map -> "MAP";
      case Struct -> "STRUCT";
      default -> "STRING";
    };
  }

  static String typeText(Field field) {
    ArrowType type = field.getType();
    return switch (type.getTypeID()) {
      case Null -> "void";
      case Bool -> "boolean";
      case Int ->
          switch (((ArrowType.Int) type).getBitWidth()) {
            case 8 -> "tinyint";
            case 16 -> "smallint";
            case 32 -> "int";
            default -> "bigint";
          };
      case FloatingPoint ->
          ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.DOUBLE
              ? "double"
              : "float";
      case Decimal -> {
        ArrowType.Decimal d = (ArrowType.Decimal) type;
        yield "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
      }
      case Utf8, LargeUtf8, Utf8View -> "string";
      case Binary, LargeBinary, FixedSizeBinary, BinaryView -> "binary";
      case Date -> "date";
      case Timestamp ->
          ((ArrowType.Timestamp) type).getTimezone() == null ? "timestamp_ntz" : "timestamp";
      case Interval, Duration -> "interval";
      case List, LargeList, FixedSizeList, ListView, LargeListView ->
          "array<" + typeText(field.getChildren().get(0)) + ">";
      case Map -> {
        List<Field> kv = field.getChildren().get(0).getChildren();
        yield "map<" + typeText(kv.get(0)) + "," + typeText(kv.get(1)) + ">";
      }
      case Struct -> {
        StringBuilder s = new StringBuilder("struct<");
        for (int i = 0; i < field.getChildren().size(); i++) {
          Field child = field.getChildren().get(i);
          s.append(i == 0 ? "" : ",").append(child.getName()).append(':').append(typeText(child));
        }
        yield s.append('>').toString();
      }
      default -> type.toString().toLowerCase(Locale.ROOT);
    };
  }

  static Integer precision(Field field) {
    return field.getType() instanceof ArrowType.Decimal d ? d.getPrecision() : null;
  }

  static Integer scale(Field field) {
    return field.getType() instanceof ArrowType.Decimal d ? d.getScale() : null;
  }
}
