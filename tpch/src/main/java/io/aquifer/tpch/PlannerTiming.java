package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.CatalogStore;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import io.aquifer.gateway.execution.GatewayPlannerCatalog;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.StatementParser;
import io.aquifer.storage.delta.DeltaTables;
import java.util.function.BiFunction;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlNode;

/**
 * The planner-only figure of a query: the gateway's own path from SQL text to engine SQL, timed in
 * this process (first parse, Calcite parse, validation and planning with snapshot binding and file
 * pruning, compilation to DuckDB SQL), without running anything.
 */
public final class PlannerTiming {
  private final CatalogStore catalog;
  private final DeltaTables tables;
  private final TpchSchemaName schema;

  public PlannerTiming(CatalogStore catalog, DeltaTables tables, TpchSchemaName schema) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.tables = requireNonNull(tables, "tables");
    this.schema = requireNonNull(schema, "schema");
  }

  /** One planning of a query; {@code totalNanos} covers all steps. */
  public record Planned(
      QueryFragment fragment, long parseNanos, long planNanos, long compileNanos) {
    public long totalNanos() {
      return parseNanos + planNanos + compileNanos;
    }
  }

  /** Plans the query with a fresh planner, as the gateway does for each statement. */
  public Planned plan(TpchQuery query) {
    return plan(query, DuckDbPlanCompiler::compile);
  }

  /** Plans the query and compiles the plan with {@code compiler} (the target engine's). */
  public Planned plan(TpchQuery query, BiFunction<String, RelNode, QueryFragment> compiler) {
    long start = System.nanoTime();
    ParsedStatement parsed = StatementParser.parse(query.statement());
    if (!(parsed instanceof ParsedStatement.Query q)) {
      throw new TpchException(
          TpchErrorCode.RUN_FAILED, query.name() + " is not a query for the planner: " + parsed);
    }
    QueryPlanner planner =
        new QueryPlanner(
            new GatewayPlannerCatalog(catalog), tables, schema.catalog(), schema.schema());
    SqlNode node = planner.parse(q.calciteSql());
    long parsedAt = System.nanoTime();
    PlannedQuery plan = planner.plan(node);
    long plannedAt = System.nanoTime();
    QueryFragment fragment = compiler.apply(query.name(), plan.rel());
    long compiledAt = System.nanoTime();
    return new Planned(fragment, parsedAt - start, plannedAt - parsedAt, compiledAt - plannedAt);
  }
}
