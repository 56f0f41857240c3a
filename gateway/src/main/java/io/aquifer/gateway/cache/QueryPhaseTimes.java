package io.aquifer.gateway.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the gateway's time goes for queries, summed per phase since the last {@link #reset}: the
 * prepare call front ends make before they submit, statement parsing, Calcite parsing, planning
 * (which binds each table to its newest Delta version), the Delta version probes within it, the
 * result cache key, the cache look-up, the wait for a statement thread, spooling the rows into the
 * statement's result store, and the statement's end (log line, history). A measuring aid for {@code
 * ResultCacheBenchmark}: a {@link System#nanoTime} pair per phase, nothing else. Thread-safe.
 */
public final class QueryPhaseTimes {
  public static final String PREPARE = "prepare (parse + validate)";
  public static final String STATEMENT_PARSE = "run: statement parse";
  public static final String CALCITE_PARSE = "run: Calcite parse";
  public static final String PLAN = "run: validate + plan";
  public static final String DELTA_LATEST = "Delta latest-version probes (in prepare and plan)";
  public static final String KEY = "run: plan fingerprint + key";
  public static final String LOOKUP = "run: cache look-up + open stored result";
  public static final String RUN = "run: total in the dispatcher";
  public static final String QUEUED = "queued: submit to run start";
  public static final String SPOOL = "spool rows into the statement's result store";
  public static final String ENDED = "statement end: log line + history (end of spool)";

  private static final Map<String, LongAdder[]> PHASES = new ConcurrentHashMap<>();

  private QueryPhaseTimes() {}

  /** Adds one occurrence of {@code phase} that took {@code nanos}. */
  public static void add(String phase, long nanos) {
    LongAdder[] sums =
        PHASES.computeIfAbsent(phase, p -> new LongAdder[] {new LongAdder(), new LongAdder()});
    sums[0].add(nanos);
    sums[1].increment();
  }

  /** Total milliseconds and count of each phase, in the order of {@link #phases()}. */
  public static Map<String, double[]> snapshot() {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String phase : phases()) {
      LongAdder[] sums = PHASES.get(phase);
      if (sums != null) {
        out.put(phase, new double[] {sums[0].sum() / 1e6, sums[1].sum()});
      }
    }
    return out;
  }

  public static void reset() {
    PHASES.clear();
  }

  public static String[] phases() {
    return new String[] {
      PREPARE,
      STATEMENT_PARSE,
      CALCITE_PARSE,
      PLAN,
      DELTA_LATEST,
      KEY,
      LOOKUP,
      RUN,
      QUEUED,
      SPOOL,
      ENDED
    };
  }
}
