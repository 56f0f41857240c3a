package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.TTypeId;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Arrow result types as the Databricks SQL protocol's {@link TTypeId}s. */
final class ThriftTypes {
  private ThriftTypes() {}

  static List<ResultColumn> columns(Schema schema) {
    List<ResultColumn> out = new ArrayList<>();
    for (Field field : schema.getFields()) {
      out.add(column(field));
    }
    return out;
  }

  static ResultColumn column(Field field) {
    ArrowType t = field.getType();
    String name = field.getName();
    return switch (t.getTypeID()) {
      case Bool -> ResultColumn.of(name, TTypeId.BOOLEAN_TYPE);
      case Int -> {
        int bits = ((ArrowType.Int) t).getBitWidth();
        yield ResultColumn.of(
            name,
            switch (bits) {
              case 8 -> TTypeId.TINYINT_TYPE;
              case 16 -> TTypeId.SMALLINT_TYPE;
              case 32 -> TTypeId.INT_TYPE;
              default -> TTypeId.BIGINT_TYPE;
            });
      }
      case FloatingPoint ->
          ResultColumn.of(
              name,
              ((ArrowType.FloatingPoint) t).getPrecision() == FloatingPointPrecision.DOUBLE
                  ? TTypeId.DOUBLE_TYPE
                  : TTypeId.FLOAT_TYPE);
      case Decimal -> {
        ArrowType.Decimal d = (ArrowType.Decimal) t;
        yield new ResultColumn(
            name,
            TTypeId.DECIMAL_TYPE,
            "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")",
            d.getPrecision(),
            d.getScale());
      }
      case Binary, LargeBinary, FixedSizeBinary, BinaryView ->
          ResultColumn.of(name, TTypeId.BINARY_TYPE);
      case Date -> ResultColumn.of(name, TTypeId.DATE_TYPE);
      case Timestamp ->
          new ResultColumn(
              name,
              TTypeId.TIMESTAMP_TYPE,
              ((ArrowType.Timestamp) t).getTimezone() == null ? "TIMESTAMP_NTZ" : "TIMESTAMP",
              0,
              0);
      case List, LargeList, FixedSizeList -> complex(name, TTypeId.ARRAY_TYPE, "ARRAY");
      case Map -> complex(name, TTypeId.MAP_TYPE, "MAP");
      case Struct -> complex(name, TTypeId.STRUCT_TYPE, "STRUCT");
      case Null -> ResultColumn.of(name, TTypeId.NULL_TYPE);
      default -> ResultColumn.of(name, TTypeId.STRING_TYPE);
    };
  }

  private static ResultColumn complex(String name, TTypeId type, String sql) {
    return new ResultColumn(name, type, sql, 0, 0);
  }

  /** The Databricks SQL name of a type without parameters. */
  static String sqlName(TTypeId type) {
    return switch (type) {
      case BOOLEAN_TYPE -> "BOOLEAN";
      case TINYINT_TYPE -> "TINYINT";
      case SMALLINT_TYPE -> "SMALLINT";
      case INT_TYPE -> "INT";
      case BIGINT_TYPE -> "BIGINT";
      case FLOAT_TYPE -> "FLOAT";
      case DOUBLE_TYPE -> "DOUBLE";
      case DECIMAL_TYPE -> "DECIMAL";
      case BINARY_TYPE -> "BINARY";
      case DATE_TYPE -> "DATE";
      case TIMESTAMP_TYPE -> "TIMESTAMP";
      case ARRAY_TYPE -> "ARRAY";
      case MAP_TYPE -> "MAP";
      case STRUCT_TYPE -> "STRUCT";
      case NULL_TYPE -> "VOID";
      default -> "STRING";
    };
  }
}
