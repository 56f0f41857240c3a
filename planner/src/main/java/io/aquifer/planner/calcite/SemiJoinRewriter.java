package io.aquifer.planner.calcite;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Databricks' {@code LEFT SEMI JOIN} and {@code LEFT ANTI JOIN}: the left side's rows that have
 * (have no) match on the right; only the left side's columns are visible afterwards. Calcite parses
 * both but can neither scope nor convert them, so they become {@code [NOT] EXISTS} conditions of
 * the enclosing SELECT before validation:
 *
 * <pre>
 * SELECT ... FROM l LEFT SEMI JOIN r ON c [JOIN d ON c2] WHERE w
 * SELECT ... FROM l [JOIN d ON c2] WHERE w AND EXISTS (SELECT 1 FROM r WHERE c)
 * </pre>
 *
 * This is exact wherever the semi join sits on the left spine of the FROM clause below inner, left
 * and cross joins only (the EXISTS condition depends on the left side alone, which those joins
 * preserve). Anywhere else (the right side of a join, under a RIGHT or FULL join) it is refused
 * with UNSUPPORTED_FEATURE; a subquery {@code (SELECT * FROM l LEFT SEMI JOIN r ON c)} works there.
 */
public final class SemiJoinRewriter {
  private SemiJoinRewriter() {}

  /** Rewrites every semi and anti join of the tree in place. */
  public static void rewrite(SqlNode node) {
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect select && select.getFrom() != null) {
              rewriteSelect(select);
            }
            if (call instanceof SqlJoin join && isSemiOrAnti(join.getJoinType())) {
              throw refuse(join, "only on the left side of the FROM clause's joins");
            }
            return super.visit(call);
          }
        });
  }

  private static boolean isSemiOrAnti(JoinType type) {
    return type == JoinType.LEFT_SEMI_JOIN || type == JoinType.LEFT_ANTI_JOIN;
  }

  private static void rewriteSelect(SqlSelect select) {
    List<SqlNode> conditions = new ArrayList<>();
    SqlNode from = strip(select.getFrom(), conditions);
    if (conditions.isEmpty()) {
      return;
    }
    select.setFrom(from);
    SqlNode where = select.getWhere();
    for (SqlNode condition : conditions) {
      where =
          where == null
              ? condition
              : SqlStdOperatorTable.AND.createCall(condition.getParserPosition(), where, condition);
    }
    select.setWhere(where);
  }

  /** The FROM item without the semi and anti joins of its left spine, their conditions added. */
  private static SqlNode strip(SqlNode node, List<SqlNode> conditions) {
    if (!(node instanceof SqlJoin join)) {
      return node;
    }
    JoinType type = join.getJoinType();
    if (isSemiOrAnti(type)) {
      SqlNode left = strip(join.getLeft(), conditions);
      conditions.add(exists(join));
      return left;
    }
    if (type == JoinType.INNER
        || type == JoinType.LEFT
        || type == JoinType.CROSS
        || type == JoinType.COMMA) {
      join.setLeft(strip(join.getLeft(), conditions));
    }
    return join;
  }

  private static SqlNode exists(SqlJoin join) {
    SqlParserPos pos = join.getParserPosition();
    if (join.isNatural()) {
      throw refuse(join, "with an ON or USING condition, not NATURAL");
    }
    SqlNode condition = null;
    if (join.getConditionType() == JoinConditionType.ON) {
      condition = join.getCondition();
    } else if (join.getConditionType() == JoinConditionType.USING) {
      String left = qualifier(join, join.getLeft());
      String right = qualifier(join, join.getRight());
      for (SqlNode column : (SqlNodeList) java.util.Objects.requireNonNull(join.getCondition())) {
        String name = ((SqlIdentifier) column).getSimple();
        SqlNode equal =
            SqlStdOperatorTable.EQUALS.createCall(
                column.getParserPosition(),
                new SqlIdentifier(List.of(left, name), column.getParserPosition()),
                new SqlIdentifier(List.of(right, name), column.getParserPosition()));
        condition =
            condition == null ? equal : SqlStdOperatorTable.AND.createCall(pos, condition, equal);
      }
    }
    SqlSelect probe =
        new SqlSelect(
            pos,
            null,
            SqlNodeList.of(SqlLiteral.createExactNumeric("1", pos)),
            join.getRight(),
            condition,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    SqlNode exists = SqlStdOperatorTable.EXISTS.createCall(pos, probe);
    return join.getJoinType() == JoinType.LEFT_ANTI_JOIN
        ? SqlStdOperatorTable.NOT.createCall(pos, exists)
        : exists;
  }

  /** The name a USING column is qualified with on one side: the alias, else the table's name. */
  private static String qualifier(SqlJoin join, SqlNode side) {
    if (side instanceof SqlBasicCall call && call.getKind() == SqlKind.AS) {
      return ((SqlIdentifier) call.operand(1)).getSimple();
    }
    if (side instanceof SqlIdentifier id) {
      return id.names.get(id.names.size() - 1);
    }
    throw refuse(join, "with USING between two tables or aliased subqueries; write ON instead");
  }

  private static PlannerException refuse(SqlJoin join, String where) {
    SqlParserPos pos = join.getParserPosition();
    String kind = join.getJoinType() == JoinType.LEFT_SEMI_JOIN ? "LEFT SEMI" : "LEFT ANTI";
    return new PlannerException(
        PlannerErrorCode.UNSUPPORTED_FEATURE,
        kind + " JOIN is supported " + where,
        pos.getLineNum(),
        pos.getColumnNum(),
        null);
  }
}
