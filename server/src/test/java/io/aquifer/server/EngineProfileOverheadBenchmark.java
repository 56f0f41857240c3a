package io.aquifer.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What keeping engine profiles for query history costs a query: two servers side by side, one with
 * profiles on (the default: DuckDB's profiler on the node, the profile kept on the node and fetched
 * by the gateway after the stream) and one with {@code query-history-engine-profile-max-size=0} (no
 * profiler, nothing fetched). Two shapes through the Arrow Flight SQL JDBC driver: the round trip
 * of {@code SELECT 1} with its row read, and an aggregate of a 1M-row Delta table into 1000 groups,
 * all rows read. Runs alternate between the servers (on, off, on, off, ...) so that load from
 * elsewhere on the machine hits both alike; p50 and p90 after unmeasured warm-up runs, result cache
 * off.
 *
 * <p>A measuring tool, not a test: nothing is asserted. Run it with {@code mvn -pl server -am
 * -Dtest=EngineProfileOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false package}. Arguments
 * of {@code main}: SELECT 1 runs (default 200), aggregate runs (default 40).
 */
public final class EngineProfileOverheadBenchmark {
  private static final String AGGREGATE =
      "SELECT k, count(*) AS n, sum(id) AS total FROM b.million GROUP BY k";

  @org.junit.jupiter.api.Test
  void run() throws Exception {
    main(new String[0]);
  }

  public static void main(String[] args) throws Exception {
    int selectOneRuns = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int aggregateRuns = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Path onDirectory = Files.createTempDirectory("aquifer-profiles-on");
    Path offDirectory = Files.createTempDirectory("aquifer-profiles-off");
    try (RunningServer on = RunningServer.start(onDirectory);
        RunningServer off =
            RunningServer.start(
                offDirectory, Map.of(ServerConfig.QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE, "0"));
        Connection onConnection = on.connect();
        Connection offConnection = off.connect();
        Statement onStatement = onConnection.createStatement();
        Statement offStatement = offConnection.createStatement()) {
      for (Statement s : List.of(onStatement, offStatement)) {
        s.execute("CREATE SCHEMA b");
        s.execute("CREATE TABLE b.million AS SELECT id, id % 1000 AS k FROM range(1000000)");
      }
      List<Long> selectOneOn = new ArrayList<>();
      List<Long> selectOneOff = new ArrayList<>();
      measure("SELECT 1", onStatement, offStatement, 20, selectOneRuns, selectOneOn, selectOneOff);
      List<Long> aggregateOn = new ArrayList<>();
      List<Long> aggregateOff = new ArrayList<>();
      measure(AGGREGATE, onStatement, offStatement, 5, aggregateRuns, aggregateOn, aggregateOff);
      System.out.printf(
          "engine profile overhead (machine shared with other work: figures are noisy)%n");
      report("SELECT 1", selectOneRuns, selectOneOn, selectOneOff);
      report("1M-row aggregate (1000 groups)", aggregateRuns, aggregateOn, aggregateOff);
    }
  }

  /** Alternates on and off runs: warm-up runs first, unmeasured. */
  private static void measure(
      String sql,
      Statement on,
      Statement off,
      int warmUp,
      int runs,
      List<Long> onNanos,
      List<Long> offNanos)
      throws Exception {
    for (int i = 0; i < warmUp; i++) {
      run(on, sql);
      run(off, sql);
    }
    for (int i = 0; i < runs; i++) {
      // the order alternates too, so neither side always runs right after the other
      if (i % 2 == 0) {
        onNanos.add(run(on, sql));
        offNanos.add(run(off, sql));
      } else {
        offNanos.add(run(off, sql));
        onNanos.add(run(on, sql));
      }
    }
  }

  private static long run(Statement s, String sql) throws Exception {
    long start = System.nanoTime();
    long rows = 0;
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows++;
      }
    }
    long nanos = System.nanoTime() - start;
    if (rows == 0) {
      throw new IllegalStateException(sql + " returned no rows");
    }
    return nanos;
  }

  private static void report(String shape, int runs, List<Long> on, List<Long> off) {
    double onP50 = percentile(on, 50);
    double offP50 = percentile(off, 50);
    System.out.printf(
        "%-32s runs=%d  profiles on: p50 %.2f ms p90 %.2f ms | off: p50 %.2f ms p90 %.2f ms"
            + " | p50 difference %+.1f%%%n",
        shape,
        runs,
        onP50,
        percentile(on, 90),
        offP50,
        percentile(off, 90),
        (onP50 - offP50) * 100 / offP50);
  }

  private static double percentile(List<Long> nanos, int p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
