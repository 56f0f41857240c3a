package io.aquifer.planner.calcite;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Databricks SQL division: {@code /} on integers or floating point gives DOUBLE ({@code 7 / 2} is
 * 3.5, not 3 as in ANSI and SQLite); on decimals it gives a DECIMAL with Spark's precision rule.
 * The parser always builds the standard operator, so {@link #rewrite} swaps it in before
 * validation.
 */
public final class DatabricksDivide extends SqlBinaryOperator {
  public static final DatabricksDivide INSTANCE = new DatabricksDivide();

  private DatabricksDivide() {
    super(
        "/",
        SqlKind.DIVIDE,
        60,
        true,
        DatabricksDivide::returnType,
        InferTypes.FIRST_KNOWN,
        OperandTypes.DIVISION_OPERATOR);
  }

  private static RelDataType returnType(SqlOperatorBinding binding) {
    RelDataTypeFactory factory = binding.getTypeFactory();
    RelDataType left = binding.getOperandType(0);
    RelDataType right = binding.getOperandType(1);
    boolean nullable = true; // division by zero gives NULL in non-ANSI mode; keep it nullable
    if (!SqlTypeUtil.isNumeric(left) || !SqlTypeUtil.isNumeric(right)) {
      // intervals divided by numbers keep the interval type
      return factory.createTypeWithNullability(left, nullable);
    }
    RelDataType result;
    if (SqlTypeUtil.isDecimal(left) && SqlTypeUtil.isDecimal(right)
        || SqlTypeUtil.isDecimal(left) && SqlTypeUtil.isIntType(right)
        || SqlTypeUtil.isIntType(left) && SqlTypeUtil.isDecimal(right)) {
      int p1 = decimalPrecision(binding, 0, left);
      int s1 = decimalScale(left);
      int p2 = decimalPrecision(binding, 1, right);
      int s2 = decimalScale(right);
      int scale = Math.max(6, s1 + p2 + 1);
      int precision = p1 - s1 + s2 + scale;
      if (precision > 38) {
        int integral = precision - scale;
        scale = Math.max(Math.min(scale, 6), 38 - integral);
        precision = 38;
      }
      result = factory.createSqlType(SqlTypeName.DECIMAL, precision, Math.min(scale, precision));
    } else {
      result = factory.createSqlType(SqlTypeName.DOUBLE);
    }
    return factory.createTypeWithNullability(result, nullable);
  }

  /** Spark types an integer literal as the smallest DECIMAL that holds it: 2 is DECIMAL(1,0). */
  private static int decimalPrecision(SqlOperatorBinding binding, int operand, RelDataType type) {
    if (SqlTypeUtil.isIntType(type) && binding.isOperandLiteral(operand, false)) {
      java.math.BigDecimal value =
          binding.getOperandLiteralValue(operand, java.math.BigDecimal.class);
      if (value != null) {
        return Math.max(1, value.precision());
      }
    }
    return switch (type.getSqlTypeName()) {
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INTEGER -> 10;
      case BIGINT -> 20;
      default -> type.getPrecision();
    };
  }

  private static int decimalScale(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.DECIMAL ? type.getScale() : 0;
  }

  /** Replaces the standard division operator everywhere in the tree, in place. */
  public static void rewrite(SqlNode node) {
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlBasicCall basic
                && basic.getOperator() == SqlStdOperatorTable.DIVIDE) {
              basic.setOperator(INSTANCE);
            }
            return super.visit(call);
          }
        });
  }
}
