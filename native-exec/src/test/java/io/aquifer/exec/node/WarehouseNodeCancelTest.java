package io.aquifer.exec.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ArrowRows;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.TestParquet;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import io.grpc.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canceling through the node's Flight endpoint while DuckDB is still computing the first (and only)
 * batch: a cross join of two Parquet scans of a million rows, which takes hours. Every way the
 * gateway can give up on such a query must stop it on the node, not only end the call.
 */
class WarehouseNodeCancelTest {
  static final NodeSecret SECRET = NodeSecret.generate();

  /** 10^12 row pairs before the one result row: only a cancel ends it. */
  static final String CROSS_JOIN =
      "SELECT count(*) FROM a, b WHERE (a.id * 31 + b.id * 17) % 1000003 = 5";

  /** Generous: a stopped query ends in milliseconds, a missed cancel never. */
  static final int STOP_BOUND_SECONDS = 60;

  @TempDir static Path root;
  static DuckDbEngine engine;
  static WarehouseNodeServer node;
  static RootAllocator clientAllocator;
  static WarehouseNodeClient client;
  static Path data;
  static String million;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createDirectories(root.resolve("data"));
    million =
        TestParquet.write(
            data.resolve("million.parquet"),
            "SELECT range AS id, 'row-' || (range // 100000) AS label FROM range(1000000)");
    engine =
        new DuckDbEngine(
            DuckDbEngineConfig.defaults(List.of(data), root.resolve("tmp"))
                .withMemoryLimits(1L << 30, 256L << 20)
                .withThreads(2));
    node = WarehouseNodeServer.start(engine, 0, SECRET);
    clientAllocator = new RootAllocator();
    client = new WarehouseNodeClient(clientAllocator, node.location(), SECRET);
  }

  @AfterAll
  static void stop() {
    client.close();
    node.close();
    assertEquals(0, clientAllocator.getAllocatedMemory());
    clientAllocator.close();
  }

  @AfterEach
  void theQueryStoppedOnTheNodeWhichServesTheNext() throws Exception {
    assertTrue(
        waitFor(() -> engine.runningQueries() == 0), "the node still runs the canceled query");
    assertTrue(waitFor(() -> node.arrowMemoryBytes() == 0), "the node still holds Arrow memory");
    try (ArrowReader reader = client.query(fragment("SELECT 42 AS answer"))) {
      assertEquals(List.of(List.of(42)), ArrowRows.readAll(reader));
    }
    assertEquals(0, clientAllocator.getAllocatedMemory());
  }

  @Test
  void cancelingByIdStopsTheQueryWhileItComputesTheFirstBatch() throws Exception {
    QueryFragment fragment = crossJoin();
    CompletableFuture<ExecException> failure =
        CompletableFuture.supplyAsync(
            () ->
                assertThrows(
                    ExecException.class,
                    () -> {
                      try (ArrowReader reader = client.query(fragment)) {
                        while (reader.loadNextBatch()) {}
                      }
                    }));
    awaitComputing(failure::isDone);
    client.cancel(fragment.queryId());
    ExecException e = failure.get(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    assertEquals(ExecErrorCode.QUERY_CANCELED, e.code(), e.getMessage());
  }

  @Test
  void closingTheReaderBeforeTheFirstBatchStopsTheQuery() throws Exception {
    QueryFragment fragment = crossJoin();
    ArrowReader reader = client.query(fragment);
    awaitComputing(() -> false);
    reader.close();
    assertTrue(
        waitFor(() -> engine.runningQueries() == 0), "the node still runs the canceled query");
  }

  @Test
  void closingTheReaderWhileAnotherThreadWaitsForTheFirstBatchStopsTheQuery() throws Exception {
    QueryFragment fragment = crossJoin();
    ArrowReader reader = client.query(fragment);
    CompletableFuture<Exception> pull =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                reader.loadNextBatch();
                return null;
              } catch (Exception e) {
                return e;
              }
            });
    awaitComputing(pull::isDone);
    reader.close();
    Exception e = pull.get(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    assertTrue(e instanceof ExecException, String.valueOf(e));
    assertEquals(ExecErrorCode.QUERY_CANCELED, ((ExecException) e).code(), e.getMessage());
  }

  /**
   * As in the gateway, the query starts outside the call that later reads it (so gRPC does not tie
   * the node's call to it), and the reading call is canceled while it waits.
   */
  @Test
  void aPullOnBehalfOfACanceledCallStopsTheQuery() throws Exception {
    QueryFragment fragment = crossJoin();
    ArrowReader reader = client.query(fragment);
    Context.CancellableContext call = Context.current().withCancellation();
    CompletableFuture<ExecException> failure =
        CompletableFuture.supplyAsync(
            () -> {
              Context previous = call.attach();
              try (reader) {
                return assertThrows(
                    ExecException.class,
                    () -> {
                      while (reader.loadNextBatch()) {}
                    });
              } catch (Exception e) {
                throw new AssertionError(e);
              } finally {
                call.detach(previous);
              }
            });
    awaitComputing(failure::isDone);
    call.cancel(null);
    ExecException e = failure.get(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    assertEquals(ExecErrorCode.QUERY_CANCELED, e.code(), e.getMessage());
  }

  /**
   * The gateway's topology: a statement thread starts the query on the node; a Flight service (like
   * the Flight SQL front end) streams it from its DoGet handler, whose client cancels that DoGet
   * while the node computes.
   */
  @Test
  void aClientCancelingTheRelayingCallStopsTheQuery() throws Exception {
    Map<String, ArrowReader> readers = new ConcurrentHashMap<>();
    NoOpFlightProducer relay =
        new NoOpFlightProducer() {
          @Override
          public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
            try (ArrowReader reader = readers.remove(new String(ticket.getBytes(), UTF_8))) {
              boolean started = false;
              while (reader.loadNextBatch()) {
                if (!started) {
                  listener.start(reader.getVectorSchemaRoot());
                  started = true;
                }
                listener.putNext();
              }
              listener.completed();
            } catch (Exception e) {
              listener.error(e);
            }
          }
        };
    try (RootAllocator relayAllocator = new RootAllocator();
        FlightServer relayServer =
            FlightServer.builder(
                    relayAllocator,
                    Location.forGrpcInsecure(WarehouseNodeServer.LOOPBACK, 0),
                    relay)
                .build()
                .start();
        FlightClient relayClient =
            FlightClient.builder(relayAllocator, relayServer.getLocation()).build()) {
      QueryFragment fragment = crossJoin();
      readers.put(fragment.queryId(), client.query(fragment));
      FlightStream stream = relayClient.getStream(new Ticket(fragment.queryId().getBytes(UTF_8)));
      awaitComputing(() -> false);
      stream.cancel("The user canceled the statement", null);
      assertThrows(FlightRuntimeException.class, stream::next);
      stream.close();
      assertTrue(
          waitFor(() -> engine.runningQueries() == 0), "the node still runs the canceled query");
    }
  }

  /** A client that gives up on its write call (deadline, interrupt, lost connection). */
  @Test
  void aWriteWhoseCallIsCanceledStopsAndLeavesNoFiles() throws Exception {
    Path table = Files.createDirectories(data.resolve("counted"));
    WriteFragment write =
        new WriteFragment(
            crossJoin(),
            table.toUri(),
            new TableSchema(List.of(Column.of("n", PrimitiveType.BIGINT))),
            1000);
    Context.CancellableContext call = Context.current().withCancellation();
    CompletableFuture<ExecException> failure =
        CompletableFuture.supplyAsync(
            () -> {
              Context previous = call.attach();
              try {
                return assertThrows(ExecException.class, () -> client.write(write));
              } finally {
                call.detach(previous);
              }
            });
    awaitComputing(failure::isDone);
    call.cancel(null);
    ExecException e = failure.get(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    assertEquals(ExecErrorCode.QUERY_CANCELED, e.code(), e.getMessage());
    assertTrue(
        waitFor(() -> engine.runningQueries() == 0), "the node still runs the canceled write");
    try (Stream<Path> files = Files.list(table)) {
      assertEquals(List.of(), files.toList());
    }
  }

  private static QueryFragment crossJoin() {
    return fragment(CROSS_JOIN, scan("a"), scan("b"));
  }

  private static QueryFragment fragment(String sql, ScanSpec... scans) {
    return new QueryFragment(UUID.randomUUID().toString(), sql, List.of(scans));
  }

  private static ScanSpec scan(String name) {
    return new ScanSpec(
        name,
        List.of(new ScanColumn("id", "id", PrimitiveType.BIGINT, false)),
        List.of(new ScanFile(million, Map.of(), new long[0])));
  }

  /** Waits until the node runs the query, then a little longer so DuckDB is deep in the join. */
  private static void awaitComputing(BooleanSupplier ended) throws InterruptedException {
    assertTrue(waitFor(() -> engine.runningQueries() == 1 || ended.getAsBoolean()));
    Thread.sleep(1000);
    assertFalse(ended.getAsBoolean(), "the query should still be computing");
    assertEquals(1, engine.runningQueries());
  }

  private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_BOUND_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
