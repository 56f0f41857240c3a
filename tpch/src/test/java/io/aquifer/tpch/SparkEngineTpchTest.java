package io.aquifer.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.Principal;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.flightsql.FlightSqlFrontEnd;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.GatewayConfig;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.execution.ExternalLocations;
import io.aquifer.gateway.history.QueryHistory;
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
import java.util.List;
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
