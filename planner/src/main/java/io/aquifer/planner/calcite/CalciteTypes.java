package io.aquifer.planner.calcite;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import io.aquifer.storage.types.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/** Converts between Aquifer's {@link DataType}s and Calcite's {@link RelDataType}s. */
public final class CalciteTypes {
  private CalciteTypes() {}

  public static RelDataType rowType(RelDataTypeFactory factory, TableSchema schema) {
    RelDataTypeFactory.Builder builder = factory.builder();
    for (Column c : schema.columns()) {
      builder.add(c.name(), toCalcite(factory, c.type(), c.nullable()));
    }
    return builder.build();
  }

  public static RelDataType toCalcite(RelDataTypeFactory factory, DataType type, boolean nullable) {
    RelDataType t;
    if (type instanceof PrimitiveType p) {
      t =
          switch (p) {
            case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case TINYINT -> factory.createSqlType(SqlTypeName.TINYINT);
            case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
            case INT -> factory.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
            case FLOAT -> factory.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            case STRING -> factory.createSqlType(SqlTypeName.VARCHAR);
            case BINARY -> factory.createSqlType(SqlTypeName.VARBINARY);
            case DATE -> factory.createSqlType(SqlTypeName.DATE);
            case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
            case TIMESTAMP_NTZ -> factory.createSqlType(SqlTypeName.TIMESTAMP, 6);
          };
    } else if (type instanceof DecimalType d) {
      t = factory.createSqlType(SqlTypeName.DECIMAL, d.precision(), d.scale());
    } else if (type instanceof ArrayType a) {
      t = factory.createArrayType(toCalcite(factory, a.elementType(), a.containsNull()), -1);
    } else if (type instanceof MapType m) {
      t =
          factory.createMapType(
              toCalcite(factory, m.keyType(), false),
              toCalcite(factory, m.valueType(), m.valueContainsNull()));
    } else {
      StructType s = (StructType) type;
      RelDataTypeFactory.Builder builder = factory.builder();
      for (Column f : s.fields()) {
        builder.add(f.name(), toCalcite(factory, f.type(), f.nullable()));
      }
      t = builder.build();
    }
    return factory.createTypeWithNullability(t, nullable);
  }

  /** The Aquifer type of a query column; fails for types a table cannot store. */
  public static DataType fromCalcite(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> PrimitiveType.BOOLEAN;
      case TINYINT -> PrimitiveType.TINYINT;
      case SMALLINT -> PrimitiveType.SMALLINT;
      case INTEGER -> PrimitiveType.INT;
      case BIGINT -> PrimitiveType.BIGINT;
      case REAL, FLOAT -> PrimitiveType.FLOAT;
      case DOUBLE -> PrimitiveType.DOUBLE;
      case DECIMAL ->
          new DecimalType(Math.max(1, type.getPrecision()), Math.max(0, type.getScale()));
      case CHAR, VARCHAR -> PrimitiveType.STRING;
      case BINARY, VARBINARY -> PrimitiveType.BINARY;
      case DATE -> PrimitiveType.DATE;
      case TIMESTAMP -> PrimitiveType.TIMESTAMP_NTZ;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> PrimitiveType.TIMESTAMP;
      case NULL -> PrimitiveType.STRING;
      case ARRAY ->
          new ArrayType(fromCalcite(type.getComponentType()), type.getComponentType().isNullable());
      case MAP ->
          new MapType(
              fromCalcite(type.getKeyType()),
              fromCalcite(type.getValueType()),
              type.getValueType().isNullable());
      case ROW -> new StructType(columns(type));
      default ->
          throw new PlannerException(
              PlannerErrorCode.UNSUPPORTED_FEATURE,
              "type " + type.getFullTypeString() + " cannot be stored in a table");
    };
  }

  public static List<Column> columns(RelDataType rowType) {
    List<Column> columns = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      columns.add(
          new Column(
              f.getName(),
              fromCalcite(f.getType()),
              f.getType().isNullable(),
              f.getName(),
              Optional.empty()));
    }
    return columns;
  }
}
