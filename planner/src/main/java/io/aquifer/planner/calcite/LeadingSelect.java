package io.aquifer.planner.calcite;

import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;

/**
 * The SELECT whose select list names a query's result columns: the query itself, or the one under
 * its ORDER BY, or the first branch of a UNION/INTERSECT/EXCEPT (and, if asked, the body of a
 * WITH).
 */
public final class LeadingSelect {
  private LeadingSelect() {}

  /**
   * @param throughWith whether a WITH's body counts (for a parsed statement); without it a WITH
   *     query has no leading SELECT
   */
  public static Optional<SqlSelect> of(SqlNode query, boolean throughWith) {
    SqlNode q = query;
    while (true) {
      if (q instanceof SqlOrderBy orderBy) {
        q = orderBy.query;
      } else if (throughWith && q instanceof SqlWith with) {
        q = with.body;
      } else if (q instanceof SqlCall call
          && call.getKind().belongsTo(SqlKind.SET_QUERY)
          && call.operandCount() > 0) {
        q = call.operand(0);
      } else {
        break;
      }
    }
    return q instanceof SqlSelect select ? Optional.of(select) : Optional.empty();
  }
}
