package io.aquifer.gateway.execution;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.functions.CheckConstraintViolation;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.StatementParser;
import io.aquifer.storage.delta.CheckConstraints;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * CHECK constraints on writes, as Delta enforces them: every row an INSERT, UPDATE, MERGE or COPY
 * INTO writes must not make a constraint's expression false (NULL passes). The write's plan gets a
 * projection that fails the statement on the first violating row with Databricks' {@code
 * DELTA_VIOLATE_CONSTRAINT_WITH_VALUES} (23001), naming the constraint and the values of the
 * columns it reads, so nothing is committed.
 *
 * <p>A constraint's expression (Spark SQL text, as Delta keeps it) is planned over a one-row VALUES
 * of typed NULLs that stands for the table's row, without the catalog: row filters and column masks
 * do not apply to it. The columns it reads are then the write's own columns.
 */
final class CheckConstraintEnforcer {
  private static final String ROW = "__aquifer_row";

  private CheckConstraintEnforcer() {}

  /** A constraint compiled over a row of the table's schema. */
  record Compiled(String name, String expression, RexNode condition, List<Integer> columns) {}

  /**
   * The constraints of the version a write read: name to expression (empty when it has none). A
   * constraint added or dropped after that version makes the write's commit conflict.
   */
  static Map<String, String> of(StatementContext ctx, URI location, long version) {
    return CheckConstraints.of(ctx.deltaTables().properties(location, version));
  }

  /**
   * {@code rel} (one column per column of {@code schema}, in order) with its first column wrapped
   * so that a row violating a constraint fails the statement; {@code rel} itself when there are
   * none.
   */
  static RelNode enforce(
      StatementContext ctx, RelNode rel, TableSchema schema, Map<String, String> constraints) {
    if (constraints.isEmpty()) {
      return rel;
    }
    if (rel.getRowType().getFieldCount() != schema.columns().size()) {
      throw new IllegalStateException(
          "a write of "
              + rel.getRowType().getFieldCount()
              + " columns into a table of "
              + schema.columns().size());
    }
    RexBuilder rex = rel.getCluster().getRexBuilder();
    List<RexNode> caseOperands = new ArrayList<>();
    RelDataType firstType = rel.getRowType().getFieldList().get(0).getType();
    RexNode first = rex.makeInputRef(rel, 0);
    for (Map.Entry<String, String> c : constraints.entrySet()) {
      Compiled compiled = compile(ctx.newPlanner(), c.getKey(), c.getValue(), schema);
      RexNode condition = overWrite(rex, rel, compiled);
      caseOperands.add(rex.makeCall(SqlStdOperatorTable.IS_FALSE, condition));
      caseOperands.add(
          rex.makeCall(
              firstType,
              CheckConstraintViolation.FUNCTION,
              List.of(message(rex, rel, compiled, schema), first)));
    }
    caseOperands.add(first);
    List<RexNode> projects = new ArrayList<>();
    projects.add(rex.makeCall(firstType, SqlStdOperatorTable.CASE, caseOperands));
    for (int i = 1; i < schema.columns().size(); i++) {
      projects.add(rex.makeInputRef(rel, i));
    }
    return LogicalProject.create(
        rel, List.of(), projects, rel.getRowType().getFieldNames(), Set.of());
  }

  /**
   * Plans a constraint's expression over the table's row; fails as Databricks does when it is not a
   * deterministic BOOLEAN expression of the table's columns without subqueries or aggregates.
   */
  static Compiled compile(
      QueryPlanner planner, String name, String expression, TableSchema schema) {
    Compiled planned =
        plan(planner, name, expression, schema, (why, aggregate) -> invalid(name, expression, why));
    RexNode condition = planned.condition();
    if (condition.getType().getSqlTypeName() != SqlTypeName.BOOLEAN
        && condition.getType().getSqlTypeName() != SqlTypeName.NULL) {
      throw GatewayErrorCode.DELTA_NON_BOOLEAN_CHECK_CONSTRAINT.exception(
          "CHECK constraint '" + name + "' (" + expression + ") should be a boolean expression");
    }
    if (RexUtil.SubQueryFinder.find(List.of(condition)) != null) {
      throw GatewayErrorCode.INVALID_CHECK_CONSTRAINT.exception(
          "[SUBQUERY_EXPRESSION] CHECK constraint '"
              + name
              + "' ("
              + expression
              + ") cannot hold a subquery");
    }
    if (!RexUtil.isDeterministic(condition)) {
      throw GatewayErrorCode.INVALID_CHECK_CONSTRAINT.exception(
          "[NONDETERMINISTIC_EXPRESSION] CHECK constraint '"
              + name
              + "' ("
              + expression
              + ") must be deterministic");
    }
    return planned;
  }

  /** How a caller reports an expression that is not one of a row (an aggregate when flagged). */
  interface Invalid {
    RuntimeException of(String why, boolean aggregate);
  }

  /**
   * Plans an expression over a row of the table's schema (the columns it names, as typed NULLs);
   * the result's {@code condition} is the expression, of any type.
   */
  static Compiled plan(
      QueryPlanner planner, String name, String expression, TableSchema schema, Invalid invalid) {
    Set<String> named = identifiers(planner, expression);
    List<Integer> included = new ArrayList<>();
    List<String> values = new ArrayList<>();
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < schema.columns().size(); i++) {
      Column column = schema.columns().get(i);
      if (named.contains(column.name().toLowerCase(Locale.ROOT))) {
        included.add(i);
        values.add("CAST(NULL AS " + column.type().sql() + ")");
        aliases.add(quote(column.name()));
      }
    }
    if (included.isEmpty()) {
      values.add("NULL");
      aliases.add(quote(ROW + "_none"));
    }
    String sql =
        "SELECT ("
            + expression
            + ") FROM (VALUES ("
            + String.join(", ", values)
            + ")) AS "
            + ROW
            + "("
            + String.join(", ", aliases)
            + ")";
    ParsedStatement parsed = StatementParser.parse(sql);
    if (!(parsed instanceof ParsedStatement.Query query)) {
      throw invalid.of("it is not an expression", false);
    }
    RelNode rel = planner.plan(planner.parse(query.calciteSql())).rel();
    if (!(rel instanceof LogicalProject project)
        || !(project.getInput() instanceof LogicalValues)
        || project.getProjects().size() != 1) {
      boolean aggregate = rel instanceof Aggregate || rel.getInput(0) instanceof Aggregate;
      throw invalid.of(
          aggregate ? "it holds an aggregate function" : "it is not an expression of one row",
          aggregate);
    }
    return new Compiled(name, expression, project.getProjects().get(0), included);
  }

  /** The compiled condition with its column references turned into the write's columns. */
  static RexNode overWrite(RexBuilder rex, RelNode rel, Compiled compiled) {
    return compiled
        .condition()
        .accept(
            new RexShuttle() {
              @Override
              public RexNode visitInputRef(RexInputRef ref) {
                if (compiled.columns().isEmpty()) {
                  return ref;
                }
                int column = compiled.columns().get(ref.getIndex());
                RexNode written = rex.makeInputRef(rel, column);
                RelDataType want =
                    rex.getTypeFactory().createTypeWithNullability(ref.getType(), true);
                return written.getType().getSqlTypeName() == want.getSqlTypeName()
                        && written.getType().getPrecision() == want.getPrecision()
                        && written.getType().getScale() == want.getScale()
                    ? written
                    : rex.makeCast(want, written, true, false);
              }
            });
  }

  /**
   * Databricks' message: {@code CHECK constraint c (expr) violated by row with values: - a : 1}
   * (the values of the columns the constraint reads, {@code null} for NULL).
   */
  static RexNode message(RexBuilder rex, RelNode rel, Compiled compiled, TableSchema schema) {
    RelDataType text =
        rex.getTypeFactory()
            .createTypeWithNullability(
                rex.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), false);
    RexNode message =
        rex.makeLiteral(
            "CHECK constraint "
                + compiled.name()
                + " ("
                + compiled.expression()
                + ") violated by row with values:");
    for (int column : compiled.columns()) {
      RexNode value =
          rex.makeCall(
              SqlStdOperatorTable.COALESCE,
              rex.makeCast(
                  rex.getTypeFactory()
                      .createTypeWithNullability(
                          rex.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), true),
                  rex.makeInputRef(rel, column),
                  true,
                  false),
              rex.makeLiteral("null"));
      message =
          rex.makeCall(
              SqlStdOperatorTable.CONCAT,
              rex.makeCall(
                  SqlStdOperatorTable.CONCAT,
                  message,
                  rex.makeLiteral(" - " + schema.columns().get(column).name() + " : ")),
              value);
    }
    return rex.makeCast(text, message, true, false);
  }

  /** Lower-case names of the identifiers an expression mentions (any part of a compound name). */
  static Set<String> identifiers(QueryPlanner planner, String expression) {
    ParsedStatement parsed;
    try {
      parsed = StatementParser.parse("SELECT (" + expression + ")");
    } catch (PlannerException e) {
      throw invalid("", expression, "it is not an expression: " + e.getMessage());
    }
    Set<String> names = new HashSet<>();
    if (parsed instanceof ParsedStatement.Query query) {
      SqlNode node = planner.parse(query.calciteSql());
      node.accept(
          new SqlBasicVisitor<Void>() {
            @Override
            public Void visit(SqlIdentifier id) {
              for (String part : id.names) {
                names.add(part.toLowerCase(Locale.ROOT));
              }
              return null;
            }
          });
    }
    return names;
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static RuntimeException invalid(String name, String expression, String why) {
    return new PlannerException(
        PlannerErrorCode.INVALID_STATEMENT,
        "CHECK constraint " + name + " (" + expression + ") is invalid: " + why);
  }
}
