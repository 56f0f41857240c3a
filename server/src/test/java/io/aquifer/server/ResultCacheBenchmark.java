package io.aquifer.server;

import io.aquifer.flightsql.FlightCallTimings;
import io.aquifer.gateway.StatementPhase;
import io.aquifer.gateway.StatementStatus;
import io.aquifer.results.cache.ResultCache;
import io.aquifer.results.cache.ResultCacheMetrics;
import io.aquifer.tpch.TpchQueries;
import io.aquifer.tpch.TpchQuery;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.arrow.adbc.core.AdbcConnection;
import org.apache.arrow.adbc.core.AdbcDatabase;
import org.apache.arrow.adbc.core.AdbcDriver;
import org.apache.arrow.adbc.core.AdbcStatement;
import org.apache.arrow.adbc.driver.flightsql.FlightSqlDriver;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/**
 * The result cache, measured end to end through the Arrow Flight SQL JDBC driver on the TPC-H
 * sample (SF 0.01): the latency of a hit for a small result (percentiles over many runs, next to
 * the same query with {@code use_cached_result = false}), and a repeated dashboard workload (the 22
 * TPC-H queries three times, one INSERT into {@code nation} between rounds) with its hit rate and
 * time per round. A measuring tool, not a test: nothing is asserted. Run it with {@code mvn -pl
 * server -am -Dtest=ResultCacheBenchmark -Dsurefire.failIfNoSpecifiedTests=false test}, or its
 * {@code main} with the server's test class path (argument: hit runs, default 500).
 */
public final class ResultCacheBenchmark {
  private static final String SMALL =
      "SELECT n_name, n_regionkey FROM nation WHERE n_nationkey < 5";

  @Test
  void run() throws Exception {
    main(new String[0]);
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Path dataDirectory = Files.createTempDirectory("aquifer-cache-bench");
    Path tokenFile = dataDirectory.resolve("admin-token");
    ServerConfig config =
        ServerConfig.load(
            null,
            Map.of(),
            Map.of(
                ServerConfig.DATA_DIR, dataDirectory.toString(),
                ServerConfig.FLIGHT_PORT, "0",
                ServerConfig.AVATICA_PORT, "0",
                ServerConfig.HTTP_PORT, "0",
                ServerConfig.RESULT_CACHE, "true"));
    PrintStream out = System.out;
    try (AquiferServer server =
        AquiferServer.start(
            config,
            Optional.of(tokenFile),
            new PrintStream(OutputStream.nullOutputStream()),
            true)) {
      Properties p = new Properties();
      p.setProperty("token", Files.readString(tokenFile).trim());
      ResultCache cache = server.gateway().resultCache().orElseThrow();
      // Each statement's own phase times, as it ended (the history's own record of it).
      ConcurrentLinkedQueue<StatementStatus> ended = new ConcurrentLinkedQueue<>();
      server
          .gateway()
          .addStatementEndListener(
              (status, sql) -> {
                if (sql.equals(SMALL)) {
                  ended.add(status);
                }
              });
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:arrow-flight-sql://127.0.0.1:"
                      + server.flightPort()
                      + "?useEncryption=false",
                  p);
          Statement s = c.createStatement()) {
        s.execute("USE samples.tpch_sf0_01");
        out.println("Result cache benchmark (TPC-H sample SF 0.01, Arrow Flight SQL JDBC driver)");

        drain(s, SMALL);
        long hitsBefore = cache.metrics().hits();
        ended.clear();
        server.flightCallTimings().reset();
        // -Daquifer.bench.jfr=<file>: a JFR recording (profile settings) of the hit runs.
        String jfr = System.getProperty("aquifer.bench.jfr");
        jdk.jfr.Recording recording = null;
        if (jfr != null) {
          recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
          recording.start();
        }
        List<Double> hit = time(s, SMALL, runs, false);
        if (recording != null) {
          recording.stop();
          recording.dump(Path.of(jfr));
          recording.close();
        }
        List<StatementStatus> hitStatements = awaitEnded(ended, runs);
        Map<String, FlightCallTimings.Totals> serverCalls = server.flightCallTimings().snapshot();
        out.printf(
            "hit, 5 rows:    %s  (%d runs, %d hits)%n",
            percentiles(hit), runs, cache.metrics().hits() - hitsBefore);
        printBreakdown(out, hit, hitStatements);
        printServerCalls(out, serverCalls, runs);
        FlightCallBreakdown.run(server, p.getProperty("token"), out, runs);
        adbcHits(server, p.getProperty("token"), out, runs);
        s.execute("SET use_cached_result = false");
        List<Double> uncached = time(s, SMALL, Math.max(20, runs / 10));
        out.printf("no cache, 5 rows: %s  (%d runs)%n", percentiles(uncached), uncached.size());
        s.execute("SET use_cached_result = true");

        out.println(
            "dashboard: 22 TPC-H queries x 3 rounds, one INSERT INTO nation between rounds");
        for (int round = 1; round <= 3; round++) {
          ResultCacheMetrics before = cache.metrics();
          long start = System.nanoTime();
          for (TpchQuery q : TpchQueries.all()) {
            drain(s, q.statement());
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          ResultCacheMetrics after = cache.metrics();
          long hits = after.hits() - before.hits();
          long misses = after.misses() - before.misses();
          out.printf(
              "  round %d: %.2f s, %d hits, %d misses, hit rate %.0f%%%n",
              round, seconds, hits, misses, 100.0 * hits / Math.max(1, hits + misses));
          if (round < 3) {
            s.execute(
                "INSERT INTO nation VALUES (" + (900 + round) + ", 'BENCH', 0, 'benchmark row')");
          }
        }
        ResultCacheMetrics total = cache.metrics();
        out.printf(
            "cache: %d entries, %d bytes in memory, overall hit rate %.0f%% (hit runs included)%n",
            total.memoryEntries(), total.memoryBytes(), 100 * total.hitRate());
      }
    } finally {
      try (java.util.stream.Stream<Path> files = Files.walk(dataDirectory)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /**
   * The same hit through the ADBC Flight SQL driver for Java, which runs a statement without
   * preparing it (GetFlightInfo with a CommandStatementQuery, then DoGet): two calls where the JDBC
   * driver makes four.
   */
  private static void adbcHits(AquiferServer server, String token, PrintStream out, int runs)
      throws Exception {
    String sql = SMALL.replace("FROM nation", "FROM samples.tpch_sf0_01.nation");
    Map<String, Object> parameters = new java.util.HashMap<>();
    AdbcDriver.PARAM_URI.set(parameters, "grpc+tcp://127.0.0.1:" + server.flightPort());
    AdbcDriver.PARAM_USERNAME.set(parameters, "token");
    AdbcDriver.PARAM_PASSWORD.set(parameters, token);
    ResultCache cache = server.gateway().resultCache().orElseThrow();
    try (BufferAllocator allocator = new RootAllocator();
        AdbcDatabase database = new FlightSqlDriver(allocator).open(parameters);
        AdbcConnection connection = database.connect()) {
      adbcDrain(connection, sql);
      long hitsBefore = cache.metrics().hits();
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        adbcDrain(connection, sql);
        millis.add((System.nanoTime() - start) / 1e6);
      }
      out.printf(
          "hit, 5 rows, ADBC Flight SQL driver (no prepare): %s  (%d runs, %d hits)%n",
          percentiles(millis), runs, cache.metrics().hits() - hitsBefore);
    }
  }

  private static void adbcDrain(AdbcConnection connection, String sql) throws Exception {
    try (AdbcStatement statement = connection.createStatement()) {
      statement.setSqlQuery(sql);
      try (AdbcStatement.QueryResult result = statement.executeQuery();
          ArrowReader reader = result.getReader()) {
        long rows = 0;
        while (reader.loadNextBatch()) {
          rows += reader.getVectorSchemaRoot().getRowCount();
        }
        if (rows != 5) {
          throw new IllegalStateException("expected 5 rows, read " + rows);
        }
      }
    }
  }

  /**
   * The gateway's time per hit by phase (means over the timed runs, from each statement's own phase
   * times), and what is left of the client's time: the prepare the driver sends first, the Flight
   * SQL calls themselves and streaming the rows to the client.
   */
  private static void printBreakdown(
      PrintStream out, List<Double> hit, List<StatementStatus> statements) {
    int runs = hit.size();
    double client = hit.stream().mapToDouble(Double::doubleValue).sum() / runs;
    out.printf(
        "  where a hit's time goes (mean ms per hit over %d hits, %d statements recorded):%n",
        runs, statements.size());
    out.printf("    %-50s %7.2f ms%n", "client: executeQuery + read rows", client);
    double inStatement = 0;
    for (StatementPhase phase : StatementPhase.values()) {
      double millis = 0;
      int seen = 0;
      for (StatementStatus status : statements) {
        var d = status.phaseTimes().of(phase);
        if (d.isPresent()) {
          millis += d.get().toNanos() / 1e6;
          seen++;
        }
      }
      if (seen > 0) {
        out.printf(
            "    %-50s %7.2f ms  (in %d of %d statements)%n",
            "statement: " + phase.name().toLowerCase(java.util.Locale.ROOT),
            millis / statements.size(),
            seen,
            statements.size());
        inStatement += millis / statements.size();
      }
    }
    double total =
        statements.stream().mapToDouble(st -> st.duration().toNanos() / 1e6).sum()
            / Math.max(1, statements.size());
    out.printf("    %-50s %7.2f ms%n", "statement: submit to end (all phases and gaps)", total);
    out.printf(
        "    %-50s %7.2f ms%n", "statement: outside the recorded phases", total - inStatement);
    out.printf(
        "    %-50s %7.2f ms%n",
        "rest: prepare, Flight SQL calls, streaming to client", client - total);
  }

  /** The front end's time per Flight call during the hits (from its middleware), per hit. */
  static void printServerCalls(
      PrintStream out, Map<String, FlightCallTimings.Totals> calls, int runs) {
    out.printf("  Flight calls during the hits, server side (from the call's middleware):%n");
    calls.forEach(
        (kind, t) ->
            out.printf(
                "    %-40s %5d calls, %6.2f ms mean (auth + session %5.3f ms), %6.2f ms per"
                    + " hit%n",
                kind, t.calls(), t.meanMillis(), t.meanAuthMillis(), t.nanos() / 1e6 / runs));
  }

  /** The statuses of {@code count} ended statements, waiting up to 10 s for the last ones. */
  private static List<StatementStatus> awaitEnded(
      ConcurrentLinkedQueue<StatementStatus> ended, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ended.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return List.copyOf(ended);
  }

  /** Milliseconds per run (execute and read every row), after one untimed run. */
  private static List<Double> time(Statement s, String sql, int runs) throws SQLException {
    return time(s, sql, runs, true);
  }

  private static List<Double> time(Statement s, String sql, int runs, boolean warmUp)
      throws SQLException {
    if (warmUp) {
      drain(s, sql);
    }
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      drain(s, sql);
      millis.add((System.nanoTime() - start) / 1e6);
    }
    return millis;
  }

  private static void drain(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
      }
    }
  }

  private static String percentiles(List<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return String.format(
        "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, min %.2f ms",
        at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted.get(0));
  }

  private static double at(List<Double> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
  }
}
