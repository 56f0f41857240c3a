package io.aquifer.planner.calcite;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Databricks' three-argument {@code dateadd(unit, value, expr)} and {@code date_add(unit, value,
 * expr)} are {@code timestampadd(unit, value, expr)}; their two-argument forms (days) stay catalog
 * functions. Calcite's parser reads the unit of {@code dateadd} as a name, so the call becomes
 * Calcite's TIMESTAMPADD with the unit as an interval qualifier, in place, before validation. WEEK
 * and QUARTER, here and in {@code timestampadd}, become 7 days and 3 months.
 */
public final class TimestampAddRewriter {
  private static final Set<String> NAMES = Set.of("DATEADD", "DATE_ADD");

  private TimestampAddRewriter() {}

  /** Rewrites every three-argument dateadd/date_add of the tree in place. */
  public static void rewrite(SqlNode node) {
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            for (int i = 0; i < call.operandCount(); i++) {
              SqlNode operand = call.operand(i);
              Optional<SqlCall> replacement = timestampAdd(operand);
              if (replacement.isPresent()) {
                try {
                  call.setOperand(i, replacement.get());
                } catch (UnsupportedOperationException e) {
                  // A call that keeps its operands fixed; its argument stays as written.
                }
              }
            }
            return super.visit(call);
          }

          @Override
          public Void visit(SqlNodeList list) {
            for (int i = 0; i < list.size(); i++) {
              int index = i;
              timestampAdd(list.get(i)).ifPresent(r -> list.set(index, r));
            }
            return super.visit(list);
          }
        });
  }

  private static Optional<SqlCall> timestampAdd(SqlNode node) {
    if (!(node instanceof SqlCall call) || call.operandCount() != 3) {
      return Optional.empty();
    }
    boolean named = NAMES.contains(call.getOperator().getName().toUpperCase(Locale.ROOT));
    if (!named
        && call.getKind() == SqlKind.TIMESTAMP_ADD
        && call.operand(0) instanceof SqlIntervalQualifier q
        && q.timeFrameName == null) {
      // The engine's compiled form counts WEEK and QUARTER in days and months once more than it
      // should (2 weeks became 14); they go as days and months.
      if (q.timeUnitRange.startUnit == TimeUnit.WEEK) {
        return Optional.of(scaled(call, TimeUnit.DAY, 7));
      }
      if (q.timeUnitRange.startUnit == TimeUnit.QUARTER) {
        return Optional.of(scaled(call, TimeUnit.MONTH, 3));
      }
      return Optional.empty();
    }
    if (!named) {
      return Optional.empty();
    }
    SqlNode unit = call.operand(0);
    SqlIntervalQualifier qualifier;
    if (unit instanceof SqlIntervalQualifier q) {
      qualifier = q;
    } else if (unit instanceof SqlIdentifier id && id.isSimple()) {
      Optional<TimeUnit> timeUnit = timeUnit(id.getSimple());
      if (timeUnit.isEmpty()) {
        return Optional.empty();
      }
      qualifier = new SqlIntervalQualifier(timeUnit.get(), null, id.getParserPosition());
    } else {
      return Optional.empty();
    }
    SqlCall add =
        SqlStdOperatorTable.TIMESTAMP_ADD.createCall(
            call.getParserPosition(), qualifier, call.operand(1), call.operand(2));
    return Optional.of(timestampAdd(add).orElse(add));
  }

  private static SqlCall scaled(SqlCall add, TimeUnit unit, int factor) {
    SqlParserPos pos = add.getParserPosition();
    SqlNode amount =
        SqlStdOperatorTable.MULTIPLY.createCall(
            pos, add.operand(1), SqlLiteral.createExactNumeric(Integer.toString(factor), pos));
    return SqlStdOperatorTable.TIMESTAMP_ADD.createCall(
        pos, new SqlIntervalQualifier(unit, null, pos), amount, add.operand(2));
  }

  private static Optional<TimeUnit> timeUnit(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (upper.equals("DAYOFYEAR")) {
      return Optional.of(TimeUnit.DAY);
    }
    try {
      TimeUnit unit = TimeUnit.valueOf(upper);
      return switch (unit) {
        case YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND ->
            Optional.of(unit);
        default -> Optional.empty();
      };
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
