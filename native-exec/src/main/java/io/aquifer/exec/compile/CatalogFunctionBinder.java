package io.aquifer.exec.compile;

import io.aquifer.planner.functions.CatalogFunction;
import io.aquifer.planner.functions.CatalogScalarFunction;
import io.aquifer.planner.functions.DatabricksFunctionCatalog;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Chooses each catalog function call's DuckDB translation by the types of its arguments ({@code
 * size} of an array or a map, {@code length} of a string or a binary): every call becomes a call of
 * an {@link EngineFunction} that carries its template, which {@link AquiferDuckDbDialect} prints.
 * Databricks' 0-based array subscripts ({@code arr[0]}) become catalog {@code get} calls.
 */
final class CatalogFunctionBinder {
  private CatalogFunctionBinder() {}

  /** A catalog function bound to the template for its arguments' types. */
  static final class EngineFunction extends SqlFunction {
    final CatalogFunction function;
    final String template;

    EngineFunction(CatalogFunction function, String template) {
      super(
          function.name().toUpperCase(java.util.Locale.ROOT),
          SqlKind.OTHER_FUNCTION,
          ReturnTypes.ARG0,
          null,
          null,
          SqlFunctionCategory.SYSTEM);
      this.function = function;
      this.template = template;
    }
  }

  static RelNode apply(RelNode plan) {
    RexShuttle rewrite = new Rewrite(plan.getCluster().getRexBuilder());
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(rewrite);
          }
        });
  }

  /** The DuckDB name of a call's result type, for a template's {@code $R}. */
  static String engineType(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case DECIMAL -> "DECIMAL(" + type.getPrecision() + ", " + Math.max(0, type.getScale()) + ")";
      case TINYINT -> "TINYINT";
      case SMALLINT -> "SMALLINT";
      case INTEGER -> "INTEGER";
      case BIGINT -> "BIGINT";
      case FLOAT, REAL -> "FLOAT";
      case DOUBLE -> "DOUBLE";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
      case VARBINARY, BINARY -> "BLOB";
      case CHAR, VARCHAR -> "VARCHAR";
      default -> throw new IllegalStateException("no engine type for a template's $R: " + type);
    };
  }

  private static final class Rewrite extends RexShuttle {
    private final RexBuilder rex;

    Rewrite(RexBuilder rex) {
      this.rex = rex;
    }

    @Override
    public RexNode visitCall(RexCall call) {
      RexCall visited = (RexCall) super.visitCall(call);
      List<RelDataType> types = visited.getOperands().stream().map(RexNode::getType).toList();
      if (visited.getOperator() instanceof CatalogScalarFunction f) {
        String template = f.template(types);
        if (template != null && template.contains("$R")) {
          template = template.replace("$R", engineType(visited.getType()));
        }
        return rex.makeCall(
            visited.getType(), new EngineFunction(f, template), visited.getOperands());
      }
      if (visited.getKind() == SqlKind.ITEM
          && types.size() == 2
          && types.get(0).getSqlTypeName() == SqlTypeName.ARRAY) {
        CatalogFunction get =
            (CatalogFunction) DatabricksFunctionCatalog.INSTANCE.operator("get").orElseThrow();
        return rex.makeCall(
            visited.getType(), new EngineFunction(get, get.template(types)), visited.getOperands());
      }
      return visited;
    }

    @Override
    public RexNode visitSubQuery(RexSubQuery subQuery) {
      RexSubQuery visited = (RexSubQuery) super.visitSubQuery(subQuery);
      return visited.clone(CatalogFunctionBinder.apply(visited.rel));
    }
  }
}
