package io.aquifer.gateway.execution;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.calcite.CalciteTypes;
import io.aquifer.planner.functions.CheckConstraintViolation;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Generated columns ({@code b INT GENERATED ALWAYS AS (a * 2)}) as Delta keeps them: the column's
 * {@code delta.generationExpression}. CREATE TABLE checks an expression as Databricks does; every
 * write (INSERT, UPDATE, MERGE, COPY INTO) computes the column: a row that gives it NULL (a column
 * list or a file that leaves it out, an UPDATE that does not assign it) gets the expression's
 * value, and a row that gives it another value fails the statement with {@code
 * DELTA_VIOLATE_CONSTRAINT_WITH_VALUES} (23001) on the constraint {@code Generated Column}, as in
 * Delta.
 */
final class GeneratedColumnValues {
  /** The name Delta gives the check of a generated column's written value. */
  static final String CONSTRAINT = "Generated Column";

  private GeneratedColumnValues() {}

  /**
   * Checks a new table's generated columns: each expression must be a deterministic expression of
   * the table's other, not generated, columns, without subqueries or aggregates, whose type is the
   * column's (or widens to it).
   */
  static void check(QueryPlanner planner, TableSchema schema) {
    for (Column column : schema.columns()) {
      if (column.generationExpression().isEmpty()) {
        continue;
      }
      compile(planner, column, schema);
    }
  }

  /** A generated column's expression planned over the table's row. */
  private static CheckConstraintEnforcer.Compiled compile(
      QueryPlanner planner, Column column, TableSchema schema) {
    String expression = column.generationExpression().orElseThrow();
    Set<String> named;
    try {
      named = CheckConstraintEnforcer.identifiers(planner, expression);
    } catch (PlannerException e) {
      throw unsupported(column, expression);
    }
    for (Column other : schema.columns()) {
      if (other.generationExpression().isPresent()
          && named.contains(other.name().toLowerCase(Locale.ROOT))) {
        throw references(column, expression);
      }
    }
    CheckConstraintEnforcer.Compiled compiled;
    try {
      compiled =
          CheckConstraintEnforcer.plan(
              planner,
              column.name(),
              expression,
              schema,
              (why, aggregate) ->
                  aggregate
                      ? GatewayErrorCode.DELTA_AGGREGATE_IN_GENERATED_COLUMN.exception(
                          "Found "
                              + expression
                              + ". A generated column cannot use an aggregate expression (column "
                              + column.name()
                              + ")")
                      : unsupported(column, expression));
    } catch (PlannerException e) {
      if (e.code() == PlannerErrorCode.UNRESOLVED_COLUMN) {
        throw references(column, expression);
      }
      throw e;
    }
    RexNode value = compiled.condition();
    if (RexUtil.SubQueryFinder.find(List.of(value)) != null) {
      throw unsupported(column, expression);
    }
    if (!RexUtil.isDeterministic(value)) {
      throw GatewayErrorCode.DELTA_NON_DETERMINISTIC_EXPRESSION_IN_GENERATED_COLUMN.exception(
          "Found "
              + expression
              + ". A generated column cannot use a non deterministic expression (column "
              + column.name()
              + ")");
    }
    RelDataType want =
        CalciteTypes.toCalcite(
            new org.apache.calcite.sql.type.SqlTypeFactoryImpl(
                io.aquifer.planner.calcite.AquiferTypeSystem.INSTANCE),
            column.type(),
            true);
    if (!fits(want, value.getType())) {
      throw GatewayErrorCode.DELTA_GENERATED_COLUMNS_EXPR_TYPE_MISMATCH.exception(
          "The expression type of the generated column "
              + column.name()
              + " is "
              + typeName(value.getType())
              + ", but the column type is "
              + column.type().sql());
    }
    return compiled;
  }

  /** Whether an expression of type {@code from} may fill a column of type {@code to}. */
  private static boolean fits(RelDataType to, RelDataType from) {
    if (from.getSqlTypeName() == SqlTypeName.NULL) {
      return true;
    }
    if (to.getSqlTypeName() == SqlTypeName.DECIMAL) {
      // As Delta (Cast.canUpCast): the column's decimal must hold every value of the expression's
      // type without loss, i.e. as many integer digits and as many fraction digits.
      if (from.getSqlTypeName() == SqlTypeName.DECIMAL) {
        return from.getScale() <= to.getScale()
            && from.getPrecision() - from.getScale() <= to.getPrecision() - to.getScale();
      }
      int digits = integralDigits(from.getSqlTypeName());
      if (digits > 0) {
        return digits <= to.getPrecision() - to.getScale();
      }
    }
    if (SqlTypeUtil.sameNamedType(to, from)
        || to.getSqlTypeName() == from.getSqlTypeName()
        || to.getSqlTypeName().getFamily() == SqlTypeFamily.CHARACTER
            && from.getSqlTypeName().getFamily() == SqlTypeFamily.CHARACTER) {
      return true;
    }
    return SqlTypeUtil.isNumeric(to)
        && SqlTypeUtil.isNumeric(from)
        && widens(from.getSqlTypeName(), to.getSqlTypeName());
  }

  /** Decimal digits an integral type needs (Spark's DecimalType.forType), 0 if not integral. */
  private static int integralDigits(SqlTypeName type) {
    switch (type) {
      case TINYINT:
        return 3;
      case SMALLINT:
        return 5;
      case INTEGER:
        return 10;
      case BIGINT:
        return 20;
      default:
        return 0;
    }
  }

  private static String typeName(RelDataType type) {
    try {
      return CalciteTypes.fromCalcite(type).sql();
    } catch (RuntimeException e) {
      return type.getSqlTypeName().getName();
    }
  }

  private static final List<SqlTypeName> NUMERIC_ORDER =
      List.of(
          SqlTypeName.TINYINT,
          SqlTypeName.SMALLINT,
          SqlTypeName.INTEGER,
          SqlTypeName.BIGINT,
          SqlTypeName.DECIMAL,
          SqlTypeName.FLOAT,
          SqlTypeName.REAL,
          SqlTypeName.DOUBLE);

  private static boolean widens(SqlTypeName from, SqlTypeName to) {
    int f = NUMERIC_ORDER.indexOf(from);
    int t = NUMERIC_ORDER.indexOf(to);
    return f >= 0 && t >= 0 && f <= t;
  }

  /**
   * {@code rel} (one column per column of {@code schema}, in order) with each generated column
   * computed: NULL becomes the expression's value, a value equal to it (NULL-safe) stays, any other
   * value fails the statement. {@code rel} itself when the table has no generated column.
   */
  static RelNode compute(StatementContext ctx, RelNode rel, TableSchema schema) {
    if (schema.columns().stream().noneMatch(c -> c.generationExpression().isPresent())) {
      return rel;
    }
    RexBuilder rex = rel.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    for (int i = 0; i < schema.columns().size(); i++) {
      Column column = schema.columns().get(i);
      RexNode written = rex.makeInputRef(rel, i);
      if (column.generationExpression().isEmpty()) {
        projects.add(written);
        continue;
      }
      CheckConstraintEnforcer.Compiled compiled = compile(ctx.newPlanner(), column, schema);
      RelDataType type = written.getType();
      RexNode value =
          rex.makeCast(type, CheckConstraintEnforcer.overWrite(rex, rel, compiled), true, false);
      List<Integer> shown = new ArrayList<>();
      shown.add(i);
      shown.addAll(compiled.columns());
      CheckConstraintEnforcer.Compiled check =
          new CheckConstraintEnforcer.Compiled(
              CONSTRAINT,
              column.name() + " <=> (" + compiled.expression() + ")",
              compiled.condition(),
              shown);
      projects.add(
          rex.makeCall(
              SqlStdOperatorTable.CASE,
              rex.makeCall(SqlStdOperatorTable.IS_NULL, written),
              value,
              rex.makeCall(SqlStdOperatorTable.IS_NOT_DISTINCT_FROM, written, value),
              written,
              rex.makeCall(
                  type,
                  CheckConstraintViolation.FUNCTION,
                  List.of(CheckConstraintEnforcer.message(rex, rel, check, schema), written))));
    }
    return LogicalProject.create(
        rel, List.of(), projects, rel.getRowType().getFieldNames(), Set.of());
  }

  private static RuntimeException references(Column column, String expression) {
    return GatewayErrorCode.DELTA_INVALID_GENERATED_COLUMN_REFERENCES.exception(
        "A generated column cannot use a non-existent column or another generated column (column "
            + column.name()
            + ", "
            + expression
            + ")");
  }

  private static RuntimeException unsupported(Column column, String expression) {
    return GatewayErrorCode.DELTA_UNSUPPORTED_EXPRESSION_GENERATED_COLUMN.exception(
        "The expression "
            + expression
            + " of generated column "
            + column.name()
            + " is not supported: a generated column takes a deterministic expression of the"
            + " table's other columns, without subqueries");
  }
}
