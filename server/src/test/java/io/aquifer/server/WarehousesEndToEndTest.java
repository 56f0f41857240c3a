package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.warehouse.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Warehouses through real clients on a real server (in-process clusters): the admin command, start
 * on the first query, auto-stop (one auto-stop minute lasts a second here), the connection property
 * {@code warehouse} of the Flight SQL JDBC driver and Avatica, a full queue, scale-out.
 */
class WarehousesEndToEndTest {
  /** Runs until canceled: a filter over 10^12 combinations. */
  private static final String LONG_COUNT =
      "SELECT count(*) FROM wh.thousand a, wh.thousand b, wh.thousand c, wh.thousand d"
          + " WHERE (a.x * 31 + b.x * 17 + c.x * 7 + d.x) % 1000003 = 5";

  @TempDir static Path dataDirectory;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        RunningServer.start(
            dataDirectory,
            Map.of(
                WarehouseConfig.AUTO_STOP_UNIT, "1",
                WarehouseConfig.SCALE_OUT_DELAY, "1",
                WarehouseConfig.QUEUE_SIZE, "2",
                ServerConfig.NODE_THREADS, "1"));
    try (Connection c = server.connect();
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA wh");
      s.execute("CREATE TABLE wh.ten (x BIGINT)");
      s.execute("INSERT INTO wh.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
      s.execute(
          "CREATE TABLE wh.thousand AS SELECT a.x * 100 + b.x * 10 + c.x AS x"
              + " FROM wh.ten a, wh.ten b, wh.ten c");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Warehouses warehouses() {
    return server.server().warehouses();
  }

  /** Runs {@code aquifer warehouse ARGS --data-dir DIR}; returns exit code and output. */
  private static String[] cli(String... args) {
    List<String> all = new ArrayList<>(List.of("warehouse"));
    all.addAll(List.of(args));
    all.add("--data-dir=" + dataDirectory);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = new CommandLine(new AquiferCommand()).execute(all.toArray(String[]::new));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new String[] {
      Integer.toString(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  private static Warehouse warehouse(String name) {
    return server.server().warehouseStore().resolve(name);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  private static Connection flight(String warehouse) throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", server.token());
    p.setProperty("warehouse", warehouse);
    return DriverManager.getConnection(server.jdbcUrl(), p);
  }

  private static Connection avatica(String warehouse) throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", server.token());
    p.setProperty("warehouse", warehouse);
    return DriverManager.getConnection(
        "jdbc:avatica:remote:url=" + server.avaticaUrl() + ";serialization=protobuf", p);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (java.sql.Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void connectionsWithoutAWarehouseRunOnTheStarterWarehouse() throws Exception {
    Warehouse starter = warehouse(WarehouseSpec.STARTER_NAME);
    assertEquals("admin", starter.creator());
    assertEquals(io.aquifer.catalog.WarehouseSize.SMALL, starter.spec().size());
    try (Connection c = server.connect()) {
      assertEquals(10, count(c, "SELECT count(*) FROM wh.ten"));
    }
    assertEquals(WarehouseState.RUNNING, warehouse(starter.id()).state());
    assertEquals(1, warehouses().clusters(starter.id()));
  }

  @Test
  void adminCommandCreatesASparkWarehouseAndChecksItsEndpoint() {
    String[] created =
        cli("create", "--name", "cli spark", "--type", "spark", "--spark-remote", "sc://h:15002");
    assertEquals("0", created[0], created[2]);
    assertTrue(created[1].contains("type:             spark"), created[1]);
    assertTrue(created[1].contains("spark_remote:     sc://h:15002"), created[1]);
    String[] edited = cli("edit", "cli spark", "--spark-remote", "sc://other:15003");
    assertEquals("0", edited[0], edited[2]);
    assertEquals(Optional.of("sc://other:15003"), warehouse("cli spark").spec().sparkConnectUrl());
    assertTrue(cli("list")[1].contains("spark"));
    String[] badUrl =
        cli("create", "--name", "bad spark", "--type", "spark", "--spark-remote", "http://h:1");
    assertEquals("1", badUrl[0]);
    assertTrue(badUrl[2].contains("INVALID_PARAMETER_VALUE (SQLSTATE 22023)"), badUrl[2]);
    assertTrue(badUrl[2].contains("not a Spark Connect endpoint"), badUrl[2]);
    String[] noUrl = cli("create", "--name", "bad spark", "--type", "spark");
    assertEquals("1", noUrl[0]);
    assertTrue(noUrl[2].contains("sc://host:port"), noUrl[2]);
    String[] twoClusters = cli("edit", "cli spark", "--min-clusters", "2", "--max-clusters", "2");
    assertEquals("1", twoClusters[0]);
    assertTrue(twoClusters[2].contains("one cluster"), twoClusters[2]);
    assertEquals("0", cli("delete", "cli spark")[0]);
  }

  @Test
  void adminCommandCreatesListsEditsAndDeletes() {
    String[] created =
        cli(
            "create",
            "--name",
            "cli wh",
            "--size",
            "Medium",
            "--max-clusters",
            "3",
            "--tag",
            "team=bi");
    assertEquals("0", created[0], created[2]);
    assertTrue(created[1].contains("cluster_size:     Medium"), created[1]);
    assertTrue(created[1].contains("state:            STOPPED"), created[1]);
    String[] list = cli("list");
    assertTrue(list[1].contains("cli wh"), list[1]);
    assertTrue(list[1].contains(WarehouseSpec.STARTER_NAME), list[1]);
    String[] edited = cli("edit", "cli wh", "--auto-stop-mins", "0", "--concurrency", "4");
    assertEquals("0", edited[0], edited[2]);
    Warehouse w = warehouse("cli wh");
    assertEquals(0, w.spec().autoStopMins());
    assertEquals(4, w.spec().clusterConcurrency());
    assertEquals(3, w.spec().maxNumClusters());
    assertEquals(Map.of("team", "bi"), w.spec().tags());
    assertTrue(cli("get", w.id())[1].contains("name:             cli wh"));

    String[] duplicate = cli("create", "--name", "CLI WH");
    assertEquals("1", duplicate[0]);
    assertTrue(duplicate[2].contains("RESOURCE_ALREADY_EXISTS (SQLSTATE 42710)"), duplicate[2]);
    String[] badSize = cli("create", "--name", "x", "--size", "Huge");
    assertEquals("1", badSize[0]);
    assertTrue(badSize[2].contains("INVALID_PARAMETER_VALUE (SQLSTATE 22023)"), badSize[2]);
    String[] badClusters = cli("edit", "cli wh", "--min-clusters", "4", "--max-clusters", "2");
    assertEquals("1", badClusters[0]);
    assertTrue(badClusters[2].contains("max_num_clusters"), badClusters[2]);
    assertEquals(3, warehouse("cli wh").spec().maxNumClusters(), "a refused edit changed nothing");

    String[] deleted = cli("delete", "cli wh");
    assertEquals("0", deleted[0], deleted[2]);
    assertTrue(deleted[1].contains("DELETED"), deleted[1]);
    String[] gone = cli("get", "cli wh");
    assertEquals("1", gone[0]);
    assertTrue(gone[2].contains("RESOURCE_DOES_NOT_EXIST (SQLSTATE 42704)"), gone[2]);
  }

  @Test
  void startsOnTheFirstQueryAndStopsAfterItsAutoStopTime() throws Exception {
    Warehouse w =
        server
            .server()
            .warehouseStore()
            .create(
                new WarehouseSpec(
                    "auto", io.aquifer.catalog.WarehouseSize.XSMALL, 1, 1, 2, 10, Map.of()),
                "admin");
    assertEquals(WarehouseState.STOPPED, w.state());
    try (Connection c = flight("auto")) {
      assertEquals(1000, count(c, "SELECT count(*) FROM wh.thousand"));
      assertEquals(1, warehouses().clusters(w.id()));
      assertEquals(WarehouseState.RUNNING, warehouse(w.id()).state());
      // auto_stop_mins = 2, a "minute" lasting a second here.
      await(
          "the idle warehouse stopped", () -> warehouse(w.id()).state() == WarehouseState.STOPPED);
      assertEquals(0, warehouses().clusters(w.id()));
      // The next statement starts it again, on the same connection.
      assertEquals(10, count(c, "SELECT count(*) FROM wh.ten"));
      assertEquals(WarehouseState.RUNNING, warehouse(w.id()).state());
    }
    // Avatica by id.
    try (Connection c = avatica(w.id())) {
      assertEquals(100, count(c, "SELECT count(*) FROM wh.thousand WHERE x < 100"));
    }
  }

  @Test
  void anUnknownWarehouseIsAClearErrorOnEveryFrontEnd() throws Exception {
    try (Connection c = flight("no such warehouse")) {
      SQLException e =
          assertThrows(SQLException.class, () -> count(c, "SELECT count(*) FROM wh.ten"));
      assertTrue(e.getMessage().contains("RESOURCE_DOES_NOT_EXIST"), e.getMessage());
      assertTrue(e.getMessage().contains("'no such warehouse'"), e.getMessage());
    }
    // Avatica refuses the connection itself.
    Exception e = assertThrows(Exception.class, () -> avatica("no such warehouse").close());
    assertTrue(e.getMessage().contains("RESOURCE_DOES_NOT_EXIST"), e.getMessage());
  }

  @Test
  void queuedStatementsScaleOutAndAFullQueueIsRefused() throws Exception {
    Warehouse w =
        server
            .server()
            .warehouseStore()
            .create(
                new WarehouseSpec(
                    "busy", io.aquifer.catalog.WarehouseSize.XXSMALL, 1, 2, 0, 1, Map.of()),
                "admin");
    Gateway gateway = server.server().gateway();
    Session session = gateway.openSession(new Principal("admin", true));
    session.warehouse("busy");
    List<Statement> running = new ArrayList<>();
    try {
      running.add(gateway.submit(session, LONG_COUNT, List.of()));
      await("one cluster runs the first statement", () -> warehouses().clusters(w.id()) == 1);
      running.add(gateway.submit(session, LONG_COUNT, List.of()));
      // Concurrency 1: the second waits; after the scale-out delay a second cluster starts.
      await("a second cluster", () -> warehouses().clusters(w.id()) == 2);
      await("both statements run", () -> warehouses().queued(w.id()) == 0);
      // Both clusters busy at the maximum: two more fill the queue (its size is 2 here).
      running.add(gateway.submit(session, LONG_COUNT, List.of()));
      running.add(gateway.submit(session, LONG_COUNT, List.of()));
      await("two statements queued", () -> warehouses().queued(w.id()) == 2);
      try (Connection c = flight("busy")) {
        SQLException e =
            assertThrows(SQLException.class, () -> count(c, "SELECT count(*) FROM wh.ten"));
        assertTrue(e.getMessage().contains("WAREHOUSE_QUEUE_FULL"), e.getMessage());
        assertTrue(e.getMessage().contains("'busy'"), e.getMessage());
      }
      assertEquals(2, warehouses().clusters(w.id()), "never more than max_num_clusters");
      for (Statement s : running) {
        assertNotEquals(StatementState.FAILED, s.state());
      }
    } finally {
      for (Statement s : running) {
        gateway.cancel(session, s.id());
      }
      gateway.closeSession(session.id());
    }
    await("the queue emptied", () -> warehouses().queued(w.id()) == 0);
    try (Connection c = flight("busy")) {
      assertEquals(10, count(c, "SELECT count(*) FROM wh.ten"));
    }
  }

  @Test
  void adminStartAndStopActOnTheRunningServer() throws Exception {
    Warehouse w =
        server
            .server()
            .warehouseStore()
            .create(
                new WarehouseSpec(
                    "ops", io.aquifer.catalog.WarehouseSize.XXSMALL, 1, 1, 0, 10, Map.of()),
                "admin");
    String[] started = cli("start", "ops");
    assertEquals("0", started[0], started[2]);
    await(
        "the admin-started warehouse runs",
        () ->
            warehouse(w.id()).state() == WarehouseState.RUNNING
                && warehouses().clusters(w.id()) == 1);
    Gateway gateway = server.server().gateway();
    Session session = gateway.openSession(new Principal("admin", true));
    try {
      session.warehouse(w.id());
      Statement running = gateway.submit(session, LONG_COUNT, List.of());
      await("the statement runs on the warehouse", () -> warehouses().running(w.id()) == 1);
      String[] stopped = cli("stop", "ops");
      assertEquals("0", stopped[0], stopped[2]);
      await("the statement ended", () -> running.state().isFinal());
      io.aquifer.gateway.StatementError error =
          gateway.status(session, running.id()).error().orElseThrow();
      assertEquals("NODE_UNAVAILABLE", error.errorClass());
      assertTrue(error.message().contains("'ops'"), error.message());
      assertTrue(error.message().contains("the warehouse was stopped"), error.message());
      await("the warehouse stopped", () -> warehouse(w.id()).state() == WarehouseState.STOPPED);
      assertEquals(0, warehouses().clusters(w.id()));
    } finally {
      gateway.closeSession(session.id());
    }
    String[] deleted = cli("delete", w.id());
    assertEquals("0", deleted[0], deleted[2]);
    try (Connection c = flight(w.id())) {
      SQLException e =
          assertThrows(SQLException.class, () -> count(c, "SELECT count(*) FROM wh.ten"));
      assertTrue(e.getMessage().contains("RESOURCE_DOES_NOT_EXIST"), e.getMessage());
    }
  }

  @Test
  void healthAndReadinessProbesAnswerWithoutAToken() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String base = server.server().databricksRest().baseUrl();
    java.net.http.HttpResponse<String> live =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/healthz")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, live.statusCode(), live.body());
    assertEquals("{\"status\":\"OK\"}", live.body());
    assertEquals("no-store", live.headers().firstValue("Cache-Control").orElseThrow());
    java.net.http.HttpResponse<String> ready =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/readyz")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(
        ready.body().startsWith("{\"status\":\"READY\",\"warehouses\":{\"total\":"), ready.body());
    java.net.http.HttpResponse<String> head =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/readyz"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    // Only GET and HEAD: anything else is 405 with Allow, as for every known path on this port.
    java.net.http.HttpResponse<String> post =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/healthz"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode(), post.body());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    assertTrue(post.body().contains("METHOD_NOT_ALLOWED"), post.body());
  }
}
