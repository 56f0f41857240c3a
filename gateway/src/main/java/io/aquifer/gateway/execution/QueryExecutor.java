package io.aquifer.gateway.execution;

import io.aquifer.exec.QueryFragment;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.StatementPhase;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.cache.CachedQueries;
import io.aquifer.gateway.cache.CachedResultStream;
import io.aquifer.gateway.cache.PlanMemo;
import io.aquifer.planner.ParameterBinder;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.SystemTableQueries;
import io.aquifer.planner.cache.PlanFingerprint;
import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.results.cache.CachedResult;
import io.aquifer.results.cache.ResultCache;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

/** Runs queries: plan, bind parameters, compile for the engine, stream from a warehouse. */
final class QueryExecutor {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(QueryExecutor.class);

  private QueryExecutor() {}

  static StatementResult run(StatementContext ctx, String calciteSql, List<Object> parameters) {
    return run(ctx, calciteSql, parameters, Optional.empty());
  }

  /**
   * @param cache the result cache: a query it can answer is not sent to a warehouse at all (a
   *     stopped one stays stopped)
   */
  static StatementResult run(
      StatementContext ctx,
      String calciteSql,
      List<Object> parameters,
      Optional<ResultCache> cache) {
    return run(ctx, calciteSql, parameters, cache, Optional.empty());
  }

  /**
   * @param memo the plans of queries run before: a repeated query whose remembered plan still holds
   *     is answered from the result cache without being planned again
   */
  static StatementResult run(
      StatementContext ctx,
      String calciteSql,
      List<Object> parameters,
      Optional<ResultCache> cache,
      Optional<PlanMemo> memo) {
    long sessionChanges = ctx.session().changes();
    Optional<PlanMemo.Key> memoKey =
        memo.isPresent()
            ? PlanMemo.key(ctx.session(), calciteSql, !parameters.isEmpty())
            : Optional.empty();
    String generation = memoKey.isPresent() ? memo.get().generation() : null;
    if (memoKey.isPresent()
        && cache.isPresent()
        && io.aquifer.gateway.SessionSettings.useCachedResult(ctx.session())) {
      long start = System.nanoTime();
      {
        Optional<PlanMemo.Entry> known =
            memo.get().lookup(memoKey.get(), generation, ctx.deltaTables());
        Optional<CachedResult> hit = known.flatMap(e -> cache.get().lookupIfPresent(e.resultKey()));
        if (hit.isPresent()) {
          ResultStream rows = new CachedResultStream(hit.get(), ctx.allocator());
          ctx.execution()
              .statistics()
              .phase(StatementPhase.RESULT_CACHE, System.nanoTime() - start);
          ctx.execution().statistics().fromResultCache(hit.get().originStatementId());
          ctx.execution().statistics().files(0, 0);
          ctx.execution().statistics().compiled(Instant.now());
          PlanMemo.Entry e = known.get();
          return new StatementResult.Rows(LabeledResultStream.of(rows, e.labels(), e.fieldNames()));
        }
      }
    }
    long t0 = System.nanoTime();
    Optional<PlanMemo.Taken> kept =
        memoKey.flatMap(key -> memo.get().takePlan(key, generation, ctx.deltaTables()));
    if (kept.isPresent()) {
      // Planned before, and nothing it depends on changed: no parsing, validation or optimizing.
      ctx.execution().statistics().phase(StatementPhase.PLANNING, System.nanoTime() - t0);
      PlanMemo.Taken taken = kept.get();
      ctx.scannedBy(taken.plan());
      try {
        return execute(
            ctx,
            taken.plan(),
            parameters,
            cache,
            memo,
            memoKey,
            generation,
            sessionChanges,
            null,
            Optional.empty());
      } finally {
        memo.get().rememberPlan(memoKey.get(), taken.generation(), taken.tables(), taken.plan());
      }
    }
    QueryPlanner planner = ctx.newPlanner();
    memo.ifPresent(PlanMemo::queryPlanned);
    SqlNode node = planner.parse(calciteSql);
    long t1 = System.nanoTime();
    ctx.execution().statistics().phase(StatementPhase.PARSING, t1 - t0);
    if (!node.getKind().belongsTo(SqlKind.QUERY)) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT, "not a query: " + node.getKind());
    }
    PlannedQuery plan = planner.plan(node);
    ctx.execution().statistics().phase(StatementPhase.PLANNING, System.nanoTime() - t1);
    // The fingerprint says whether the plan may be kept; the result cache needs it too.
    Optional<PlanFingerprint> fingerprint =
        memoKey.map(
            key ->
                PlanFingerprint.of(
                    ParameterBinder.bind(plan.rel(), plan.parameterRowType(), parameters)));
    StatementResult result =
        execute(
            ctx,
            plan,
            parameters,
            cache,
            memo,
            memoKey,
            generation,
            sessionChanges,
            planner,
            fingerprint);
    if (fingerprint.isPresent()
        && fingerprint.get().cacheable()
        && PlanMemo.holds(memoKey.get(), ctx.session(), sessionChanges)) {
      memo.get().rememberPlan(memoKey.get(), generation, fingerprint.get().tables(), plan);
    }
    return result;
  }

  /**
   * Runs a planned query: over system tables in the gateway, else through the result cache when
   * there is one, else on the warehouse.
   *
   * @param planner the planner that planned it; null for a kept plan (which never reads system
   *     tables)
   * @param fingerprint the fingerprint of its bound plan where the caller computed it already
   */
  private static StatementResult execute(
      StatementContext ctx,
      PlannedQuery plan,
      List<Object> parameters,
      Optional<ResultCache> cache,
      Optional<PlanMemo> memo,
      Optional<PlanMemo.Key> memoKey,
      String generation,
      long sessionChanges,
      QueryPlanner planner,
      Optional<PlanFingerprint> fingerprint) {
    long read = 0;
    long total = 0;
    for (DeltaTableScan scan : plan.scans()) {
      read += scan.files().size();
      total += scan.snapshot().files().size();
    }
    if (SystemTableQueries.readsSystemTables(plan.rel())) {
      ctx.execution().statistics().files(read, total - read);
      return new StatementResult.Rows(
          labeled(
              plan, system(ctx, plan, parameters, planner != null ? planner : ctx.newPlanner())));
    }
    if (cache.isEmpty()) {
      ctx.execution().statistics().files(read, total - read);
      return new StatementResult.Rows(labeled(plan, stream(ctx, plan, parameters)));
    }
    RelNode bound = ParameterBinder.bind(plan.rel(), plan.parameterRowType(), parameters);
    CachedQueries.Answer answer =
        CachedQueries.answer(
            cache,
            ctx.session(),
            ctx.statementId(),
            bound,
            ctx.allocator(),
            () -> stream(ctx, plan, parameters),
            ctx::checkCanceled,
            nanos -> ctx.execution().statistics().phase(StatementPhase.RESULT_CACHE, nanos),
            remember(memo, memoKey, generation, plan, ctx.session(), sessionChanges),
            fingerprint);
    if (answer instanceof CachedQueries.Hit hit) {
      ctx.execution().statistics().fromResultCache(hit.originStatementId());
      ctx.execution().statistics().files(0, 0);
      ctx.execution().statistics().compiled(Instant.now());
    } else {
      ctx.execution().statistics().files(read, total - read);
    }
    return new StatementResult.Rows(labeled(plan, answer.rows()));
  }

  private static java.util.function.BiConsumer<String, List<String>> remember(
      Optional<PlanMemo> memo,
      Optional<PlanMemo.Key> key,
      String generation,
      PlannedQuery plan,
      io.aquifer.gateway.Session session,
      long sessionChanges) {
    if (memo.isEmpty() || key.isEmpty() || generation == null) {
      return (resultKey, tables) -> {};
    }
    return (resultKey, tables) -> {
      if (PlanMemo.holds(key.get(), session, sessionChanges)) {
        memo.get()
            .remember(
                key.get(),
                new PlanMemo.Entry(
                    generation, resultKey, tables, plan.labels(), plan.rowType().getFieldNames()));
      }
    };
  }

  /** The rows under the labels the statement wrote, which may repeat where the plan's do not. */
  private static ResultStream labeled(PlannedQuery plan, ResultStream rows) {
    return LabeledResultStream.of(rows, plan.labels(), plan.rowType().getFieldNames());
  }

  /** Runs a query over system tables in the gateway (their rows are here, not in files). */
  private static ResultStream system(
      StatementContext ctx, PlannedQuery plan, List<Object> parameters, QueryPlanner planner) {
    long start = System.nanoTime();
    RelNode bound = ParameterBinder.bind(plan.rel(), plan.parameterRowType(), parameters);
    ctx.checkCanceled();
    ResultStream rows =
        ctx.systemEngine()
            .run(
                ctx.nodeQueryId(),
                bound,
                io.aquifer.gateway.SessionSettings.engineTimeZone(ctx.session()),
                planner.typeFactory(),
                ctx.allocator());
    ctx.execution()
        .statistics()
        .phase(StatementPhase.ENGINE_COMPILATION, System.nanoTime() - start);
    ctx.execution().statistics().compiled(Instant.now());
    return rows;
  }

  /** Compiles a planned query and starts it on the warehouse. */
  static ResultStream stream(StatementContext ctx, PlannedQuery plan, List<Object> parameters) {
    long start = System.nanoTime();
    RelNode bound = ParameterBinder.bind(plan.rel(), plan.parameterRowType(), parameters);
    QueryFragment fragment =
        NodeDataCacheDecision.apply(
            ctx.warehouse(),
            ctx.warehouse()
                .compile(ctx.nodeQueryId(), bound)
                .withTimeZone(io.aquifer.gateway.SessionSettings.engineTimeZone(ctx.session())));
    ctx.execution()
        .statistics()
        .phase(StatementPhase.ENGINE_COMPILATION, System.nanoTime() - start);
    ctx.execution().statistics().compiled(Instant.now());
    ctx.checkCanceled();
    return new DiskCacheReadsRecorder(
        ctx.warehouse().query(fragment),
        ctx.execution().statistics(),
        () -> io.aquifer.gateway.history.PlanOutline.of(bound).toString());
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
