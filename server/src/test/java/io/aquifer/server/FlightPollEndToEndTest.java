package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PollInfo;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flight's PollFlightInfo against a real server, through Flight's own client. */
class FlightPollEndToEndTest {
  @TempDir static Path dataDirectory;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(dataDirectory);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA poll");
      s.execute("CREATE TABLE poll.t (n BIGINT)");
      s.execute("INSERT INTO poll.t VALUES (1), (2), (3)");
      s.execute("CREATE TABLE poll.ten (x BIGINT)");
      s.execute("INSERT INTO poll.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
      s.execute(
          "CREATE TABLE poll.million AS SELECT a.x * 100000 + b.x * 10000 + c.x * 1000"
              + " + d.x * 100 + e.x * 10 + f.x AS id"
              + " FROM poll.ten a, poll.ten b, poll.ten c, poll.ten d, poll.ten e, poll.ten f");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pollUntilTheQueryEndsThenReadItsTicketAnotherUserCannotPollIt() throws Exception {
    CallOption admin = new CredentialCallOption(new BearerCredentialWriter(server.token()));
    CallOption bob =
        new CredentialCallOption(
            new BearerCredentialWriter(QueryHistoryEndToEndTest.createUserToken(server, "bob")));
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client =
            FlightClient.builder(
                    allocator, Location.forGrpcInsecure("127.0.0.1", server.server().flightPort()))
                .build()) {
      // A query that runs for ever: polling says so, another user cannot poll it, cancel ends it.
      PollInfo running =
          client.pollInfo(
              query(
                  "SELECT count(*) FROM poll.million a, poll.million b"
                      + " WHERE (a.id * 31 + b.id * 17) % 1000003 = 5"),
              admin);
      FlightDescriptor next = running.getFlightDescriptor().orElseThrow();
      assertTrue(client.pollInfo(next, admin).getFlightDescriptor().isPresent(), "still running");
      FlightRuntimeException foreign =
          assertThrows(FlightRuntimeException.class, () -> client.pollInfo(next, bob));
      assertTrue(foreign.getMessage().contains("STATEMENT_NOT_FOUND"), foreign.getMessage());
      assertEquals(
          CancelStatus.CANCELLED,
          client
              .cancelFlightInfo(new CancelFlightInfoRequest(running.getFlightInfo()), admin)
              .getStatus());
      FlightRuntimeException canceled =
          assertThrows(FlightRuntimeException.class, () -> client.pollInfo(next, admin));
      assertTrue(canceled.getMessage().contains("SQLSTATE: 57014"), canceled.getMessage());

      PollInfo poll = client.pollInfo(query("SELECT sum(n) AS total FROM poll.t"), admin);
      assertEquals(1, poll.getFlightInfo().getEndpoints().size());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (poll.getFlightDescriptor().isPresent() && System.nanoTime() < deadline) {
        Thread.sleep(20);
        poll = client.pollInfo(poll.getFlightDescriptor().get(), admin);
      }
      assertFalse(poll.getFlightDescriptor().isPresent(), "the query never ended");
      assertEquals(1.0, poll.getProgress().orElseThrow());
      try (FlightStream stream =
          client.getStream(poll.getFlightInfo().getEndpoints().get(0).getTicket(), admin)) {
        assertTrue(stream.next());
        assertEquals(6L, ((BigIntVector) stream.getRoot().getVector(0)).get(0));
      }

      FlightRuntimeException failed =
          assertThrows(
              FlightRuntimeException.class,
              () -> client.pollInfo(query("SELECT nope FROM poll.t"), admin));
      assertTrue(failed.getMessage().contains("UNRESOLVED_COLUMN"), failed.getMessage());
    }
  }

  private static FlightDescriptor query(String sql) {
    return FlightDescriptor.command(
        Any.pack(CommandStatementQuery.newBuilder().setQuery(sql).build()).toByteArray());
  }
}
