package io.aquifer.exec.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ArrowRows;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node (DuckDB behind Flight on loopback) and the gateway's client. */
class WarehouseNodeFlightTest {
  static final NodeSecret SECRET = NodeSecret.generate();
  @TempDir static Path root;
  static DuckDbEngine engine;
  static WarehouseNodeServer node;
  static RootAllocator clientAllocator;
  static WarehouseNodeClient client;
  static Path data;

  @BeforeAll
  static void start() {
    data = root.resolve("data");
    engine =
        new DuckDbEngine(
            DuckDbEngineConfig.defaults(List.of(data), root.resolve("tmp"))
                .withMemoryLimits(1L << 30, 64L << 20)
                .withThreads(2)
                .withArrowBatchRows(8192));
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
  void theNodeServesTheNextQueryAndHoldsNothing() throws Exception {
    try (ArrowReader reader = client.query(fragment("SELECT 42 AS answer"))) {
      assertEquals(List.of(List.of(42)), ArrowRows.readAll(reader));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((engine.runningQueries() > 0 || node.arrowMemoryBytes() > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, engine.runningQueries());
    assertEquals(0, node.arrowMemoryBytes());
    assertEquals(0, clientAllocator.getAllocatedMemory());
  }

  private static QueryFragment fragment(String sql) {
    return new QueryFragment(UUID.randomUUID().toString(), sql, List.of());
  }

  @Test
  void aMillionRowsStreamInBatchesWithBoundedMemory() throws Exception {
    long clientPeakBefore = clientAllocator.getPeakMemoryAllocation();
    long rows = 0;
    long batches = 0;
    long resultBytes = 0;
    long maxBatchBytes = 0;
    try (ArrowReader reader =
        client.query(
            fragment(
                "SELECT range AS id, 'customer #' || range AS name, range * 0.5 AS score"
                    + " FROM range(1000000)"))) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        long id0 = (Long) root.getVector("id").getObject(0);
        assertEquals(rows, id0, "batches arrive in order");
        rows += root.getRowCount();
        batches++;
        long batchBytes = root.getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum();
        resultBytes += batchBytes;
        maxBatchBytes = Math.max(maxBatchBytes, batchBytes);
        if (batches <= 10) {
          Thread.sleep(20); // a slow client: the node must wait, not buffer the result
        }
      }
    }
    assertEquals(1_000_000, rows);
    assertTrue(batches >= 100, "batches: " + batches);
    assertTrue(resultBytes > 25_000_000, "result bytes: " + resultBytes);
    long clientPeak = Math.max(clientPeakBefore, clientAllocator.getPeakMemoryAllocation());
    assertTrue(
        clientPeak < resultBytes / 10,
        "client peak " + clientPeak + " for a result of " + resultBytes + " bytes");
    assertTrue(
        node.peakArrowMemoryBytes() < resultBytes / 10,
        "node peak " + node.peakArrowMemoryBytes() + " for a result of " + resultBytes + " bytes");
  }

  @Test
  void theEngineProfileOfAFinishedQueryIsFetchedOnceAfterItsStream() throws Exception {
    QueryFragment fragment =
        fragment("SELECT range % 7 AS k, count(*) AS n FROM range(100000) GROUP BY k ORDER BY k");
    java.util.concurrent.CompletableFuture<java.util.Optional<String>> fetched;
    try (ArrowReader reader = client.query(fragment)) {
      io.aquifer.exec.EngineProfiled profiled = (io.aquifer.exec.EngineProfiled) reader;
      long rows = 0;
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
        // not before the end: nothing is fetched
        assertEquals(java.util.Optional.empty(), profiled.engineProfile().get());
      }
      assertEquals(7, rows);
      fetched = profiled.engineProfile();
    }
    String profile = fetched.get(30, TimeUnit.SECONDS).orElseThrow();
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(profile);
    java.util.List<String> types = new java.util.ArrayList<>();
    java.util.List<Long> groupRows = new java.util.ArrayList<>();
    java.util.ArrayDeque<com.fasterxml.jackson.databind.JsonNode> todo =
        new java.util.ArrayDeque<>();
    json.get("operator").forEach(todo::add);
    while (!todo.isEmpty()) {
      com.fasterxml.jackson.databind.JsonNode op = todo.pop();
      types.add(op.get("type").asText());
      if (op.get("type").asText().endsWith("GROUP_BY")) {
        groupRows.add(op.get("intermediate_rows").asLong());
      }
      op.path("children").forEach(todo::add);
    }
    assertTrue(types.contains("ORDER_BY"), types.toString());
    assertEquals(java.util.List.of(7L), groupRows, types.toString());
    // fetched once: the node forgot it
    assertEquals(java.util.Optional.empty(), client.engineProfile(fragment.queryId()));
  }

  @Test
  void aQueryClosedBeforeItsEndLeavesNoEngineProfile() throws Exception {
    QueryFragment fragment = fragment("SELECT range AS n FROM range(5000000)");
    try (ArrowReader reader = client.query(fragment)) {
      assertTrue(reader.loadNextBatch());
      assertEquals(
          java.util.Optional.empty(),
          ((io.aquifer.exec.EngineProfiled) reader).engineProfile().get());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engine.runningQueries() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(java.util.Optional.empty(), client.engineProfile(fragment.queryId()));
    assertEquals(java.util.Optional.empty(), client.engineProfile("no-such-query"));
  }

  @Test
  void engineErrorsArriveWithTheirCodeAndSqlState() {
    ExecException e =
        assertThrows(
            ExecException.class,
            () -> {
              try (ArrowReader reader =
                  client.query(fragment("SELECT CAST('abc' || range AS INTEGER) FROM range(3)"))) {
                reader.loadNextBatch();
              }
            });
    assertEquals(ExecErrorCode.CAST_INVALID_INPUT, e.code());
    assertEquals("22018", e.sqlState());
    assertTrue(
        e.getMessage()
            .startsWith("The value 'abc0' of the type \"STRING\" cannot be cast to \"INT\""),
        e.getMessage());
    assertFalse(e.getMessage().contains("LINE"), e.getMessage());
  }

  @Test
  void aQueryOverThePerQueryLimitIsResourceExhausted() {
    ExecException e =
        assertThrows(
            ExecException.class,
            () -> {
              try (ArrowReader reader =
                  client.query(fragment("SELECT repeat('x', 10000) FROM range(100000)"))) {
                while (reader.loadNextBatch()) {}
              }
            });
    assertEquals(ExecErrorCode.OUT_OF_MEMORY, e.code());
    assertTrue(e.getMessage().contains("per-query memory limit of 64.0 MiB"), e.getMessage());
    FlightRuntimeException flight = (FlightRuntimeException) e.getCause();
    assertEquals(FlightStatusCode.RESOURCE_EXHAUSTED, flight.status().code());
  }

  @Test
  void aLongQueryIsCanceledFromAnotherThread() throws Exception {
    QueryFragment fragment =
        fragment(
            "SELECT count(*) FROM range(1000000000) a, range(1000000) b"
                + " WHERE a.range + b.range = -1");
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (engine.runningQueries() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(300);
    client.cancel(fragment.queryId());
    ExecException e = failure.get(15, TimeUnit.SECONDS);
    assertEquals(ExecErrorCode.QUERY_CANCELED, e.code(), e.getMessage());
    assertEquals("57014", e.sqlState());
  }

  @Test
  void closingTheReaderEarlyCancelsTheQueryOnTheNode() throws Exception {
    try (ArrowReader reader = client.query(fragment("SELECT range FROM range(10000000000)"))) {
      assertTrue(reader.loadNextBatch());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (engine.runningQueries() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, engine.runningQueries());
  }

  /**
   * A canceled statement closes its stream on an interrupted thread (its task was canceled with an
   * interrupt): the batch the stream holds must still be freed, and the interrupt kept. The check
   * after each test asserts nothing stays allocated.
   */
  @Test
  void closingOnAnInterruptedThreadFreesTheBatch() throws Exception {
    ArrowReader reader = client.query(fragment("SELECT range FROM range(10000000000)"));
    assertTrue(reader.loadNextBatch());
    assertTrue(clientAllocator.getAllocatedMemory() > 0);
    Thread.currentThread().interrupt();
    try {
      reader.close();
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
    assertEquals(0, clientAllocator.getAllocatedMemory());
  }

  @Test
  void writesReturnTheFilesWithTypedStatistics() throws Exception {
    Path table = Files.createDirectories(data.resolve("orders"));
    WriteFragment write =
        new WriteFragment(
            fragment(
                "SELECT range::INTEGER AS id, DATE '2024-01-01' + range::INTEGER AS day"
                    + " FROM range(10)"),
            table.toUri(),
            new TableSchema(
                List.of(Column.of("id", PrimitiveType.INT), Column.of("day", PrimitiveType.DATE))),
            1000);
    List<NewDataFile> files = client.write(write);
    assertEquals(1, files.size());
    assertEquals(10, files.get(0).stats().numRecords());
    assertEquals(9, files.get(0).stats().maxValues().get("id"));
    assertEquals(LocalDate.of(2024, 1, 10), files.get(0).stats().maxValues().get("day"));
    assertTrue(Files.exists(Path.of(files.get(0).path())));
  }

  @Test
  void aFailedWriteThroughTheNodeLeavesNoFiles() throws Exception {
    Path table = Files.createDirectories(data.resolve("broken"));
    WriteFragment write =
        new WriteFragment(
            fragment("SELECT range // (range - 5) AS n FROM range(10)"),
            table.toUri(),
            new TableSchema(List.of(Column.of("n", PrimitiveType.BIGINT))),
            1000);
    ExecException e = assertThrows(ExecException.class, () -> client.write(write));
    assertEquals(ExecErrorCode.DIVISION_BY_ZERO, e.code());
    assertEquals("22012", e.sqlState());
    try (Stream<Path> files = Files.list(table)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aMalformedTicketIsAnInvalidRequest() throws Exception {
    try (FlightClient raw =
        FlightClient.builder(clientAllocator, node.location())
            .intercept(new NodeSecretHeader(SECRET))
            .build()) {
      FlightRuntimeException e =
          assertThrows(
              FlightRuntimeException.class,
              () -> {
                try (var stream =
                    raw.getStream(
                        new Ticket("{\"engineSql\": 1".getBytes(StandardCharsets.UTF_8)))) {
                  stream.next();
                }
              });
      assertEquals(FlightStatusCode.INVALID_ARGUMENT, e.status().code());
      assertEquals(ExecErrorCode.INVALID_REQUEST, FlightErrorMapping.fromFlight(e, "node").code());
      FlightRuntimeException unknown =
          assertThrows(
              FlightRuntimeException.class,
              () ->
                  raw.doAction(new Action("drop-everything", new byte[0]))
                      .forEachRemaining(r -> {}));
      assertEquals(FlightStatusCode.UNIMPLEMENTED, unknown.status().code());
    }
  }

  @Test
  void anUnreachableNodeIsNodeUnavailable() throws Exception {
    int freePort;
    try (var socket = new java.net.ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    try (WarehouseNodeClient nowhere =
        new WarehouseNodeClient(clientAllocator, WarehouseNodeServer.LOOPBACK, freePort, SECRET)) {
      ExecException e =
          assertThrows(
              ExecException.class,
              () -> {
                try (ArrowReader reader = nowhere.query(fragment("SELECT 1"))) {
                  reader.loadNextBatch();
                }
              });
      assertEquals(ExecErrorCode.NODE_UNAVAILABLE, e.code());
      assertEquals("08006", e.sqlState());
      assertEquals(
          ExecErrorCode.NODE_UNAVAILABLE,
          assertThrows(ExecException.class, () -> nowhere.cancel("q")).code());
    }
  }

  @Test
  void pingAnswersWhileAQueryRunsAndFailsAtItsDeadlineForANodeThatDoesNotAnswer() throws Exception {
    client.ping(java.time.Duration.ofSeconds(10));
    try (ArrowReader reader = client.query(fragment("SELECT range FROM range(10000000000)"))) {
      assertTrue(reader.loadNextBatch());
      client.ping(java.time.Duration.ofSeconds(10)); // a busy node still answers its health check
    }
    // A socket that accepts connections and never says a word: a frozen node.
    try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        WarehouseNodeClient frozen =
            new WarehouseNodeClient(
                clientAllocator, WarehouseNodeServer.LOOPBACK, silent.getLocalPort(), SECRET)) {
      ExecException e =
          assertThrows(ExecException.class, () -> frozen.ping(java.time.Duration.ofMillis(300)));
      assertEquals(ExecErrorCode.NODE_UNAVAILABLE, e.code(), e.getMessage());
      assertEquals("08006", e.sqlState());
    }
  }

  @Test
  void profileFetchesStillQueuedWhenTheClientClosesCompleteEmpty() throws Exception {
    // A frozen node holds the one fetching thread; the fetches behind it never run.
    try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      WarehouseNodeClient frozen =
          new WarehouseNodeClient(
              clientAllocator, WarehouseNodeServer.LOOPBACK, silent.getLocalPort(), SECRET);
      List<java.util.concurrent.CompletableFuture<java.util.Optional<String>>> fetches =
          List.of(
              frozen.engineProfileLater("q1"),
              frozen.engineProfileLater("q2"),
              frozen.engineProfileLater("q3"));
      frozen.close();
      for (var fetch : fetches) {
        assertEquals(
            java.util.Optional.empty(), fetch.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void aNodeWhoseEngineIsClosedFailsItsPing() {
    DuckDbEngine closing =
        new DuckDbEngine(
            DuckDbEngineConfig.defaults(List.of(data), root.resolve("tmp-closing"))
                .withMemoryLimits(256L << 20, 64L << 20)
                .withThreads(1));
    try (WarehouseNodeServer other = WarehouseNodeServer.start(closing, 0, SECRET);
        WarehouseNodeClient otherClient =
            new WarehouseNodeClient(clientAllocator, other.location(), SECRET)) {
      otherClient.ping(java.time.Duration.ofSeconds(10));
      closing.close();
      ExecException e =
          assertThrows(
              ExecException.class, () -> otherClient.ping(java.time.Duration.ofSeconds(10)));
      assertEquals(ExecErrorCode.NODE_UNAVAILABLE, e.code(), e.getMessage());
    }
  }
}
