package io.aquifer.exec.compile;

import java.math.BigDecimal;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlBasicFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Rewrites a plan's casts and literals where DuckDB would give a different answer than Databricks
 * SQL:
 *
 * <ul>
 *   <li>A fractional number cast to an integer type is truncated toward zero in Databricks ({@code
 *       CAST(-3.5 AS INT)} is -3); DuckDB rounds (-4). The cast gets a {@code trunc} first.
 *   <li>A BIGINT literal small enough to read as INTEGER ({@code CAST(100000 AS BIGINT)} folded by
 *       Calcite) would be typed INTEGER by DuckDB, and {@code 100000 * 100000} would overflow where
 *       Databricks gives 10000000000. The literal gets an explicit CAST.
 *   <li>A TIMESTAMP cast to a string is its wall clock in the session time zone ({@code 2024-05-01
 *       10:00:00}); DuckDB appends the offset ({@code -07}). It is cast to TIMESTAMP_NTZ first.
 * </ul>
 *
 * Sub-queries are rewritten too.
 */
final class DatabricksCasts {
  /** DuckDB's {@code trunc(x)}: toward zero, keeping the argument's type. */
  static final SqlOperator TRUNC =
      SqlBasicFunction.create(
          "TRUNC", ReturnTypes.ARG0, OperandTypes.NUMERIC, SqlFunctionCategory.NUMERIC);

  private DatabricksCasts() {}

  static RelNode apply(RelNode plan) {
    RexShuttle rewrite = new Rewrite(plan.getCluster().getRexBuilder());
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(rewrite);
          }
        });
  }

  private static final class Rewrite extends RexShuttle {
    private final RexBuilder rex;

    Rewrite(RexBuilder rex) {
      this.rex = rex;
    }

    @Override
    public RexNode visitCall(RexCall call) {
      RexNode visited = super.visitCall(call);
      if (visited instanceof RexCall cast
          && cast.getKind() == SqlKind.CAST
          && SqlTypeUtil.isIntType(cast.getType())
          && isFractional(cast.getOperands().get(0).getType().getSqlTypeName())) {
        RexNode operand = cast.getOperands().get(0);
        return rex.makeAbstractCast(
            cast.getType(),
            rex.makeCall(operand.getType(), TRUNC, java.util.List.of(operand)),
            false);
      }
      if (visited instanceof RexCall cast
          && cast.getKind() == SqlKind.CAST
          && SqlTypeUtil.isCharacter(cast.getType())
          && cast.getOperands().get(0).getType().getSqlTypeName()
              == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        // Databricks shows a TIMESTAMP as its wall clock in the session time zone, without the
        // offset DuckDB appends to a TIMESTAMPTZ.
        RexNode operand = cast.getOperands().get(0);
        RelDataType wallClock =
            rex.getTypeFactory()
                .createTypeWithNullability(
                    rex.getTypeFactory()
                        .createSqlType(SqlTypeName.TIMESTAMP, operand.getType().getPrecision()),
                    operand.getType().isNullable());
        return rex.makeAbstractCast(
            cast.getType(), rex.makeAbstractCast(wallClock, operand, false), false);
      }
      return visited;
    }

    @Override
    public RexNode visitLiteral(RexLiteral literal) {
      Long value =
          literal.getType().getSqlTypeName() == SqlTypeName.BIGINT
              ? literal.getValueAs(Long.class)
              : null;
      if (value != null && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
        RexNode integer =
            rex.makeExactLiteral(
                BigDecimal.valueOf(value), rex.getTypeFactory().createSqlType(SqlTypeName.INTEGER));
        return rex.makeAbstractCast(literal.getType(), integer, false);
      }
      return literal;
    }

    @Override
    public RexNode visitSubQuery(RexSubQuery subQuery) {
      RexSubQuery visited = (RexSubQuery) super.visitSubQuery(subQuery);
      return visited.clone(DatabricksCasts.apply(visited.rel));
    }

    private static boolean isFractional(SqlTypeName type) {
      return switch (type) {
        case DECIMAL, DOUBLE, FLOAT, REAL -> true;
        default -> false;
      };
    }
  }
}
