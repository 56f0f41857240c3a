package io.aquifer.server;

import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.gateway.warehouse.Warehouses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * How long a stopped warehouse takes to give its first row when its clusters are node processes
 * ({@code warehouse-nodes=process}): each round stops the warehouse, then times a {@code SELECT
 * count(*)} over a small Delta table through the Arrow Flight SQL JDBC driver, and the node start
 * (process launch until the node serves) the gateway measured. The goal of issue 11 is 3 s or less
 * to the first row on the project's 2-core machine. A measuring tool, not a test: nothing is
 * asserted. Run it with {@code mvn -pl server -am -Dtest=WarehouseStartBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false test}, or its {@code main} with the server's test class
 * path (argument: rounds, default 5).
 */
public final class WarehouseStartBenchmark {
  @Test
  void run() throws Exception {
    main(new String[0]);
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path data = Files.createTempDirectory("aquifer-start-benchmark");
    RunningServer server =
        RunningServer.start(
            data, Map.of(WarehouseConfig.NODES, "process", WarehouseConfig.AUTO_STOP_UNIT, "1"));
    try {
      Warehouses warehouses = server.server().warehouses();
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA b");
        s.execute("CREATE TABLE b.ten (x BIGINT)");
        s.execute("INSERT INTO b.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
      }
      Warehouse w =
          server
              .server()
              .warehouseStore()
              .create(
                  new WarehouseSpec("bench", WarehouseSize.XXSMALL, 1, 1, 0, 10, Map.of()),
                  "admin");
      List<Long> firstRow = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        if (round > 0) {
          server
              .server()
              .warehouseStore()
              .transition(
                  w.id(),
                  EnumSet.of(WarehouseState.STARTING, WarehouseState.RUNNING),
                  WarehouseState.STOPPING);
          long deadline = System.nanoTime() + 60_000_000_000L;
          while (server.server().warehouseStore().resolve(w.id()).state() != WarehouseState.STOPPED
              || warehouses.clusters(w.id()) > 0) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("the warehouse did not stop");
            }
            Thread.sleep(50);
          }
        }
        Properties p = new Properties();
        p.setProperty("token", server.token());
        p.setProperty("warehouse", "bench");
        long began = System.nanoTime();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), p);
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM b.ten")) {
          rs.next();
        }
        firstRow.add((System.nanoTime() - began) / 1_000_000);
      }
      List<Duration> starts = warehouses.clusterStartTimes();
      System.out.printf(
          "load average at the end: %.2f (2 cores)%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.println("stopped warehouse to first row (ms): " + firstRow + summary(firstRow));
      List<Long> startMillis = starts.stream().map(Duration::toMillis).toList();
      System.out.println(
          "node process start (ms, Starter Warehouse first): "
              + startMillis
              + summary(startMillis.subList(1, startMillis.size())));
    } finally {
      server.close();
    }
  }

  private static String summary(List<Long> millis) {
    List<Long> sorted = millis.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return "";
    }
    return String.format(
        " — median %d, min %d, max %d",
        sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
  }
}
