package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * The Databricks statements that Aquifer's generated parser reads ({@code statementParserMethods}
 * in {@code planner/src/main/codegen/config.fmpp}): {@link StatementParser} hands their text here
 * and gets the same {@link ParsedStatement} the hand-written parsers give, with syntax errors as
 * {@link PlannerErrorCode#PARSE_SYNTAX_ERROR} at the offending token.
 */
final class GrammarStatementParser {
  private GrammarStatementParser() {}

  /** Parses {@code sql} (positions as in the statement) with the generated parser. */
  static ParsedStatement parse(String sql) {
    SqlNode node;
    try {
      node = SqlParser.create(NonReservedWords.quote(sql), QueryPlanner.parserConfig()).parseStmt();
    } catch (SqlParseException e) {
      SqlParserPos pos = e.getPos();
      String message = e.getMessage() == null ? "syntax error" : e.getMessage();
      int newline = message.indexOf('\n');
      throw new PlannerException(
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          newline < 0 ? message : message.substring(0, newline),
          pos == null ? 0 : pos.getLineNum(),
          pos == null ? 0 : pos.getColumnNum(),
          e);
    }
    if (node instanceof SqlDescribeHistory history) {
      return describeHistory(history);
    }
    if (node instanceof SqlShowPartitions show) {
      return new ParsedStatement.ShowPartitions(show.table().names);
    }
    throw new PlannerException(
        PlannerErrorCode.PARSE_SYNTAX_ERROR,
        "unknown statement starting with '" + node.getKind() + "'",
        node.getParserPosition().getLineNum(),
        node.getParserPosition().getColumnNum(),
        null);
  }

  private static ParsedStatement describeHistory(SqlDescribeHistory history) {
    List<String> table = history.table().names;
    OptionalInt limit = OptionalInt.empty();
    SqlNumericLiteral n = history.limit();
    if (n != null) {
      BigDecimal value = n.getValueAs(BigDecimal.class);
      if (value.scale() > 0 || value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
        throw new PlannerException(
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "expected an integer but found '" + n.toValue() + "'",
            n.getParserPosition().getLineNum(),
            n.getParserPosition().getColumnNum(),
            null);
      }
      limit = OptionalInt.of(value.intValueExact());
    }
    return new ParsedStatement.DescribeHistory(table, limit);
  }
}
