package io.aquifer.gateway.execution;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.StatementResult;
import io.aquifer.planner.ParameterBinder;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

/** Runs queries: plan, bind parameters, compile for the engine, stream from a warehouse. */
final class QueryExecutor {
  private QueryExecutor() {}

  static StatementResult run(StatementContext ctx, String calciteSql, List<Object> parameters) {
    QueryPlanner planner = ctx.newPlanner();
    SqlNode node = planner.parse(calciteSql);
    if (!node.getKind().belongsTo(SqlKind.QUERY)) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT, "not a query: " + node.getKind());
    }
    PlannedQuery plan = planner.plan(node);
    return new StatementResult.Rows(stream(ctx, plan, parameters));
  }

  /** Compiles a planned query and starts it on the warehouse. */
  static ResultStream stream(StatementContext ctx, PlannedQuery plan, List<Object> parameters) {
    RelNode bound = ParameterBinder.bind(plan.rel(), plan.parameterRowType(), parameters);
    QueryFragment fragment = DuckDbPlanCompiler.compile(ctx.nodeQueryId(), bound);
    ctx.checkCanceled();
    return ctx.warehouse().query(fragment);
  }

  /** Runs a query that returns one BIGINT (a count) and returns it. */
  static long single(StatementContext ctx, PlannedQuery plan) {
    try (ResultStream rows = stream(ctx, plan, List.of())) {
      long value = 0;
      while (rows.next()) {
        if (rows.root().getRowCount() > 0) {
          FieldVector v = rows.root().getVector(0);
          value = v.isNull(0) ? 0 : ((BigIntVector) v).get(0);
        }
      }
      return value;
    }
  }
}
