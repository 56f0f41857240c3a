package io.aquifer.planner.calcite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Spark's {@code grouping_id()} without arguments means the grouping id of all the grouping
 * columns, in the order GROUP BY names them (through CUBE, ROLLUP and GROUPING SETS): {@code SELECT
 * grouping_id() ... GROUP BY cube(a, b)} is {@code grouping_id(a, b)}. Calcite needs them spelled
 * out, so they are, in each SELECT's list, HAVING and ORDER BY, before validation.
 */
public final class GroupingIdRewriter {
  private GroupingIdRewriter() {}

  /** Rewrites every {@code grouping_id()} of the tree in place. */
  public static void rewrite(SqlNode node) {
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect select && select.getGroup() != null) {
              rewriteSelect(select);
            }
            return super.visit(call);
          }
        });
  }

  private static void rewriteSelect(SqlSelect select) {
    Map<String, SqlNode> columns = new LinkedHashMap<>();
    for (SqlNode item : select.getGroup()) {
      collect(item, columns);
    }
    if (columns.isEmpty()) {
      return;
    }
    SqlShuttle shuttle =
        new SqlShuttle() {
          @Override
          public SqlNode visit(SqlCall call) {
            if (call instanceof SqlSelect) {
              return call; // a sub-query has its own GROUP BY
            }
            if (call.operandCount() == 0
                && call.getOperator().getName().toUpperCase(Locale.ROOT).equals("GROUPING_ID")) {
              List<SqlNode> operands = new ArrayList<>();
              columns.values().forEach(c -> operands.add(c.clone(c.getParserPosition())));
              return call.getOperator().createCall(call.getParserPosition(), operands);
            }
            return super.visit(call);
          }
        };
    select.setSelectList((SqlNodeList) select.getSelectList().accept(shuttle));
    if (select.getHaving() != null) {
      select.setHaving(select.getHaving().accept(shuttle));
    }
    if (select.getOrderList() != null) {
      select.setOrderBy((SqlNodeList) select.getOrderList().accept(shuttle));
    }
  }

  /** The grouping columns of one GROUP BY item, flattened, each once. */
  private static void collect(SqlNode item, Map<String, SqlNode> columns) {
    if (item instanceof SqlCall call
        && (call.getKind() == SqlKind.CUBE
            || call.getKind() == SqlKind.ROLLUP
            || call.getKind() == SqlKind.GROUPING_SETS
            || call.getKind() == SqlKind.ROW)) {
      for (SqlNode operand : call.getOperandList()) {
        collect(operand, columns);
      }
    } else if (item instanceof SqlNodeList list) {
      for (SqlNode operand : list) {
        collect(operand, columns);
      }
    } else if (item != null) {
      columns.putIfAbsent(item.toString(), item);
    }
  }
}
