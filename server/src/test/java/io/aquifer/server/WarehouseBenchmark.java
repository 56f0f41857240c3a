package io.aquifer.server;

import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.gateway.Session;
import io.aquifer.tpch.LoadProgress;
import io.aquifer.tpch.StatementServiceSql;
import io.aquifer.tpch.TpchDataLoader;
import io.aquifer.tpch.TpchQueries;
import io.aquifer.tpch.TpchQuery;
import io.aquifer.tpch.TpchScaleFactor;
import io.aquifer.tpch.TpchSchemaName;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Warehouses with real node processes, measured through the Arrow Flight SQL JDBC driver: the time
 * from a statement on a stopped warehouse to its first row (the warehouse starts a node process),
 * and the throughput of 1, 4 and 16 concurrent TPC-H streams (the 22 queries each, in rotated
 * orders) on a warehouse of one cluster and on one of two ({@code min_num_clusters} = {@code
 * max_num_clusters}: with sub-second queries and 10 statements per cluster, an elastic 1..2
 * warehouse never queues long enough to add its second cluster, as runs here showed). A measuring
 * tool, not a test: nothing is asserted. Run it with {@code mvn -pl server -am
 * -Dtest=WarehouseBenchmark -Dsurefire.failIfNoSpecifiedTests=false test} ({@code
 * -Daquifer.benchmark.sf=0.01} for another scale factor), or its {@code main} with the server's
 * test class path (argument: the scale factor, default 0.1).
 */
public final class WarehouseBenchmark {
  private static final int COLD_STARTS = 3;
  private static final int[] STREAMS = {1, 4, 16};

  @Test
  void run() throws Exception {
    main(new String[] {System.getProperty("aquifer.benchmark.sf", "0.1")});
  }

  public static void main(String[] args) throws Exception {
    TpchScaleFactor sf = TpchScaleFactor.parse(args.length > 0 ? args[0] : "0.1");
    PrintStream out = System.out;
    boolean classArchive =
        Boolean.parseBoolean(System.getProperty("aquifer.benchmark.classArchive", "true"));
    boolean coldStartsOnly = Boolean.getBoolean("aquifer.benchmark.coldStartsOnly");
    Path dataDirectory = Files.createTempDirectory("aquifer-warehouse-bench");
    try (RunningServer server =
        RunningServer.start(
            dataDirectory,
            Map.of(
                WarehouseConfig.NODES, "process",
                // One auto-stop "minute" lasts a second, so that a warehouse stops quickly.
                WarehouseConfig.AUTO_STOP_UNIT, "1",
                WarehouseConfig.NODE_CLASS_ARCHIVE, Boolean.toString(classArchive)))) {
      TpchSchemaName schema = TpchSchemaName.defaultFor(sf);
      long loadStart = System.nanoTime();
      Session loader = server.server().gateway().openSession(new Principal("admin", true));
      try {
        new TpchDataLoader(
                new StatementServiceSql(server.server().gateway(), loader),
                TpchIntegration.stagingDirectory(server.server().config()),
                Runtime.getRuntime().availableProcessors())
            .load(sf, schema, LoadProgress.SILENT);
      } finally {
        server.server().gateway().closeSession(loader.id());
      }
      out.printf(
          "warehouse benchmark: TPC-H SF %s loaded in %.1f s; %d cores; node processes%n",
          sf, seconds(loadStart), Runtime.getRuntime().availableProcessors());

      Warehouse cold =
          server
              .server()
              .warehouseStore()
              .create(
                  new WarehouseSpec("cold", WarehouseSize.XXSMALL, 1, 1, 1, 10, Map.of()), "admin");
      // The first connection of this JVM loads the driver's and the front end's classes: a cost
      // of the benchmark's own process, not of a warehouse start, so it is paid here, once.
      close(connect(server, "cold", schema));
      if (classArchive) {
        long archiveWait = System.nanoTime();
        boolean made =
            server.server().awaitNodeClassArchive(java.time.Duration.ofMinutes(5)).isPresent();
        out.printf(
            "node class archive: %s (waited %.1f s for it after the load)%n",
            made ? "made" : "not made, see nodes/native/warm-up.log", seconds(archiveWait));
      } else {
        out.println("node class archive: off");
      }
      for (int i = 1; i <= COLD_STARTS; i++) {
        awaitState(server, cold, WarehouseState.STOPPED);
        int startsBefore = server.server().warehouses().clusterStartTimes().size();
        long start = System.nanoTime();
        Connection c = connect(server, "cold", schema);
        double connected = seconds(start);
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) AS run" + i + " FROM nation")) {
          rs.next();
          double total = seconds(start);
          List<java.time.Duration> starts = server.server().warehouses().clusterStartTimes();
          String node =
              starts.size() > startsBefore
                  ? String.format("%.2f s", starts.get(startsBefore).toMillis() / 1e3)
                  : "?";
          out.printf(
              "stopped warehouse to first row, run %d: %.2f s (connect and USE %.2f s; node"
                  + " process start to its ready line %s; the rest is the statement: planning,"
                  + " queueing, the start sequence, the query; class archive %s; load %s)%n",
              i, total, connected, node, sharing(dataDirectory), loadAverage());
          out.println("  gateway's record of it: " + history(server, i));
        } finally {
          close(c);
        }
      }

      for (int clusters : coldStartsOnly ? new int[0] : new int[] {1, 2}) {
        String name = "streams" + clusters;
        Warehouse w =
            server
                .server()
                .warehouseStore()
                .create(
                    new WarehouseSpec(
                        name, WarehouseSize.XSMALL, clusters, clusters, 0, 10, Map.of()),
                    "admin");
        Connection warm = connect(server, name, schema);
        try (Statement s = warm.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM lineitem")) {
          rs.next();
        } finally {
          close(warm);
        }
        awaitClusters(server, w, clusters);
        for (int streams : STREAMS) {
          AtomicInteger peakClusters = new AtomicInteger();
          ExecutorService pool = Executors.newFixedThreadPool(streams + 1);
          try {
            Future<?> watcher =
                pool.submit(
                    () -> {
                      while (!Thread.currentThread().isInterrupted()) {
                        peakClusters.accumulateAndGet(
                            server.server().warehouses().clusters(w.id()), Math::max);
                        try {
                          Thread.sleep(100);
                        } catch (InterruptedException e) {
                          return;
                        }
                      }
                    });
            long start = System.nanoTime();
            List<Future<Long>> runs = new ArrayList<>();
            for (int stream = 0; stream < streams; stream++) {
              int first = stream;
              runs.add(pool.submit(() -> runStream(server, name, schema, first)));
            }
            long rows = 0;
            for (Future<Long> run : runs) {
              rows += run.get();
            }
            double wall = seconds(start);
            watcher.cancel(true);
            int queries = streams * TpchQueries.COUNT;
            out.printf(
                "%d cluster(s), %2d stream(s): %3d queries in %6.1f s = %6.1f queries/min"
                    + " (%d rows; peak clusters %d)%n",
                clusters, streams, queries, wall, queries * 60 / wall, rows, peakClusters.get());
          } finally {
            pool.shutdownNow();
          }
        }
      }
    }
  }

  /** The 22 queries, starting at query {@code first} (mod 22): one stream. Returns rows read. */
  private static long runStream(
      RunningServer server, String warehouse, TpchSchemaName schema, int first) throws Exception {
    List<TpchQuery> all = TpchQueries.all();
    long rows = 0;
    Connection c = connect(server, warehouse, schema);
    try (Statement s = c.createStatement()) {
      s.execute("SET use_cached_result = false");
      for (int i = 0; i < all.size(); i++) {
        TpchQuery q = all.get((first + i) % all.size());
        try (ResultSet rs = s.executeQuery(q.statement())) {
          while (rs.next()) {
            rows++;
          }
        }
      }
    } finally {
      close(c);
    }
    return rows;
  }

  private static Connection connect(RunningServer server, String warehouse, TpchSchemaName schema)
      throws Exception {
    Properties p = new Properties();
    p.setProperty("token", server.token());
    p.setProperty("warehouse", warehouse);
    Connection c = DriverManager.getConnection(server.jdbcUrl(), p);
    try (Statement s = c.createStatement()) {
      s.execute("USE " + schema.catalog() + "." + schema.schema());
    }
    return c;
  }

  /** Closes a connection; a failure to close is reported, not part of what is measured. */
  private static void close(Connection c) {
    try {
      c.close();
    } catch (java.sql.SQLException e) {
      System.out.println("(closing a connection failed: " + e.getMessage() + ")");
    }
  }

  private static void awaitState(RunningServer server, Warehouse w, WarehouseState state)
      throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (server.server().warehouseStore().resolve(w.id()).state() != state) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("warehouse " + w.name() + " did not reach " + state);
      }
      Thread.sleep(100);
    }
  }

  private static void awaitClusters(RunningServer server, Warehouse w, int clusters)
      throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (server.server().warehouses().runningClusters(w.id()).size() < clusters) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("warehouse " + w.name() + " did not reach " + clusters);
      }
      Thread.sleep(100);
    }
  }

  /** Whether the most recently started node's JVM mapped the class archive, from its log. */
  private static String sharing(Path dataDirectory) throws Exception {
    try (java.util.stream.Stream<Path> logs =
        Files.find(
            dataDirectory.resolve("nodes"),
            2,
            (f, a) ->
                f.getFileName().toString().equals(ProcessClusterProvisioner.CLASS_SHARING_LOG))) {
      return logs.max(
              java.util.Comparator.comparing(
                  f -> {
                    try {
                      return Files.getLastModifiedTime(f);
                    } catch (java.io.IOException e) {
                      return java.nio.file.attribute.FileTime.fromMillis(0);
                    }
                  }))
          .map(
              f -> {
                try {
                  return Files.readString(f).contains("Mapped dynamic region") ? "used" : "unused";
                } catch (java.io.IOException e) {
                  return "?";
                }
              })
          .orElse("not given");
    }
  }

  /** The history's figures of cold run {@code run}'s statement (written in the background). */
  private static String history(RunningServer server, int run) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT total_duration_ms, compilation_duration_ms, planning_duration_ms,"
                    + " waiting_for_compute_duration_ms, execution_duration_ms"
                    + " FROM system.query.history WHERE statement_text LIKE '%AS run"
                    + run
                    + " FROM nation%' AND statement_text NOT LIKE '%history%'")) {
          if (rs.next()) {
            return String.format(
                "total %d ms = compilation %d ms (planning %d ms) + execution %d ms (waiting for"
                    + " compute %d ms)",
                rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(5), rs.getLong(4));
          }
        }
        Thread.sleep(100);
      }
    }
    return "not recorded";
  }

  private static String loadAverage() {
    return String.format(
        "%.2f",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
