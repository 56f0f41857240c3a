package io.aquifer.planner.parse;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW PARTITIONS t}, as the generated parser ({@code parserImpls.ftl}) reads it. */
public final class SqlShowPartitions extends SqlCall {
  static final SqlOperator OPERATOR = new SqlSpecialOperator("SHOW PARTITIONS", SqlKind.OTHER);

  private final SqlIdentifier table;

  public SqlShowPartitions(SqlParserPos pos, SqlIdentifier table) {
    super(pos);
    this.table = requireNonNull(table, "table");
  }

  public SqlIdentifier table() {
    return table;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(table);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW");
    writer.keyword("PARTITIONS");
    table.unparse(writer, leftPrec, rightPrec);
  }
}
