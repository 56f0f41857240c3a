package io.aquifer.gateway.execution;

import io.aquifer.catalog.TableName;
import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.calcite.AquiferTypeSystem;
import io.aquifer.planner.calcite.CalciteTypes;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.StatementParser;
import io.aquifer.storage.types.Column;
import java.util.Optional;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Column {@code DEFAULT} values, as Delta keeps them: SQL text in the column's {@code
 * CURRENT_DEFAULT} metadata. A default is checked when it is set (a constant expression of a type
 * the column takes, no column references or subqueries) and becomes {@code CAST((default) AS type)}
 * wherever a write leaves the column out or names {@code DEFAULT} (INSERT, UPDATE SET, MERGE).
 */
final class ColumnDefaultValues {
  private static final SqlParserPos POS = SqlParserPos.ZERO;

  private ColumnDefaultValues() {}

  /**
   * The value a write puts into {@code column} for {@code DEFAULT} or an omitted column: its
   * default cast to the column's type, or a typed NULL when it has none.
   */
  static SqlNode value(QueryPlanner planner, Column column) {
    SqlNode value =
        column.defaultValue().isPresent()
            ? expression(planner, column.defaultValue().get(), column.name())
            : SqlLiteral.createNull(POS);
    return SqlStdOperatorTable.CAST.createCall(POS, value, typeSpec(column));
  }

  /** Whether a write names {@code DEFAULT} as the value (VALUES row, SET c = DEFAULT). */
  static boolean isDefault(SqlNode node) {
    return node != null && node.getKind() == SqlKind.DEFAULT;
  }

  /**
   * Checks a default being set on {@code column} of {@code table}: it parses as one expression,
   * refers to no column and holds no subquery, and its type converts to the column's.
   */
  static void check(QueryPlanner planner, TableName table, Column column, String text) {
    SqlNode expression;
    try {
      expression = expression(planner, text, column.name());
    } catch (PlannerException e) {
      throw invalid(
          "UNRESOLVED_EXPRESSION",
          column,
          table,
          text,
          "it is not an expression: " + e.getMessage(),
          e);
    }
    boolean[] subquery = {false};
    expression.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect || call.getKind() == SqlKind.SELECT) {
              subquery[0] = true;
              return null;
            }
            return super.visit(call);
          }
        });
    if (subquery[0]) {
      throw invalid(
          "SUBQUERY_EXPRESSION", column, table, text, "it contains a subquery expression", null);
    }
    RelDataType type;
    try {
      type = planner.validateQuery(selectOf(expression)).getFieldList().get(0).getType();
    } catch (PlannerException e) {
      throw invalid(
          "UNRESOLVED_EXPRESSION",
          column,
          table,
          text,
          "it is not a constant expression: " + e.getMessage(),
          e);
    }
    RelDataType to =
        CalciteTypes.toCalcite(
            new SqlTypeFactoryImpl(AquiferTypeSystem.INSTANCE), column.type(), true);
    if (!SqlTypeUtil.canCastFrom(to, type, true)) {
      throw invalid(
          "DATA_TYPE",
          column,
          table,
          text,
          "its type " + type.getFullTypeString() + " does not convert to " + column.type().sql(),
          null);
    }
  }

  /** The default's text as an expression: parsed as the select item of {@code SELECT <text>}. */
  private static SqlNode expression(QueryPlanner planner, String text, String column) {
    ParsedStatement parsed = StatementParser.parse("SELECT " + text);
    if (parsed instanceof ParsedStatement.Query query
        && planner.parse(query.calciteSql()) instanceof SqlSelect select
        && select.getFrom() == null
        && select.getWhere() == null
        && select.getGroup() == null
        && select.getSelectList().size() == 1) {
      SqlNode item = select.getSelectList().get(0);
      return item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
    }
    throw new PlannerException(
        io.aquifer.planner.PlannerErrorCode.PARSE_SYNTAX_ERROR,
        "the DEFAULT of column " + column + " is not one expression: " + text);
  }

  private static SqlSelect selectOf(SqlNode expression) {
    return new SqlSelect(
        POS,
        null,
        org.apache.calcite.sql.SqlNodeList.of(expression),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static SqlDataTypeSpec typeSpec(Column column) {
    return SqlTypeUtil.convertTypeToSpec(
        CalciteTypes.toCalcite(
            new SqlTypeFactoryImpl(AquiferTypeSystem.INSTANCE), column.type(), true));
  }

  private static GatewayException invalid(
      String subclass, Column column, TableName table, String text, String why, Throwable cause) {
    return new GatewayException(
        "INVALID_DEFAULT_VALUE." + subclass,
        "42623",
        ErrorCategory.INVALID_ARGUMENT,
        "Failed to execute the command because the destination column or variable `"
            + column.name()
            + "` of "
            + table
            + " has a DEFAULT value "
            + text
            + ", which is invalid: "
            + why,
        Optional.empty(),
        cause);
  }
}
