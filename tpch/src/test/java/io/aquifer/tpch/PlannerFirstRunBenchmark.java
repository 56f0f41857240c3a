package io.aquifer.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark (prints figures, asserts none): the gateway's planning of each TPC-H query (parse,
 * validation and planning with snapshot binding, compilation to DuckDB SQL) on the SF 0.01 sample,
 * with a fresh planner per planning as for a new statement text, snapshots kept between plannings
 * as the server keeps them ({@code CachingDeltaTables}), after a warm-up of the JIT. Prints the
 * median per query and, from a JFR recording of the measured plannings, where the samples fall.
 * Run: {@code mvn -pl tpch -am -Dtest=PlannerFirstRunBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false test}. With {@code AQUIFER_PLANNER_JFR=FILE} in the
 * environment the recording is kept there for a closer look ({@code jfr print}).
 */
class PlannerFirstRunBenchmark {
  private static final int WARM_UP_ROUNDS = 5;
  private static final int ROUNDS = 9;

  @TempDir Path temp;

  @Test
  void planningTimePerQuery() throws Exception {
    SampleWarehouse warehouse = SampleWarehouse.sf001();
    TpchSchemaName schema = TpchSchemaName.defaultFor(SampleWarehouse.SF_001);
    // Snapshots kept between statements, as the server keeps them.
    io.aquifer.storage.delta.DeltaTables tables =
        new io.aquifer.storage.delta.CachingDeltaTables(
            (io.aquifer.storage.delta.KernelDeltaTables) warehouse.tables);
    PlannerTiming planner = new PlannerTiming(warehouse.catalog, tables, schema);
    List<TpchQuery> queries = TpchQueries.all();
    for (int i = 0; i < WARM_UP_ROUNDS; i++) {
      for (TpchQuery q : queries) {
        planner.plan(q);
      }
    }
    Map<String, long[][]> times = new HashMap<>();
    Path jfr = temp.resolve("planner.jfr");
    try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
      recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
      recording.start();
      for (int r = 0; r < ROUNDS; r++) {
        for (TpchQuery q : queries) {
          PlannerTiming.Planned p = planner.plan(q);
          times.computeIfAbsent(q.name(), k -> new long[ROUNDS][])[r] =
              new long[] {p.parseNanos(), p.planNanos(), p.compileNanos(), p.totalNanos()};
        }
      }
      recording.stop();
      recording.dump(jfr);
    }
    String keep = System.getenv("AQUIFER_PLANNER_JFR");
    if (keep != null) {
      java.nio.file.Files.copy(
          jfr, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    StringBuilder out =
        new StringBuilder("query  parse ms  plan ms  compile ms  total ms (median)\n");
    double sum = 0;
    for (TpchQuery q : queries) {
      long[][] runs = times.get(q.name());
      double[] m = new double[4];
      for (int k = 0; k < 4; k++) {
        long[] v = new long[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
          v[r] = runs[r][k];
        }
        Arrays.sort(v);
        m[k] = v[ROUNDS / 2] / 1e6;
      }
      sum += m[3];
      out.append(
          String.format("%-5s  %8.2f  %7.2f  %10.2f  %8.2f%n", q.name(), m[0], m[1], m[2], m[3]));
    }
    out.append(String.format("sum of medians %.1f ms%n", sum));
    out.append(profile(jfr));
    System.out.println(out);
    assertEquals(22, queries.size());
  }

  /** Top frames of the recording's execution samples: self, and inclusive for Aquifer/Calcite. */
  private static String profile(Path jfr) throws Exception {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")
          || e.getStackTrace() == null
          || !e.getThread("sampledThread").getJavaName().equals(Thread.currentThread().getName())) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (!frames.isEmpty()) {
        self.merge(name(frames.get(0)), 1, Integer::sum);
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if ((n.startsWith("io.aquifer")
                || n.startsWith("org.apache.calcite")
                || n.startsWith("io.delta"))
            && seen.add(n)) {
          inclusive.merge(n, 1, Integer::sum);
        }
      }
    }
    StringBuilder out = new StringBuilder("samples of the planning thread: " + samples + "\n");
    out.append("top self:\n");
    top(self, 25, out);
    out.append("top inclusive (Aquifer, Calcite, Delta):\n");
    top(inclusive, 60, out);
    return out.toString();
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void top(Map<String, Integer> counts, int n, StringBuilder out) {
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
    for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(n, sorted.size()))) {
      out.append(String.format("  %6d  %s%n", e.getValue(), e.getKey()));
    }
  }
}
