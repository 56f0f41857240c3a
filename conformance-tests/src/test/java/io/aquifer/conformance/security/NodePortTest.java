package io.aquifer.conformance.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse node's Flight port, which every server opens on loopback, as another local user
 * would try it: a plain Arrow Flight client without the node's secret, or with a made-up one. Every
 * call is refused, and nothing is run, written or created.
 */
class NodePortTest {
  @TempDir Path dataDirectory;

  @Test
  void everyCallWithoutTheNodesSecretIsRefusedAndChangesNothing() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE victim AS SELECT 1 AS id");
      Path warehouse = dataDirectory.resolve("warehouse");
      Path tableDirectory;
      try (Stream<Path> dirs = Files.walk(warehouse)) {
        tableDirectory =
            dirs.filter(d -> d.getFileName().toString().startsWith("victim-")).findFirst().get();
      }
      List<Path> before = files(dataDirectory);
      Path outside = dataDirectory.getParent().resolve("planted-" + System.nanoTime());

      String probe =
          "{\"queryId\":\"probe\",\"engineSql\":\"SELECT * FROM glob('"
              + warehouse
              + "/**')\",\"scans\":[]}";
      List<Consumer<FlightClient>> calls =
          List.of(
              client -> drain(client, new Ticket(probe.getBytes(UTF_8))),
              client -> drain(client, new Ticket("garbage".getBytes(UTF_8))),
              client -> client.doAction(new Action("write", write(tableDirectory))).hasNext(),
              client -> client.doAction(new Action("write", write(outside.resolve("t")))).hasNext(),
              client -> client.doAction(new Action("cancel", "probe".getBytes(UTF_8))).hasNext(),
              client -> client.listActions().forEach(a -> {}),
              client -> client.listFlights(Criteria.ALL).forEach(f -> {}));
      Location node = Location.forGrpcInsecure("127.0.0.1", server.server().warehouseNodePort());
      try (RootAllocator allocator = new RootAllocator()) {
        for (String authorization : new String[] {null, "Bearer not-the-secret", "Bearer "}) {
          FlightClient.Builder builder = FlightClient.builder(allocator, node);
          if (authorization != null) {
            builder.intercept(header(authorization));
          }
          try (FlightClient client = builder.build()) {
            for (Consumer<FlightClient> call : calls) {
              FlightRuntimeException e =
                  assertThrows(FlightRuntimeException.class, () -> call.accept(client));
              assertEquals(FlightStatusCode.UNAUTHENTICATED, e.status().code(), e.getMessage());
            }
          }
        }
      }
      assertEquals(before, files(dataDirectory), "a refused call changed the data directory");
      assertFalse(Files.exists(outside), "a refused write created a directory");
      assertEquals(0, server.server().runningEngineQueries());
      // the gateway, which holds the secret, still uses the node
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM victim")) {
        rs.next();
        assertEquals(1, rs.getLong(1));
      }
    }
  }

  private static byte[] write(Path target) {
    return ("{\"query\":{\"queryId\":\"w\",\"engineSql\":\"SELECT 1 AS n\",\"scans\":[]},"
            + "\"targetDirectory\":\""
            + target.toUri()
            + "\",\"targetSchema\":{\"columns\":[{\"name\":\"n\",\"type\":\"INT\"}]},"
            + "\"targetFileRows\":10}")
        .getBytes(UTF_8);
  }

  private static void drain(FlightClient client, Ticket ticket) {
    try (var stream = client.getStream(ticket)) {
      while (stream.next()) {
        // read everything
      }
    } catch (FlightRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(p -> !p.startsWith(root.resolve("tmp")))
          .filter(p -> !p.getFileName().toString().startsWith("catalog.db"))
          .sorted()
          .toList();
    }
  }

  private static FlightClientMiddleware.Factory header(String value) {
    return info ->
        new FlightClientMiddleware() {
          @Override
          public void onBeforeSendingHeaders(CallHeaders outgoingHeaders) {
            outgoingHeaders.insert("authorization", value);
          }

          @Override
          public void onHeadersReceived(CallHeaders incomingHeaders) {}

          @Override
          public void onCallCompleted(CallStatus status) {}
        };
  }
}
