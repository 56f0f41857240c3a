package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseHealth;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.gateway.warehouse.WarehouseCluster;
import io.aquifer.gateway.warehouse.Warehouses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clusters as real node processes ({@code warehouse-nodes=process}): started on the first query
 * with their secret in an owner-only file; a node killed with {@code kill -9} mid-query is replaced
 * and the query, which gave no rows yet, runs again on the replacement (once: killed there too, it
 * fails with NODE_UNAVAILABLE); a node that stops answering its health checks is killed and
 * replaced; no node outlives the gateway. Prints the node start times it saw (figures, not
 * assertions).
 */
class WarehouseNodeProcessTest {
  private static final String LONG_COUNT =
      "SELECT count(*) FROM p.thousand a, p.thousand b, p.thousand c, p.thousand d"
          + " WHERE (a.x * 31 + b.x * 17 + c.x * 7 + d.x) % 1000003 = 5";

  @TempDir Path dataDirectory;

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  private static Connection flight(RunningServer server, String warehouse) throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", server.token());
    p.setProperty("warehouse", warehouse);
    return DriverManager.getConnection(server.jdbcUrl(), p);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (java.sql.Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static long pid(Warehouses warehouses, String warehouseId) {
    List<WarehouseCluster> clusters = warehouses.runningClusters(warehouseId);
    assertEquals(1, clusters.size());
    return clusters.get(0).pid().orElseThrow();
  }

  private static void kill(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor());
  }

  /**
   * 30 concurrent long statements on a warehouse of 1 to 3 clusters (concurrency 10) start three
   * node processes and no more; once they are canceled, idle clusters stop (scale-in, after a
   * second) down to the one of {@code min_num_clusters} while the warehouse keeps running; once it
   * has been idle for its auto-stop time, it stops: every node process ends. The next statement
   * starts it again.
   */
  @Test
  void nodeProcessesScaleOutUnderLoadAndStopWhenIdle() throws Exception {
    RunningServer server =
        RunningServer.start(
            dataDirectory,
            Map.of(
                WarehouseConfig.NODES, "process",
                WarehouseConfig.AUTO_STOP_UNIT, "1",
                WarehouseConfig.SCALE_OUT_DELAY, "1",
                WarehouseConfig.SCALE_IN_DELAY, "1",
                ServerConfig.NODE_THREADS, "1"));
    try {
      Warehouses warehouses = server.server().warehouses();
      try (Connection c = server.connect();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA p");
        s.execute("CREATE TABLE p.ten AS SELECT id AS x FROM range(10)");
        s.execute(
            "CREATE TABLE p.thousand AS SELECT a.x * 100 + b.x * 10 + c.x AS x"
                + " FROM p.ten a, p.ten b, p.ten c");
      }
      Warehouse elastic =
          server
              .server()
              .warehouseStore()
              .create(
                  new WarehouseSpec("elastic", WarehouseSize.XXSMALL, 1, 3, 8, 10, Map.of()),
                  "admin");
      io.aquifer.gateway.Gateway gateway = server.server().gateway();
      io.aquifer.gateway.Session session =
          gateway.openSession(new io.aquifer.catalog.Principal("admin", true));
      session.warehouse("elastic");
      List<io.aquifer.gateway.Statement> running = new java.util.ArrayList<>();
      int[] peak = new int[1];
      java.util.Set<Long> pids = new java.util.HashSet<>();
      try {
        for (int i = 0; i < 30; i++) {
          running.add(gateway.submit(session, LONG_COUNT, List.of()));
        }
        await(
            "three clusters run the 30 statements",
            () -> {
              int clusters = warehouses.clusters(elastic.id());
              peak[0] = Math.max(peak[0], clusters);
              return clusters == 3 && warehouses.running(elastic.id()) == 30;
            });
        for (WarehouseCluster cluster : warehouses.runningClusters(elastic.id())) {
          long pid = cluster.pid().orElseThrow();
          assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
          pids.add(pid);
        }
        assertEquals(3, pids.size(), "three node processes");
      } finally {
        for (io.aquifer.gateway.Statement s : running) {
          gateway.cancel(session, s.id());
        }
        gateway.closeSession(session.id());
      }
      assertEquals(3, peak[0], "never more than max_num_clusters");
      await("the canceled statements ended", () -> warehouses.running(elastic.id()) == 0);
      // Scale-in: idle clusters stop after the scale-in delay (1 s), down to min_num_clusters,
      // while the warehouse keeps running (auto_stop_mins is 8 "minutes" of a second each).
      await(
          "idle clusters stopped down to one while the warehouse runs",
          () -> {
            WarehouseState state = server.server().warehouseStore().resolve(elastic.id()).state();
            if (state != WarehouseState.RUNNING) {
              throw new AssertionError("the warehouse left RUNNING before it scaled in: " + state);
            }
            return warehouses.clusters(elastic.id()) == 1;
          });
      // (Not necessarily one of the three: on a loaded machine a node that misses its health
      // checks is replaced while the statements run.)
      long kept = warehouses.runningClusters(elastic.id()).get(0).pid().orElseThrow();
      for (long pid : pids) {
        if (pid != kept) {
          await(
              "scaled-in node process " + pid + " ended",
              () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
      }
      pids.add(kept);
      // Idle for auto_stop_mins: every node process ends.
      await(
          "the idle warehouse stopped",
          () ->
              server.server().warehouseStore().resolve(elastic.id()).state()
                      == WarehouseState.STOPPED
                  && warehouses.clusters(elastic.id()) == 0);
      for (long pid : pids) {
        await(
            "node process " + pid + " ended",
            () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
      }
      try (Connection c = flight(server, "elastic")) {
        assertEquals(1000, count(c, "SELECT count(*) FROM p.thousand"));
      }
      assertEquals(1, warehouses.clusters(elastic.id()), "started again with one cluster");
    } finally {
      server.close();
    }
  }

  @Test
  void nodeProcessesStartAreReplacedWhenKilledAndEndWithTheGateway() throws Exception {
    RunningServer server =
        RunningServer.start(
            dataDirectory,
            Map.of(
                WarehouseConfig.NODES, "process",
                WarehouseConfig.AUTO_STOP_UNIT, "1",
                ServerConfig.NODE_THREADS, "1"));
    Warehouses warehouses = server.server().warehouses();
    long nodePid;
    try {
      Warehouse starter = server.server().warehouseStore().resolve(WarehouseSpec.STARTER_NAME);
      try (Connection c = server.connect();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA p");
        s.execute("CREATE TABLE p.ten (x BIGINT)");
        long began = System.nanoTime();
        s.execute("INSERT INTO p.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
        System.out.printf(
            "stopped Starter Warehouse to INSERT done (node process start included): %d ms%n",
            (System.nanoTime() - began) / 1_000_000);
        s.execute(
            "CREATE TABLE p.thousand AS SELECT a.x * 100 + b.x * 10 + c.x AS x"
                + " FROM p.ten a, p.ten b, p.ten c");
      }
      long starterPid = pid(warehouses, starter.id());
      assertNotEquals(ProcessHandle.current().pid(), starterPid, "the node is its own process");
      Path secret = dataDirectory.resolve("nodes").resolve(starter.id() + "-1").resolve("secret");
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
      // DuckDB's native library was unpacked once for all nodes; the node loaded that copy and
      // did not unpack its own into its temp directory.
      // (nodes/native also holds the nodes' class archive and class path jars.)
      try (var unpacked = Files.list(dataDirectory.resolve("nodes").resolve("native"))) {
        Path library =
            unpacked
                .map(dir -> dir.resolve(NodeNativeLibrary.LIBRARY_FILE))
                .filter(Files::isRegularFile)
                .findFirst()
                .orElseThrow();
        assertTrue(Files.size(library) > 1_000_000);
      }
      try (var temp = Files.list(secret.getParent().resolve("jvm-tmp"))) {
        assertEquals(List.of(), temp.map(p -> p.getFileName().toString()).toList());
      }

      Warehouse fragile =
          server
              .server()
              .warehouseStore()
              .create(
                  new WarehouseSpec("fragile", WarehouseSize.XXSMALL, 1, 1, 0, 10, Map.of()),
                  "admin");
      long began = System.nanoTime();
      try (Connection c = flight(server, "fragile")) {
        assertEquals(1000, count(c, "SELECT count(*) FROM p.thousand"));
      }
      System.out.printf(
          "stopped warehouse to first row through Flight SQL JDBC: %d ms%n",
          (System.nanoTime() - began) / 1_000_000);
      assertEquals(
          WarehouseState.RUNNING, server.server().warehouseStore().resolve("fragile").state());
      long first = pid(warehouses, fragile.id());

      // kill -9 the node while it runs a query that gave no rows yet: the statement runs again
      // on the replacement; killed there too, it fails clearly (one retry only).
      CompletableFuture<SQLException> failure =
          CompletableFuture.supplyAsync(
              () -> {
                try (Connection c = flight(server, "fragile")) {
                  count(c, LONG_COUNT);
                  return null;
                } catch (SQLException e) {
                  return e;
                }
              });
      await("the long query runs on the node", () -> warehouses.running(fragile.id()) == 1);
      kill("-9", first);
      await(
          "the statement runs again on a new node",
          () -> {
            List<WarehouseCluster> now = warehouses.runningClusters(fragile.id());
            return now.size() == 1
                && now.get(0).pid().orElseThrow() != first
                && warehouses.running(fragile.id()) == 1;
          });
      assertFalse(failure.isDone(), "the statement was not retried: " + failure.getNow(null));
      Path killedTemp =
          dataDirectory.resolve("nodes").resolve(fragile.id() + "-1").resolve("jvm-tmp");
      await(
          "the killed node's unpacked DuckDB library is deleted",
          () -> {
            try (java.util.stream.Stream<Path> left = Files.list(killedTemp)) {
              return left.findAny().isEmpty();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      long second = pid(warehouses, fragile.id());
      kill("-9", second);
      SQLException e = failure.get(90, TimeUnit.SECONDS);
      assertNotNull(e, "the query on the killed node did not fail");
      System.out.println("a statement lost twice fails with: " + e.getMessage());
      assertTrue(e.getMessage().contains("[NODE_UNAVAILABLE]"), e.getMessage());
      assertTrue(e.getMessage().contains("SQLSTATE: 08006"), e.getMessage());
      assertTrue(e.getMessage().contains("being replaced"), e.getMessage());
      assertTrue(
          e.getMessage().contains("after losing cluster " + fragile.id() + "-1"), e.getMessage());
      await(
          "a new node replaced the killed one",
          () -> {
            List<WarehouseCluster> now = warehouses.runningClusters(fragile.id());
            return now.size() == 1 && now.get(0).pid().orElseThrow() != second;
          });
      try (Connection c = flight(server, "fragile")) {
        assertEquals(10, count(c, "SELECT count(*) FROM p.ten"));
      }
      await(
          "the warehouse is healthy again",
          () ->
              server.server().warehouseStore().resolve("fragile").health()
                  == WarehouseHealth.HEALTHY);

      // A node that stops answering (SIGSTOP: alive, silent) fails its health checks and is
      // killed and replaced.
      long frozen = pid(warehouses, fragile.id());
      kill("-STOP", frozen);
      await(
          "the frozen node is killed and replaced",
          () -> {
            List<WarehouseCluster> now = warehouses.runningClusters(fragile.id());
            return now.size() == 1
                && now.get(0).pid().orElseThrow() != frozen
                && ProcessHandle.of(frozen).map(h -> !h.isAlive()).orElse(true);
          });
      try (Connection c = flight(server, "fragile")) {
        assertEquals(1000, count(c, "SELECT count(*) FROM p.thousand"));
      }
      // A query that already gave rows is not run again: the loss fails it clearly.
      long streaming = pid(warehouses, fragile.id());
      try (Connection c = flight(server, "fragile");
          java.sql.Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT a.x FROM p.thousand a, p.thousand b, p.thousand c, p.thousand d"
                      + " WHERE (a.x * 31 + b.x * 17 + c.x * 7 + d.x) % 1009 = 5")) {
        assertTrue(rs.next());
        kill("-9", streaming);
        long deadline = System.nanoTime() + 90_000_000_000L;
        // The Flight SQL JDBC driver throws the broken stream's FlightRuntimeException as is.
        Exception lost =
            assertThrows(
                Exception.class,
                () -> {
                  while (rs.next()) {
                    if (System.nanoTime() > deadline) {
                      throw new AssertionError("the stream did not break");
                    }
                  }
                });
        assertTrue(lost.getMessage().contains("NODE_UNAVAILABLE"), lost.getMessage());
        assertTrue(lost.getMessage().contains("being replaced"), lost.getMessage());
      }
      await(
          "a new node replaced the one killed while streaming",
          () -> {
            List<WarehouseCluster> now = warehouses.runningClusters(fragile.id());
            return now.size() == 1 && now.get(0).pid().orElseThrow() != streaming;
          });
      nodePid = pid(warehouses, fragile.id());
      List<Duration> starts = warehouses.clusterStartTimes();
      System.out.println(
          "node process start times (ms): "
              + starts.stream().map(d -> Long.toString(d.toMillis())).toList());
      assertTrue(starts.size() >= 3, starts.toString());
    } finally {
      server.close();
    }
    long closedPid = nodePid;
    await(
        "no node process outlives the gateway",
        () -> ProcessHandle.of(closedPid).map(h -> !h.isAlive()).orElse(true));
  }
}
