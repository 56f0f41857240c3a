package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.stringField;

import io.aquifer.exec.QueryFragment;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.SessionSettings;
import io.aquifer.gateway.StatementPhase;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.planner.PlannedQuery;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * {@code EXPLAIN ANALYZE query}: runs the query once more on the warehouse with the engine's
 * profiler on and returns the plan text (as {@code EXPLAIN}) beside the engine's own per-operator
 * profile (DuckDB's {@code EXPLAIN (ANALYZE, FORMAT JSON)} output, unchanged). The query's rows are
 * computed and dropped by the engine; ordinary queries never pay for profiling.
 */
final class ExplainAnalyzeExecutor {
  static final List<Field> FIELDS = List.of(stringField("plan"), stringField("profile"));

  /** The column of DuckDB's EXPLAIN output that holds the profile. */
  private static final String PROFILE_COLUMN = "explain_value";

  private ExplainAnalyzeExecutor() {}

  /** Runs a planned query that reads no system table (the caller checked) for its profile. */
  static StatementResult run(StatementContext ctx, PlannedQuery plan, String planText) {
    long start = System.nanoTime();
    QueryFragment fragment =
        NodeDataCacheDecision.apply(
            ctx.warehouse(),
            ctx.warehouse()
                .compile(ctx.nodeQueryId(), plan.rel())
                .withTimeZone(SessionSettings.engineTimeZone(ctx.session()))
                .forProfile());
    ctx.execution()
        .statistics()
        .phase(StatementPhase.ENGINE_COMPILATION, System.nanoTime() - start);
    ctx.execution().statistics().compiled(Instant.now());
    ctx.checkCanceled();
    StringBuilder profile = new StringBuilder();
    try (ResultStream rows = ctx.warehouse().query(fragment)) {
      while (rows.next()) {
        VectorSchemaRoot root = rows.root();
        FieldVector column = root.getVector(PROFILE_COLUMN);
        if (column == null) {
          throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
              "EXPLAIN ANALYZE: this warehouse's engine returns no profile");
        }
        for (int r = 0; r < root.getRowCount(); r++) {
          if (!column.isNull(r)) {
            profile.append(column.getObject(r).toString());
          }
        }
      }
    }
    return new StatementResult.Rows(
        LocalResultStream.of(
            ctx.allocator(), FIELDS, List.of(Arrays.<Object>asList(planText, profile.toString()))));
  }
}
