package io.aquifer.planner;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

/**
 * Replaces the {@code ?} markers of a plan with typed literals of the bound values, so the engine
 * receives a complete plan. Values never become SQL text by concatenation: Calcite renders the
 * literals.
 */
public final class ParameterBinder {
  private ParameterBinder() {}

  /** Binds a user's query: the number of values must match the number of markers. */
  public static RelNode bind(RelNode plan, RelDataType parameterRowType, List<Object> values) {
    int expected = parameterRowType.getFieldCount();
    if (values.size() != expected) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT,
          "the statement has "
              + expected
              + " parameter marker(s) but "
              + values.size()
              + " value(s) were bound");
    }
    return bindByIndex(plan, values);
  }

  /**
   * Binds a query derived from a user's statement (a DML rewrite), whose markers keep their
   * positions in the user's text and may each appear several times or not at all.
   */
  public static RelNode bindByIndex(RelNode plan, List<Object> values) {
    if (values.isEmpty()) {
      return plan;
    }
    RexBuilder rex = plan.getCluster().getRexBuilder();
    RexShuttle literals =
        new RexShuttle() {
          @Override
          public RexNode visitDynamicParam(RexDynamicParam param) {
            if (param.getIndex() >= values.size()) {
              throw new PlannerException(
                  PlannerErrorCode.INVALID_STATEMENT,
                  "parameter " + (param.getIndex() + 1) + " has no bound value");
            }
            return literal(rex, param.getType(), values.get(param.getIndex()), param.getIndex());
          }

          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            RexSubQuery visited = (RexSubQuery) super.visitSubQuery(subQuery);
            return visited.clone(ParameterBinder.apply(visited.rel, this));
          }
        };
    return apply(plan, literals);
  }

  private static RelNode apply(RelNode plan, RexShuttle literals) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(literals);
          }
        });
  }

  private static RexNode literal(RexBuilder rex, RelDataType type, Object value, int index) {
    if (value == null) {
      return rex.makeNullLiteral(type);
    }
    try {
      Object v = value;
      SqlTypeName name = type.getSqlTypeName();
      if (SqlTypeUtil.isNumeric(type)) {
        v =
            value instanceof Number n
                ? new BigDecimal(n.toString())
                : new BigDecimal(value.toString());
      } else if (SqlTypeUtil.isCharacter(type)) {
        v = value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString();
      } else if (name == SqlTypeName.BOOLEAN) {
        v = value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString());
      } else if (name == SqlTypeName.DATE) {
        LocalDate d = value instanceof LocalDate ld ? ld : LocalDate.parse(value.toString());
        v = DateString.fromDaysSinceEpoch((int) d.toEpochDay());
      } else if (name == SqlTypeName.TIMESTAMP
          || name == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        long millis;
        if (value instanceof Instant i) {
          millis = i.toEpochMilli();
        } else if (value instanceof LocalDateTime t) {
          millis = t.toInstant(ZoneOffset.UTC).toEpochMilli();
        } else {
          millis =
              LocalDateTime.parse(value.toString().replace(' ', 'T'))
                  .toInstant(ZoneOffset.UTC)
                  .toEpochMilli();
        }
        v = TimestampString.fromMillisSinceEpoch(millis);
      } else if (SqlTypeUtil.isBinary(type)) {
        v =
            new ByteString(
                value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8));
      }
      return rex.makeLiteral(v, type, true);
    } catch (RuntimeException e) {
      throw new PlannerException(
          PlannerErrorCode.DATATYPE_MISMATCH,
          "parameter "
              + (index + 1)
              + ": cannot use "
              + value.getClass().getSimpleName()
              + " value '"
              + value
              + "' as "
              + type.getFullTypeString());
    }
  }
}
