package io.aquifer.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseEngine;
import io.aquifer.catalog.WarehouseHealth;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.flightsql.FlightSqlFrontEnd;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.GatewayConfig;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.execution.ExternalLocations;
import io.aquifer.gateway.history.QueryHistory;
import io.aquifer.gateway.warehouse.EngineClusterProvisioner;
import io.aquifer.gateway.warehouse.Warehouses;
import io.aquifer.gateway.warehouse.WarehousesConfig;
import io.aquifer.spark.SparkClusterProvisioner;
import io.aquifer.spark.SparkConnectEngine;
import io.aquifer.spark.SparkPlanCompiler;
import io.aquifer.spark.SparkWarehouseConnection;
import io.aquifer.spark.local.LocalSparkConnectServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark engine against a real Spark Connect server ({@code local[2]}, in a child JVM started
 * here): the 22 TPC-H queries, planned by Aquifer's planner and compiled to Spark SQL over the
 * exact Parquet files of the bound Delta snapshots, give the SF 0.01 answers; Spark's errors arrive
 * as Aquifer's error codes; a running query can be canceled.
 */
class SparkEngineTpchTest {
  private static final TpchSchemaName SCHEMA = TpchSchemaName.defaultFor(SampleWarehouse.SF_001);

  private static Path work;
  private static LocalSparkConnectServer server;
  private static SparkConnectEngine engine;

  @BeforeAll
  static void startSpark() throws Exception {
    work = Files.createTempDirectory("aquifer-spark-test-");
    server = LocalSparkConnectServer.start(work, 2, Duration.ofSeconds(90));
    engine = new SparkConnectEngine(server.remote());
  }

  @AfterAll
  static void stopSpark() {
    try {
      if (engine != null) {
        engine.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
      TpchDataLoader.deleteRecursively(work);
    }
  }

  @Test
  void allQueriesMatchTheAnswersOnSpark() throws Exception {
    long start = System.nanoTime();
    SampleWarehouse warehouse = SampleWarehouse.sf001();
    long loaded = System.nanoTime();
    TpchAnswers answers =
        TpchAnswers.forScaleFactor(TpchAnswers.defaultFixturesRoot(), SampleWarehouse.SF_001);
    assertEquals(
        List.of(),
        AquiferQueryPath.check(warehouse, SCHEMA, answers, engine, SparkPlanCompiler::compile));
    System.out.printf(
        "SF 0.01 loaded in %d ms; 22 queries on Spark in %d ms%n",
        (loaded - start) / 1_000_000, (System.nanoTime() - loaded) / 1_000_000);
  }

  @Test
  void sparkErrorsArriveAsAquiferErrorCodes() {
    assertEquals(ExecErrorCode.CAST_INVALID_INPUT, failure("SELECT CAST('x' AS INT) AS v"));
    assertEquals(ExecErrorCode.DIVISION_BY_ZERO, failure("SELECT 1 / 0 AS v"));
    assertEquals(ExecErrorCode.ENGINE_ERROR, failure("SELECT * FROM no_such_relation"));
  }

  @Test
  void aRunningQueryCanBeCanceled() throws Exception {
    QueryFragment endless =
        new QueryFragment(
            "spark-cancel",
            "SELECT sum(a.id * b.id) AS s FROM range(0, 100000000) a, range(0, 1000) b",
            List.of());
    try (RootAllocator allocator = new RootAllocator()) {
      CompletableFuture<ExecException> outcome =
          CompletableFuture.supplyAsync(
              () -> {
                try (ArrowReader reader = engine.execute(endless, allocator)) {
                  reader.loadNextBatch();
                  return null;
                } catch (ExecException e) {
                  return e;
                } catch (Exception e) {
                  return new ExecException(ExecErrorCode.ENGINE_ERROR, e.toString(), e);
                }
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!engine.isRunning("spark-cancel") && !outcome.isDone()) {
        assertTrue(System.nanoTime() < deadline, "the query did not start");
        Thread.sleep(20);
      }
      engine.cancel("spark-cancel");
      ExecException e = outcome.get(60, TimeUnit.SECONDS);
      assertTrue(e != null, "the query was not canceled");
      assertEquals(ExecErrorCode.QUERY_CANCELED, e.code(), e.getMessage());
    }
  }

  /**
   * The gateway's own statement path (parse, validate, bind snapshots, authorize) with a Spark
   * connection as its warehouse: the same statements give the same rows as on the DuckDB node, and
   * a Spark failure reaches the client as the gateway's error with its SQLSTATE.
   */
  @Test
  void theGatewayRunsStatementsOnSpark() throws Exception {
    SampleWarehouse warehouse = SampleWarehouse.sf001();
    Path gatewayDirectory = Files.createDirectories(work.resolve("gateway"));
    try (RootAllocator allocator = new RootAllocator();
        Gateway gateway =
            new Gateway(
                warehouse.catalog,
                new AccessTokenStore(warehouse.database),
                warehouse.tables,
                new SparkWarehouseConnection(new SparkConnectEngine(server.remote()), allocator),
                allocator,
                gatewayDirectory,
                ExternalLocations.defaults(warehouse.dataDirectory),
                GatewayConfig.defaults(gatewayDirectory),
                QueryHistory.DISABLED)) {
      StatementServiceSql spark =
          new StatementServiceSql(
              gateway, gateway.openSession(new Principal(SampleWarehouse.OWNER, true)));
      String lineitem = SCHEMA.sql() + ".lineitem";
      String nation = SCHEMA.sql() + ".nation";
      for (String sql :
          List.of(
              "SELECT count(*), sum(l_quantity), min(l_shipdate), max(l_comment) FROM " + lineitem,
              "SELECT n_regionkey, count(*) AS n FROM "
                  + nation
                  + " GROUP BY n_regionkey ORDER BY n_regionkey")) {
        List<List<String>> onSpark = spark.query(sql);
        assertTrue(!onSpark.isEmpty(), sql);
        assertEquals(warehouse.sql().query(sql), onSpark, sql);
      }
      // Time travel: the gateway binds the snapshot, Spark reads exactly that version's files.
      // The table is written through the DuckDB gateway (Spark warehouses do not write yet).
      WarehouseSql duckDb = warehouse.sql();
      duckDb.update("CREATE SCHEMA IF NOT EXISTS main.spark_time_travel");
      try {
        duckDb.update("CREATE TABLE main.spark_time_travel.t (id INT, s STRING)");
        duckDb.update("INSERT INTO main.spark_time_travel.t VALUES (1, 'a'), (2, 'b')");
        duckDb.update("INSERT INTO main.spark_time_travel.t VALUES (3, 'c')");
        assertEquals(
            List.of(List.of("1", "a"), List.of("2", "b")),
            spark.query("SELECT id, s FROM main.spark_time_travel.t VERSION AS OF 1 ORDER BY id"));
        assertEquals(
            List.of(List.of("1", "a"), List.of("2", "b"), List.of("3", "c")),
            spark.query("SELECT id, s FROM main.spark_time_travel.t ORDER BY id"));
      } finally {
        duckDb.update("DROP TABLE IF EXISTS main.spark_time_travel.t");
        duckDb.update("DROP SCHEMA IF EXISTS main.spark_time_travel");
      }
      // The same through the Arrow Flight SQL JDBC driver and Aquifer's Flight SQL front end.
      String token =
          new AccessTokenStore(warehouse.database)
              .createToken(SampleWarehouse.OWNER, Optional.empty(), Optional.empty())
              .token();
      try (FlightSqlFrontEnd frontEnd = new FlightSqlFrontEnd(gateway, allocator, "127.0.0.1", 0)) {
        frontEnd.start();
        String url =
            "jdbc:arrow-flight-sql://127.0.0.1:"
                + frontEnd.port()
                + "/?useEncryption=false&token="
                + token;
        String sql = "SELECT count(*) AS n, sum(l_quantity) AS q FROM " + lineitem;
        List<String> expected = warehouse.sql().query(sql).get(0);
        try (Connection connection = DriverManager.getConnection(url);
            Statement statement = connection.createStatement()) {
          try (ResultSet rs = statement.executeQuery(sql)) {
            assertTrue(rs.next());
            assertEquals(expected, List.of(rs.getString(1), rs.getString(2)));
            assertTrue(!rs.next());
          }
          SQLException jdbcFailure =
              assertThrows(
                  SQLException.class,
                  () -> {
                    try (ResultSet rs =
                        statement.executeQuery("SELECT CAST(n_name AS INT) FROM " + nation)) {
                      while (rs.next()) {
                        // drain
                      }
                    }
                  });
          StringBuilder message = new StringBuilder();
          for (Throwable c = jdbcFailure; c != null; c = c.getCause()) {
            message.append(c.getMessage()).append(" / ");
          }
          assertTrue(message.toString().contains("SQLSTATE: 22018"), message.toString());
        }
      }
      RuntimeException failed =
          assertThrows(
              RuntimeException.class,
              () -> spark.query("SELECT CAST(n_name AS INT) FROM " + nation));
      Throwable t = failed;
      while (t != null && !(t instanceof GatewayException)) {
        t = t.getCause();
      }
      assertTrue(t instanceof GatewayException, failed.toString());
      assertEquals("22018", ((GatewayException) t).sqlState(), t.getMessage());
    }
  }

  /**
   * A warehouse of type {@code spark} in the catalog, routed by the gateway's {@code Warehouses}:
   * reached by a client through the Arrow Flight SQL JDBC driver with {@code warehouse=<name>}, its
   * statements run on Spark, including writes (Spark writes Parquet, the gateway commits one Delta
   * transaction; the DuckDB gateway reads the same rows back). A failed write leaves no trace; an
   * unreachable endpoint fails the warehouse's start with a clear error, within its deadline.
   */
  @Test
  void aSparkWarehouseRunsAndWritesThroughTheGateway() throws Exception {
    SampleWarehouse warehouse = SampleWarehouse.sf001();
    Path gatewayDirectory = Files.createDirectories(work.resolve("gateway-warehouses"));
    WarehouseStore store = new WarehouseStore(warehouse.database);
    Warehouse spark =
        store.create(
            WarehouseSpec.of("spark_" + System.nanoTime(), WarehouseSize.SMALL)
                .withEngine(WarehouseEngine.SPARK, Optional.of(server.remote())),
            SampleWarehouse.OWNER);
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Warehouse unreachable =
        store.create(
            WarehouseSpec.of("nowhere_" + System.nanoTime(), WarehouseSize.SMALL)
                .withEngine(WarehouseEngine.SPARK, Optional.of("sc://127.0.0.1:" + closedPort)),
            SampleWarehouse.OWNER);
    String schema = "main.spark_dml";
    WarehouseSql duckDb = warehouse.sql();
    try (RootAllocator allocator = new RootAllocator();
        Warehouses warehouses =
            new Warehouses(
                store,
                new EngineClusterProvisioner(
                    Map.of(
                        WarehouseEngine.SPARK,
                        new SparkClusterProvisioner(allocator, Duration.ofSeconds(5)))),
                WarehousesConfig.defaults());
        Gateway gateway =
            new Gateway(
                warehouse.catalog,
                new AccessTokenStore(warehouse.database),
                warehouse.tables,
                warehouses,
                allocator,
                warehouse.dataDirectory,
                ExternalLocations.defaults(warehouse.dataDirectory),
                GatewayConfig.defaults(gatewayDirectory),
                QueryHistory.DISABLED);
        FlightSqlFrontEnd frontEnd = new FlightSqlFrontEnd(gateway, allocator, "127.0.0.1", 0)) {
      frontEnd.start();
      String token =
          new AccessTokenStore(warehouse.database)
              .createToken(SampleWarehouse.OWNER, Optional.empty(), Optional.empty())
              .token();
      String url =
          "jdbc:arrow-flight-sql://127.0.0.1:"
              + frontEnd.port()
              + "/?useEncryption=false&token="
              + token
              + "&warehouse=";
      try (Connection connection = DriverManager.getConnection(url + spark.name());
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        statement.execute(
            "CREATE TABLE "
                + schema
                + ".t (id INT NOT NULL, s STRING, d DECIMAL(10, 2), ts TIMESTAMP, day DATE)");
        statement.execute(
            "INSERT INTO "
                + schema
                + ".t VALUES (1, 'a', 1.50, TIMESTAMP '2024-01-02 03:04:05', DATE '2024-01-02'),"
                + " (2, 'b', NULL, NULL, NULL), (3, 'c', 7.25, TIMESTAMP '2025-06-30 23:59:59',"
                + " DATE '2025-06-30')");
        // The INSERT started the warehouse: one "cluster", the Spark Connect session.
        assertEquals(WarehouseState.RUNNING, store.get(spark.id()).orElseThrow().state());
        assertEquals(1, warehouses.clusters(spark.id()), "a Spark warehouse is one cluster");
        statement.execute(
            "CREATE TABLE "
                + schema
                + ".regions AS SELECT n_regionkey, count(*) AS n FROM "
                + SCHEMA.sql()
                + ".nation GROUP BY n_regionkey");
        String readT =
            "SELECT id, s, CAST(d AS STRING), CAST(ts AS STRING), CAST(day AS STRING) FROM "
                + schema
                + ".t ORDER BY id";
        List<List<String>> expectedT = duckDb.query(readT);
        assertEquals(3, expectedT.size(), expectedT.toString());
        assertEquals(
            List.of("1", "a", "1.50", "2024-01-02 03:04:05", "2024-01-02"), expectedT.get(0));
        assertEquals(Arrays.asList("2", "b", null, null, null), expectedT.get(1));
        assertEquals(expectedT, jdbcRows(statement, readT));
        String readRegions = "SELECT n_regionkey, n FROM " + schema + ".regions ORDER BY 1";
        assertEquals(
            List.of(
                List.of("0", "5"),
                List.of("1", "5"),
                List.of("2", "5"),
                List.of("3", "5"),
                List.of("4", "5")),
            duckDb.query(readRegions));
        assertEquals(duckDb.query(readRegions), jdbcRows(statement, readRegions));

        // A failed write leaves no trace: no rows, no new files, no staging directory.
        Path tableDirectory = tableDirectory(warehouse.dataDirectory, "t");
        List<String> filesBefore = listing(tableDirectory);
        for (String bad :
            List.of(
                "INSERT INTO "
                    + schema
                    + ".t SELECT CAST(n_name AS INT), n_name, NULL, NULL, NULL"
                    + " FROM "
                    + SCHEMA.sql()
                    + ".nation",
                "INSERT INTO "
                    + schema
                    + ".t SELECT CAST(CASE WHEN n_nationkey = 7 THEN NULL ELSE"
                    + " n_nationkey END AS INT), n_name, NULL, NULL, NULL FROM "
                    + SCHEMA.sql()
                    + ".nation")) {
          SQLException e = assertThrows(SQLException.class, () -> statement.execute(bad), bad);
          String message = messages(e);
          assertTrue(
              message.contains("22018") || message.contains("NOT NULL"), bad + ": " + message);
        }
        assertEquals(filesBefore, listing(tableDirectory));
        assertEquals(expectedT, jdbcRows(statement, readT));

        // Row-level changes: the gateway's copy-on-write plans, run on Spark.
        statement.execute("DELETE FROM " + schema + ".t WHERE id = 2");
        statement.execute("UPDATE " + schema + ".t SET s = 'z' WHERE id = 3");
        statement.execute(
            "MERGE INTO "
                + schema
                + ".t AS t USING (SELECT n_nationkey AS id, n_name AS s FROM "
                + SCHEMA.sql()
                + ".nation WHERE n_nationkey IN (1, 4)) AS c ON t.id = c.id"
                + " WHEN MATCHED THEN UPDATE SET s = c.s"
                + " WHEN NOT MATCHED THEN INSERT (id, s) VALUES (c.id, c.s)");
        List<List<String>> changed = duckDb.query("SELECT id, s FROM " + schema + ".t ORDER BY id");
        assertEquals(
            List.of(List.of("1", "ARGENTINA"), List.of("3", "z"), List.of("4", "EGYPT")), changed);
        assertEquals(
            changed, jdbcRows(statement, "SELECT id, s FROM " + schema + ".t ORDER BY id"));
        assertTrue(
            listing(tableDirectory).stream().noneMatch(f -> f.contains("_aquifer_staging_")),
            listing(tableDirectory).toString());
      } finally {
        try {
          duckDb.update("DROP TABLE IF EXISTS " + schema + ".t");
          duckDb.update("DROP TABLE IF EXISTS " + schema + ".regions");
          duckDb.update("DROP SCHEMA IF EXISTS " + schema);
        } catch (RuntimeException e) {
          e.printStackTrace(); // not to hide the test's own failure
        }
      }
      // Stopping the warehouse closes its Spark Connect session.
      store.transition(
          spark.id(),
          java.util.EnumSet.of(WarehouseState.RUNNING, WarehouseState.STARTING),
          WarehouseState.STOPPING);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (store.get(spark.id()).orElseThrow().state() != WarehouseState.STOPPED) {
        assertTrue(System.nanoTime() < deadline, "the Spark warehouse did not stop");
        warehouses.checkNow();
        Thread.sleep(50);
      }
      assertEquals(0, warehouses.clusters(spark.id()));

      // An endpoint nothing listens on: the start fails within its deadline, saying why.
      try (Connection connection = DriverManager.getConnection(url + unreachable.name());
          Statement statement = connection.createStatement()) {
        SQLException e =
            assertThrows(
                SQLException.class,
                () -> statement.executeQuery("SELECT count(*) FROM " + SCHEMA.sql() + ".nation"));
        String message = messages(e);
        assertTrue(message.contains("could not start"), message);
        assertTrue(message.contains("sc://127.0.0.1:" + closedPort), message);
      }
      Warehouse failed = store.get(unreachable.id()).orElseThrow();
      assertEquals(WarehouseState.STOPPED, failed.state());
      assertEquals(WarehouseHealth.FAILED, failed.health());
    }
  }

  /**
   * On a warehouse of type {@code spark}, reached through the Arrow Flight SQL JDBC driver: EXPLAIN
   * shows the Spark SQL the statement would run (DuckDB's SQL stays for a DuckDB warehouse) without
   * starting the warehouse; {@code SET STATEMENT_TIMEOUT} and a statement's own time limit cancel a
   * long Spark job with the timeout error (57014), and the session stays usable; and {@code aquifer
   * tpch bench --spark-warehouse NAME} adds a Spark column.
   */
  @Test
  void aSparkWarehouseExplainsInSparkSqlTimesOutAndHasABenchColumn() throws Exception {
    SampleWarehouse warehouse = SampleWarehouse.sf001();
    Path gatewayDirectory = Files.createDirectories(work.resolve("gateway-timeouts"));
    WarehouseStore store = new WarehouseStore(warehouse.database);
    Warehouse spark =
        store.create(
            WarehouseSpec.of("spark_timeout_" + System.nanoTime(), WarehouseSize.SMALL)
                .withEngine(WarehouseEngine.SPARK, Optional.of(server.remote())),
            SampleWarehouse.OWNER);
    String lineitem = SCHEMA.sql() + ".lineitem";
    String nation = SCHEMA.sql() + ".nation";
    try (RootAllocator allocator = new RootAllocator();
        Warehouses warehouses =
            new Warehouses(
                store,
                new EngineClusterProvisioner(
                    Map.of(
                        WarehouseEngine.SPARK,
                        new SparkClusterProvisioner(allocator, Duration.ofSeconds(30)))),
                WarehousesConfig.defaults());
        Gateway gateway =
            new Gateway(
                warehouse.catalog,
                new AccessTokenStore(warehouse.database),
                warehouse.tables,
                warehouses,
                allocator,
                warehouse.dataDirectory,
                ExternalLocations.defaults(warehouse.dataDirectory),
                GatewayConfig.defaults(gatewayDirectory),
                QueryHistory.DISABLED);
        FlightSqlFrontEnd frontEnd = new FlightSqlFrontEnd(gateway, allocator, "127.0.0.1", 0)) {
      frontEnd.start();
      String token =
          new AccessTokenStore(warehouse.database)
              .createToken(SampleWarehouse.OWNER, Optional.empty(), Optional.empty())
              .token();
      String url = "jdbc:arrow-flight-sql://127.0.0.1:" + frontEnd.port() + "/?useEncryption=false";
      java.util.Properties properties = new java.util.Properties();
      properties.setProperty("token", token);
      properties.setProperty("warehouse", spark.name());
      try (Connection connection = DriverManager.getConnection(url, properties);
          Statement statement = connection.createStatement()) {
        // EXPLAIN compiles for the session's warehouse: Spark SQL here, DuckDB's on DuckDB.
        String query = "SELECT n_regionkey, count(*) AS n FROM " + nation + " GROUP BY n_regionkey";
        String onSpark = engineSql(jdbcRows(statement, "EXPLAIN " + query));
        String onDuckDb = engineSql(warehouse.sql().query("EXPLAIN " + query));
        assertTrue(onSpark.contains("`__aquifer_scan_0`"), onSpark);
        assertTrue(onDuckDb.contains("\"__aquifer_scan_0\""), onDuckDb);
        assertEquals(
            WarehouseState.STOPPED,
            store.get(spark.id()).orElseThrow().state(),
            "EXPLAIN does not start the warehouse");

        // A cross join of lineitem with itself (3.6 billion pairs) runs for minutes on local[2].
        String endless =
            "SELECT sum(a.l_quantity * b.l_extendedprice) AS s FROM "
                + lineitem
                + " a, "
                + lineitem
                + " b";
        statement.execute("SET STATEMENT_TIMEOUT = 3");
        SQLException timedOut =
            assertThrows(SQLException.class, () -> jdbcRows(statement, endless), endless);
        String message = messages(timedOut);
        assertTrue(message.contains("SQLSTATE: 57014"), message);
        assertTrue(message.contains("STATEMENT_TIMEOUT"), message);
        // The session stays usable, on Spark.
        statement.execute("SET STATEMENT_TIMEOUT = 0");
        assertEquals(
            warehouse.sql().query("SELECT count(*) FROM " + nation),
            jdbcRows(statement, "SELECT count(*) FROM " + nation));
      }
      // A statement's own limit (what front ends make of a JDBC query timeout) does the same.
      io.aquifer.gateway.Session session =
          gateway.openSession(new Principal(SampleWarehouse.OWNER, true));
      session.warehouse(spark.name());
      StatementServiceSql sql = new StatementServiceSql(gateway, session);
      io.aquifer.gateway.Statement limited =
          gateway.submit(
              session,
              "SELECT count(*) FROM " + lineitem + " a, " + lineitem + " b",
              List.of(),
              Optional.of(Duration.ofSeconds(3)));
      GatewayException limitHit = awaitFailure(limited);
      assertEquals("57014", limitHit.sqlState(), limitHit.getMessage());
      assertEquals("STATEMENT_TIMEOUT", limitHit.errorClass(), limitHit.getMessage());
      assertEquals(
          warehouse.sql().query("SELECT count(*) FROM " + nation),
          sql.query("SELECT count(*) FROM " + nation));

      // The benchmark's Spark column: the queries through the Spark warehouse, next to the
      // other columns (here in-process DuckDB stands in for the DuckDB node).
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      TpchWarehouseConnector connector =
          new TpchWarehouseConnector() {
            @Override
            public Connection connect(WarehouseOptions options, Optional<String> t)
                throws SQLException {
              return duckDbStandIn(warehouse);
            }

            @Override
            public Connection connect(WarehouseOptions options, Optional<String> t, String name)
                throws SQLException {
              java.util.Properties p = new java.util.Properties();
              p.setProperty("token", t.orElseThrow());
              p.setProperty("warehouse", name);
              return DriverManager.getConnection(url, p);
            }
          };
      TpchCommand command =
          new TpchCommand(
              options -> dataDirectory(warehouse),
              connector,
              new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
              new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
              Map.of(TpchCommand.TOKEN_ENVIRONMENT, token));
      Path json = work.resolve("bench-spark.json");
      int status =
          new picocli.CommandLine(command)
              .execute(
                  "bench",
                  "--sf",
                  "0.01",
                  "--runs",
                  "1",
                  "--warmup",
                  "0",
                  "--queries",
                  "1,6",
                  "--no-planner",
                  "--spark-warehouse",
                  spark.name(),
                  "--json",
                  json.toString());
      String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, status, printed + err.toString(java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(!printed.contains("failed") && !printed.contains("returned"), printed);
      var figures = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
      assertEquals(
          List.of("Flight SQL", SparkBenchColumn.NAME, BenchmarkReport.REFERENCE),
          java.util.stream.StreamSupport.stream(figures.get("engines").spliterator(), false)
              .map(com.fasterxml.jackson.databind.JsonNode::asText)
              .toList());
      assertEquals(2, figures.get("queries").size());
      for (var q : figures.get("queries")) {
        var sparkTiming = q.get("engines").get(SparkBenchColumn.NAME);
        assertEquals(
            q.get("engines").get(BenchmarkReport.REFERENCE).get("rows").asInt(),
            sparkTiming.get("rows").asInt(),
            q.toString());
        assertTrue(sparkTiming.get("ratioToReference").isNumber(), q.toString());
      }
      assertTrue(
          figures.get("totals").get(SparkBenchColumn.NAME).get("medianSeconds").isNumber(),
          figures.toString());
    }
  }

  /** The engine SQL section of an EXPLAIN answer (one row, one column). */
  private static String engineSql(List<List<String>> explain) {
    assertEquals(1, explain.size(), explain.toString());
    String text = explain.get(0).get(0);
    int at = text.indexOf("== Engine SQL ==");
    assertTrue(at >= 0, text);
    return text.substring(at);
  }

  /** Waits (at most two minutes) until the statement fails, and returns its error. */
  private static GatewayException awaitFailure(io.aquifer.gateway.Statement statement) {
    return assertThrows(
        GatewayException.class,
        () -> {
          var result = statement.awaitResult(Duration.ofMinutes(2));
          assertTrue(result != null, "the statement did not end within two minutes");
          if (result instanceof io.aquifer.gateway.StatementResult.Rows rows) {
            try (var stream = rows.stream()) {
              while (stream.next()) {
                // drain
              }
            }
          }
        });
  }

  /** In-process DuckDB with the SF 0.01 tables as views in samples.tpch_sf0_01. */
  private static Connection duckDbStandIn(SampleWarehouse warehouse) throws SQLException {
    Connection connection =
        InProcessDuckDb.open(
            warehouse.tables, TpchTableLocations.resolve(warehouse.catalog, SCHEMA), 2);
    try (Statement statement = connection.createStatement()) {
      statement.execute("ATTACH ':memory:' AS samples");
      statement.execute("CREATE SCHEMA samples.tpch_sf0_01");
      for (TpchTableSpec<?> table : TpchTableSpec.ALL) {
        statement.execute(
            "CREATE VIEW samples.tpch_sf0_01."
                + table.name()
                + " AS SELECT * FROM memory.main."
                + table.name());
      }
    }
    return connection;
  }

  /** The shared SF 0.01 warehouse's data directory; closing it leaves it open. */
  private static TpchDataDirectory dataDirectory(SampleWarehouse warehouse) {
    return new TpchDataDirectory() {
      @Override
      public io.aquifer.catalog.CatalogStore catalog() {
        return warehouse.catalog;
      }

      @Override
      public io.aquifer.storage.delta.DeltaTables tables() {
        return warehouse.tables;
      }

      @Override
      public io.aquifer.gateway.execution.ManagedTableLocations locations() {
        return warehouse.locations;
      }

      @Override
      public String owner() {
        return SampleWarehouse.OWNER;
      }

      @Override
      public void close() {}
    };
  }

  private static List<List<String>> jdbcRows(Statement statement, String sql) throws SQLException {
    List<List<String>> rows = new java.util.ArrayList<>();
    try (ResultSet rs = statement.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static String messages(Throwable e) {
    StringBuilder message = new StringBuilder();
    for (Throwable c = e; c != null; c = c.getCause()) {
      message.append(c.getMessage()).append(" / ");
    }
    return message.toString();
  }

  /** The directory of managed table {@code name} of schema spark_dml. */
  private static Path tableDirectory(Path dataDirectory, String name) throws Exception {
    Path schemaDirectory = dataDirectory.resolve("warehouse").resolve("main").resolve("spark_dml");
    try (var listing = Files.list(schemaDirectory)) {
      return listing
          .filter(p -> p.getFileName().toString().startsWith(name + "-"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no directory of table " + name));
    }
  }

  /** Every file and directory below a table's root (its data files and log), sorted. */
  private static List<String> listing(Path directory) throws Exception {
    try (var walk = Files.walk(directory)) {
      return walk.map(p -> directory.relativize(p).toString()).sorted().toList();
    }
  }

  private static ExecErrorCode failure(String sql) {
    try (RootAllocator allocator = new RootAllocator()) {
      ExecException e =
          assertThrows(
              ExecException.class,
              () -> {
                try (ArrowReader reader =
                    engine.execute(new QueryFragment("spark-error", sql, List.of()), allocator)) {
                  while (reader.loadNextBatch()) {
                    // drain
                  }
                }
              });
      return e.code();
    }
  }
}
