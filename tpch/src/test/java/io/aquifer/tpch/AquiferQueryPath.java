package io.aquifer.tpch;

import io.aquifer.exec.NativeEngine;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.calcite.rel.RelNode;

/**
 * Runs the 22 queries the way the gateway does, minus the wire: Aquifer's planner and plan
 * compiler, then a locked-down DuckDB engine as on a warehouse node, and compares the Arrow results
 * with the answers.
 */
final class AquiferQueryPath {
  private AquiferQueryPath() {}

  /** Problems found (wrong answers, failures); empty when every verifiable query matched. */
  static List<String> check(
      SampleWarehouse warehouse, TpchSchemaName schema, TpchAnswers answers, Path engineTemp)
      throws Exception {
    try (DuckDbEngine engine =
        new DuckDbEngine(
            DuckDbEngineConfig.defaults(List.of(warehouse.locations.root()), engineTemp)
                .withThreads(2))) {
      return check(warehouse, schema, answers, engine, DuckDbPlanCompiler::compile);
    }
  }

  /** As above, on {@code engine} with plans compiled by {@code compiler}. */
  static List<String> check(
      SampleWarehouse warehouse,
      TpchSchemaName schema,
      TpchAnswers answers,
      NativeEngine engine,
      BiFunction<String, RelNode, QueryFragment> compiler)
      throws Exception {
    PlannerTiming planner = new PlannerTiming(warehouse.catalog, warehouse.tables, schema);
    AnswerComparator comparator = new AnswerComparator();
    List<String> problems = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator()) {
      for (TpchQuery query : TpchQueries.all()) {
        ActualResult actual;
        try (ArrowReader reader =
            engine.execute(planner.plan(query, compiler).fragment(), allocator)) {
          actual = ArrowResults.read(reader);
        } catch (RuntimeException e) {
          problems.add(query.name() + ": " + e.getMessage());
          continue;
        }
        List<AnswerDifference> differences = comparator.compare(answers.answer(query), actual);
        if (!differences.isEmpty()) {
          problems.add(differences.toString());
        }
      }
    }
    return problems;
  }
}
