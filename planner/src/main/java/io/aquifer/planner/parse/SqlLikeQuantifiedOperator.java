package io.aquifer.planner.parse;

import java.util.List;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code x [NOT] {LIKE | ILIKE} {ANY | SOME | ALL} (p1, p2, ...)}, as the generated parser reads it
 * ({@code LikeQuantified} in {@code parserImpls.ftl}). It binds like {@code LIKE}, and the call it
 * creates is the plain form Spark defines it as: {@code ANY} and {@code SOME} are {@code x LIKE p1
 * OR x LIKE p2 ...}, {@code ALL} is the same with {@code AND}, and {@code NOT} negates each {@code
 * LIKE} ({@code NOT LIKE ANY}: some pattern does not match). NULLs follow from OR and AND as in
 * Spark: no match and a NULL among the patterns gives NULL.
 */
public final class SqlLikeQuantifiedOperator extends SqlBinaryOperator {
  private final SqlOperator like;
  private final boolean all;

  private SqlLikeQuantifiedOperator(String name, SqlOperator like, boolean all) {
    // LIKE's precedence (32), so that a AND x LIKE ANY (...) groups as LIKE does.
    super(name, SqlKind.OTHER, 32, false, null, null, null);
    this.like = like;
    this.all = all;
  }

  /** The operator for one of the eight forms. */
  public static SqlLikeQuantifiedOperator of(
      boolean negated, boolean caseInsensitive, boolean all) {
    SqlOperator like =
        caseInsensitive
            ? (negated ? SqlLibraryOperators.NOT_ILIKE : SqlLibraryOperators.ILIKE)
            : (negated ? SqlStdOperatorTable.NOT_LIKE : SqlStdOperatorTable.LIKE);
    String name =
        (negated ? "NOT " : "") + (caseInsensitive ? "ILIKE " : "LIKE ") + (all ? "ALL" : "ANY");
    return new SqlLikeQuantifiedOperator(name, like, all);
  }

  /** Called with the value and the list of patterns; returns the OR (or AND) of LIKE calls. */
  @Override
  public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos, SqlNode... operands) {
    SqlNode value = operands[0];
    List<SqlNode> patterns = ((SqlNodeList) operands[1]).getList();
    SqlOperator combine = all ? SqlStdOperatorTable.AND : SqlStdOperatorTable.OR;
    SqlCall result = null;
    for (SqlNode pattern : patterns) {
      SqlCall one = like.createCall(pos, value, pattern);
      result = result == null ? one : combine.createCall(pos, result, one);
    }
    return result;
  }
}
