package io.aquifer.planner.functions;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;

/** Result types of catalog functions, from their arguments' types. */
final class Returns {
  private Returns() {}

  static SqlReturnTypeInference type(SqlTypeName name) {
    return b -> create(b.getTypeFactory(), name);
  }

  static final SqlReturnTypeInference INT = type(SqlTypeName.INTEGER);
  static final SqlReturnTypeInference BIGINT = type(SqlTypeName.BIGINT);
  static final SqlReturnTypeInference DOUBLE = type(SqlTypeName.DOUBLE);
  static final SqlReturnTypeInference BOOLEAN = type(SqlTypeName.BOOLEAN);
  static final SqlReturnTypeInference STRING = type(SqlTypeName.VARCHAR);
  static final SqlReturnTypeInference BINARY = type(SqlTypeName.VARBINARY);
  static final SqlReturnTypeInference DATE = type(SqlTypeName.DATE);

  /** Databricks TIMESTAMP (with local time zone semantics). */
  static final SqlReturnTypeInference TIMESTAMP =
      b -> b.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);

  /** Databricks TIMESTAMP_NTZ. */
  static final SqlReturnTypeInference TIMESTAMP_NTZ =
      b -> b.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP, 6);

  static final SqlReturnTypeInference STRING_ARRAY =
      b -> b.getTypeFactory().createArrayType(create(b.getTypeFactory(), SqlTypeName.VARCHAR), -1);

  static SqlReturnTypeInference arg(int i) {
    return b -> b.getOperandType(i);
  }

  /** The element type of the array argument {@code i}. */
  static SqlReturnTypeInference elementOf(int i) {
    return b -> {
      RelDataType t = b.getOperandType(i);
      RelDataType element = t.getComponentType();
      return element == null ? t : b.getTypeFactory().createTypeWithNullability(element, true);
    };
  }

  /** The value type of the map argument {@code i}. */
  static SqlReturnTypeInference valueOf(int i) {
    return b -> {
      RelDataType t = b.getOperandType(i);
      RelDataType value = t.getValueType();
      return value == null ? t : b.getTypeFactory().createTypeWithNullability(value, true);
    };
  }

  /** Element (array) or value (map) of argument {@code i}. */
  static SqlReturnTypeInference itemOf(int i) {
    return b ->
        b.getOperandType(i).getSqlTypeName() == SqlTypeName.MAP
            ? valueOf(i).inferReturnType(b)
            : elementOf(i).inferReturnType(b);
  }

  /** An array of argument {@code i}'s type. */
  static SqlReturnTypeInference arrayOf(int i) {
    return b -> b.getTypeFactory().createArrayType(b.getOperandType(i), -1);
  }

  /** An array of the key (or value) type of the map argument {@code i}. */
  static SqlReturnTypeInference mapPart(int i, boolean keys) {
    return b -> {
      RelDataType map = b.getOperandType(i);
      RelDataType part = keys ? map.getKeyType() : map.getValueType();
      return b.getTypeFactory().createArrayType(part, -1);
    };
  }

  /** The type all arguments from {@code from} on fit in. */
  static SqlReturnTypeInference common(int from) {
    return b -> {
      List<RelDataType> types = new ArrayList<>();
      for (int i = from; i < b.getOperandCount(); i++) {
        types.add(b.getOperandType(i));
      }
      RelDataType t = b.getTypeFactory().leastRestrictive(types);
      return t == null ? b.getOperandType(from) : t;
    };
  }

  /** A double, or an array of doubles when argument {@code i} is an array (percentiles). */
  static SqlReturnTypeInference doubleOrArrayBy(int i) {
    return b -> {
      RelDataType d = create(b.getTypeFactory(), SqlTypeName.DOUBLE);
      return b.getOperandType(i).getSqlTypeName() == SqlTypeName.ARRAY
          ? b.getTypeFactory().createArrayType(d, -1)
          : d;
    };
  }

  /** Argument 0's type, or an array of it when argument {@code i} is an array. */
  static SqlReturnTypeInference arg0OrArrayBy(int i) {
    return b -> {
      RelDataType t = b.getTypeFactory().createTypeWithNullability(b.getOperandType(0), true);
      return b.getOperandType(i).getSqlTypeName() == SqlTypeName.ARRAY
          ? b.getTypeFactory().createArrayType(t, -1)
          : t;
    };
  }

  static RelDataType create(RelDataTypeFactory factory, SqlTypeName name) {
    return factory.createSqlType(name);
  }
}
