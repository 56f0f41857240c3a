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
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node serves only callers presenting its secret, and writes only below its data directories. */
class WarehouseNodeAuthenticationTest {
  static final NodeSecret SECRET = NodeSecret.generate();
  @TempDir static Path root;
  static DuckDbEngine engine;
  static WarehouseNodeServer node;
  static RootAllocator allocator;
  static Path data;

  @BeforeAll
  static void start() {
    data = root.resolve("data");
    engine =
        new DuckDbEngine(
            DuckDbEngineConfig.defaults(List.of(data), root.resolve("tmp"))
                .withMemoryLimits(1L << 30, 64L << 20)
                .withThreads(1));
    node = WarehouseNodeServer.start(engine, 0, SECRET);
    allocator = new RootAllocator();
  }

  @AfterAll
  static void stop() {
    node.close();
    allocator.close();
  }

  private static WriteFragment write(Path target) {
    return new WriteFragment(
        new QueryFragment(UUID.randomUUID().toString(), "SELECT 1 AS n", List.of()),
        target.toUri(),
        new TableSchema(List.of(Column.of("n", PrimitiveType.INT))),
        1000);
  }

  @Test
  void callsWithoutTheSecretAreRefusedBeforeAnythingRuns() throws Exception {
    Path target = data.resolve("planted");
    FragmentCodec codec = new FragmentCodec();
    byte[] query =
        codec.encode(
            new QueryFragment(
                "probe",
                "SELECT * FROM glob(" + "'" + data + "/**')",
                List.<io.aquifer.exec.ScanSpec>of()));
    byte[] writeBody = codec.encode(write(target));
    List<Consumer<FlightClient>> calls =
        List.of(
            c -> {
              try (var stream = c.getStream(new Ticket(query))) {
                stream.next();
              } catch (Exception e) {
                if (e instanceof FlightRuntimeException f) {
                  throw f;
                }
                throw new IllegalStateException(e);
              }
            },
            c -> c.doAction(new Action(WarehouseNodeProducer.WRITE_ACTION, writeBody)).hasNext(),
            c ->
                c.doAction(new Action(WarehouseNodeProducer.CANCEL_ACTION, "probe".getBytes(UTF_8)))
                    .hasNext(),
            c -> c.listActions().forEach(a -> {}),
            c -> c.listFlights(Criteria.ALL).forEach(f -> {}));
    NodeSecret wrong = NodeSecret.generate();
    for (FlightClient caller :
        List.of(
            FlightClient.builder(allocator, node.location()).build(),
            FlightClient.builder(allocator, node.location())
                .intercept(new NodeSecretHeader(wrong))
                .build())) {
      try (caller) {
        for (Consumer<FlightClient> call : calls) {
          FlightRuntimeException e =
              assertThrows(FlightRuntimeException.class, () -> call.accept(caller));
          assertEquals(FlightStatusCode.UNAUTHENTICATED, e.status().code(), e.getMessage());
          assertFalse(e.getMessage().contains(wrong.headerValue().substring(7)));
        }
      }
    }
    assertFalse(Files.exists(target), "a refused write created its table directory");
    assertEquals(0, engine.runningQueries());
    // the gateway, holding the secret, is served
    try (WarehouseNodeClient gateway = new WarehouseNodeClient(allocator, node.location(), SECRET);
        ArrowReader reader =
            gateway.query(new QueryFragment(UUID.randomUUID().toString(), "SELECT 7", List.of()))) {
      assertEquals(List.of(List.of(7)), ArrowRows.readAll(reader));
    }
  }

  @Test
  void writesOutsideTheDataDirectoriesAreRefusedAndCreateNothing() throws Exception {
    Path outside = root.resolve("outside").resolve("deep").resolve("table");
    Path traversal = data.resolve("..").resolve("escaped");
    Path link =
        Files.createSymbolicLink(
            data.resolve("link"), Files.createDirectories(root.resolve("elsewhere")));
    try (WarehouseNodeClient gateway =
        new WarehouseNodeClient(allocator, node.location(), SECRET)) {
      for (Path target : List.of(outside, traversal, data, link.resolve("t"), link)) {
        ExecException e = assertThrows(ExecException.class, () -> gateway.write(write(target)));
        assertEquals(ExecErrorCode.ACCESS_DENIED, e.code(), e.getMessage());
      }
      assertFalse(Files.exists(root.resolve("outside")));
      assertFalse(Files.exists(root.resolve("escaped")));
      try (Stream<Path> files = Files.list(root.resolve("elsewhere"))) {
        assertEquals(0, files.count());
      }
      assertEquals(1, gateway.write(write(data.resolve("ok"))).size());
    }
  }

  @Test
  void theSecretFileMustBePrivateAndTheSecretIsNeverPrinted() throws Exception {
    Path file = root.resolve("secret");
    SECRET.writeTo(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(NodeSecret.fromFile(file).acceptsHeader(SECRET.headerValue()));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThrows(IllegalArgumentException.class, () -> NodeSecret.fromFile(file));
    assertEquals("NodeSecret[redacted]", SECRET.toString());
    assertFalse(SECRET.acceptsHeader(null));
    assertFalse(SECRET.acceptsHeader("Bearer "));
    assertThrows(
        IllegalArgumentException.class,
        () -> WarehouseNodeMain.Options.parse(new String[] {"--data-dir", "/d"}).secret(null));
  }
}
