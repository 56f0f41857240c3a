package io.aquifer.planner.calcite;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Databricks SQL's type rules where they differ from Calcite's defaults: DECIMAL up to 38 digits,
 * SUM of integers is BIGINT and of DECIMAL(p,s) is DECIMAL(p+10,s), AVG of integers is DOUBLE and
 * of DECIMAL(p,s) is DECIMAL(p+4,s+4), strings have no length limit.
 */
public final class AquiferTypeSystem extends RelDataTypeSystemImpl {
  public static final AquiferTypeSystem INSTANCE = new AquiferTypeSystem();
  private static final int MAX_DECIMAL = 38;

  private AquiferTypeSystem() {}

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case DECIMAL -> MAX_DECIMAL;
      case VARCHAR, VARBINARY, BINARY -> RelDataType.PRECISION_NOT_SPECIFIED;
      // Databricks timestamps have microseconds; Calcite's default maximum is milliseconds.
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 6;
      default -> super.getMaxPrecision(typeName);
    };
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case VARCHAR, VARBINARY, BINARY -> RelDataType.PRECISION_NOT_SPECIFIED;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 6;
      default -> super.getDefaultPrecision(typeName);
    };
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? MAX_DECIMAL : super.getMaxScale(typeName);
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory factory, RelDataType argumentType) {
    SqlTypeName name = argumentType.getSqlTypeName();
    RelDataType result;
    if (name == SqlTypeName.DECIMAL) {
      result =
          factory.createSqlType(
              SqlTypeName.DECIMAL,
              Math.min(MAX_DECIMAL, argumentType.getPrecision() + 10),
              argumentType.getScale());
    } else if (SqlTypeUtil.isExactNumeric(argumentType)) {
      result = factory.createSqlType(SqlTypeName.BIGINT);
    } else if (SqlTypeUtil.isApproximateNumeric(argumentType)) {
      result = factory.createSqlType(SqlTypeName.DOUBLE);
    } else {
      return super.deriveSumType(factory, argumentType);
    }
    return factory.createTypeWithNullability(result, argumentType.isNullable());
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory factory, RelDataType argumentType) {
    RelDataType result;
    if (argumentType.getSqlTypeName() == SqlTypeName.DECIMAL) {
      int scale = Math.min(MAX_DECIMAL, argumentType.getScale() + 4);
      int precision = Math.min(MAX_DECIMAL, argumentType.getPrecision() + 4);
      result = factory.createSqlType(SqlTypeName.DECIMAL, precision, scale);
    } else {
      result = factory.createSqlType(SqlTypeName.DOUBLE);
    }
    return factory.createTypeWithNullability(result, argumentType.isNullable());
  }
}
