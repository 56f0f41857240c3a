package io.aquifer.planner.parse;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code DESCRIBE HISTORY t [LIMIT n]}, as the generated parser ({@code parserImpls.ftl}) reads it:
 * a table's Delta commits, newest first.
 */
public final class SqlDescribeHistory extends SqlCall {
  static final SqlOperator OPERATOR = new SqlSpecialOperator("DESCRIBE HISTORY", SqlKind.OTHER);

  private final SqlIdentifier table;
  private final SqlNumericLiteral limit;

  public SqlDescribeHistory(SqlParserPos pos, SqlIdentifier table, SqlNumericLiteral limit) {
    super(pos);
    this.table = requireNonNull(table, "table");
    this.limit = limit;
  }

  public SqlIdentifier table() {
    return table;
  }

  /** The LIMIT, or null. */
  public SqlNumericLiteral limit() {
    return limit;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(table, limit);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DESCRIBE");
    writer.keyword("HISTORY");
    table.unparse(writer, leftPrec, rightPrec);
    if (limit != null) {
      writer.keyword("LIMIT");
      limit.unparse(writer, leftPrec, rightPrec);
    }
  }
}
