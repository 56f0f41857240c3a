package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The figures of one benchmark run: per query, the median time of each engine, and the planner-
 * only time. Derived from TPC-H; not audited TPC results.
 *
 * @param engines the front ends measured, then the in-process reference last
 */
public record BenchmarkReport(
    TpchScaleFactor scaleFactor,
    TpchSchemaName schema,
    int runs,
    int warmups,
    Instant startedAt,
    List<String> engines,
    List<QueryFigures> queries) {
  public static final String LABEL = "derived from TPC-H; not audited TPC results";

  /** The name of the in-process reference in {@link #engines}. */
  public static final String REFERENCE = "DuckDB in-process";

  public BenchmarkReport {
    requireNonNull(scaleFactor, "scaleFactor");
    requireNonNull(schema, "schema");
    requireNonNull(startedAt, "startedAt");
    engines = List.copyOf(engines);
    queries = List.copyOf(queries);
  }

  /**
   * One engine's runs of one query.
   *
   * @param runNanos the measured runs (warm-ups excluded); empty if the query failed
   * @param rows rows the query returned
   * @param error why the query failed, else null
   */
  public record EngineTiming(String engine, long[] runNanos, long rows, String error) {
    public EngineTiming {
      requireNonNull(engine, "engine");
      runNanos = runNanos.clone();
    }

    public boolean failed() {
      return error != null || runNanos.length == 0;
    }

    /** The median run (the lower middle of an even count); empty if the query failed. */
    public OptionalLong medianNanos() {
      if (failed()) {
        return OptionalLong.empty();
      }
      long[] sorted = runNanos.clone();
      Arrays.sort(sorted);
      return OptionalLong.of(sorted[(sorted.length - 1) / 2]);
    }
  }

  /**
   * @param plannerNanos median parse-to-engine-SQL time in this process, when measured
   */
  public record QueryFigures(
      TpchQuery query, List<EngineTiming> timings, OptionalLong plannerNanos) {
    public QueryFigures {
      requireNonNull(query, "query");
      timings = List.copyOf(timings);
      requireNonNull(plannerNanos, "plannerNanos");
    }

    public Optional<EngineTiming> timing(String engine) {
      return timings.stream().filter(t -> t.engine().equals(engine)).findFirst();
    }
  }

  /** Sum of one engine's medians; empty if any query failed on it. */
  public OptionalLong totalNanos(String engine) {
    long total = 0;
    for (QueryFigures q : queries) {
      OptionalLong median =
          q.timing(engine).map(EngineTiming::medianNanos).orElse(OptionalLong.empty());
      if (median.isEmpty()) {
        return OptionalLong.empty();
      }
      total += median.getAsLong();
    }
    return OptionalLong.of(total);
  }

  /** Sum of the planner medians; empty if not measured. */
  public OptionalLong totalPlannerNanos() {
    long total = 0;
    for (QueryFigures q : queries) {
      if (q.plannerNanos().isEmpty()) {
        return OptionalLong.empty();
      }
      total += q.plannerNanos().getAsLong();
    }
    return OptionalLong.of(total);
  }
}
