package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.StatementStatus;
import io.aquifer.results.ResultChunk;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.SessionOptionValueFactory;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.client.ClientCookieMiddleware;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements as durable objects, through real clients: the Arrow Flight SQL client and JDBC driver,
 * the Aquifer JDBC driver, and the gateway's statement service for what no JDBC call reaches
 * (polling by id, chunk reads, foreign principals).
 */
class StatementLifecycleTest {
  /** Short enough for a test to watch results expire; maintenance runs as often. */
  private static final int EXPIRY_SECONDS = 15;

  /** A billion rows streamed as the engine makes them: never finished within a test. */
  private static final String ENDLESS =
      "SELECT a.id, a.label, b.x FROM lc.million a, lc.ten b, lc.ten c, lc.ten d";

  /** A count over a trillion pairs: it runs until canceled. */
  private static final String LONG_COUNT =
      "SELECT count(*) FROM lc.million a, lc.million b WHERE (a.id * 31 + b.id * 17) % 1000003 = 5";

  @TempDir static Path dataDirectory;
  private static RunningServer server;
  private static BufferAllocator allocator;
  private static CallOption auth;

  @BeforeAll
  static void start() throws Exception {
    server =
        RunningServer.start(
            dataDirectory, Map.of(ServerConfig.RESULT_EXPIRY, Integer.toString(EXPIRY_SECONDS)));
    allocator = new RootAllocator();
    auth = new CredentialCallOption(new BearerCredentialWriter(server.token()));
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA lc");
      s.execute("CREATE TABLE lc.ten (x BIGINT)");
      s.execute("INSERT INTO lc.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
      s.execute(
          "CREATE TABLE lc.million AS SELECT a.x * 100000 + b.x * 10000 + c.x * 1000 + d.x * 100"
              + " + e.x * 10 + f.x AS id, 'row-' || CAST(a.x AS STRING) AS label"
              + " FROM lc.ten a, lc.ten b, lc.ten c, lc.ten d, lc.ten e, lc.ten f");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (allocator != null) {
      allocator.close();
    }
  }

  private static FlightSqlClient flightSql() {
    return new FlightSqlClient(
        FlightClient.builder(
                allocator, Location.forGrpcInsecure("127.0.0.1", server.server().flightPort()))
            .intercept(new ClientCookieMiddleware.Factory())
            .build());
  }

  private static Gateway gateway() {
    return server.server().gateway();
  }

  private static Session adminSession() {
    Gateway g = gateway();
    return g.openSession(g.authenticateToken(server.token()));
  }

  private static String statementId(FlightInfo info) throws Exception {
    com.google.protobuf.Any any =
        com.google.protobuf.Any.parseFrom(info.getEndpoints().get(0).getTicket().getBytes());
    return any.unpack(org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery.class)
        .getStatementHandle()
        .toStringUtf8();
  }

  private static List<String> rows(FlightSqlClient client, Ticket ticket) throws Exception {
    List<String> rows = new ArrayList<>();
    try (FlightStream stream = client.getStream(ticket, auth)) {
      while (stream.next()) {
        VectorSchemaRoot root = stream.getRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          StringBuilder row = new StringBuilder();
          for (int c = 0; c < root.getFieldVectors().size(); c++) {
            row.append(root.getVector(c).getObject(r)).append('|');
          }
          rows.add(row.toString());
        }
      }
    }
    return rows;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aResultReadTwiceGivesTheSameRows() throws Exception {
    try (FlightSqlClient client = flightSql();
        FlightSqlClient other = flightSql()) {
      FlightInfo info =
          client.execute("SELECT id, label FROM lc.million WHERE id % 7 = 3 ORDER BY id", auth);
      Ticket ticket = info.getEndpoints().get(0).getTicket();
      List<String> first = rows(client, ticket);
      assertEquals(142_857, first.size());
      assertEquals(first, rows(client, ticket));
      // Another connection of the same principal reads it too.
      assertEquals(first, rows(other, ticket));
    }
    // Chunk by chunk through the statement service, in any order, the same bytes each time.
    Session session = adminSession();
    String id = gateway().submit(session, "SELECT id FROM lc.million ORDER BY id", List.of()).id();
    StatementStatus done = gateway().await(session, id, Duration.ofMinutes(1));
    assertEquals(StatementState.SUCCEEDED, done.state());
    assertEquals(1_000_000, done.rows());
    assertTrue(done.chunks() >= 1 && done.resultComplete(), done.toString());
    for (int i = done.chunks() - 1; i >= 0; i--) {
      ResultChunk a = gateway().chunk(session, id, i, Duration.ZERO).orElseThrow();
      ResultChunk b = gateway().chunk(session, id, i, Duration.ZERO).orElseThrow();
      assertArrayEquals(a.arrowIpc(), b.arrowIpc());
    }
    gateway().close(session, id);
  }

  @Test
  void theEndOfEveryStatementIsReportedOnce() throws Exception {
    List<StatementStatus> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
    Session session = adminSession();
    gateway()
        .addStatementEndListener(
            (status, sql) -> {
              if (status.sessionId().equals(session.id())) {
                ended.add(status);
                texts.add(sql);
              }
            });
    String ok = gateway().submit(session, "SELECT x FROM lc.ten", List.of()).id();
    String bad = gateway().submit(session, "SELECT nope FROM lc.ten", List.of()).id();
    await("both statements were reported", () -> ended.size() >= 2);
    gateway().close(session, ok);
    gateway().close(session, bad);
    assertEquals(2, ended.size(), ended::toString);
    StatementStatus first = ended.stream().filter(s -> s.id().equals(ok)).findFirst().orElseThrow();
    assertEquals(StatementState.SUCCEEDED, first.state());
    assertEquals(10, first.rows());
    assertTrue(first.resultComplete());
    StatementStatus second =
        ended.stream().filter(s -> s.id().equals(bad)).findFirst().orElseThrow();
    assertEquals(StatementState.FAILED, second.state());
    assertEquals("42703", second.error().orElseThrow().sqlState());
    assertTrue(second.error().orElseThrow().position().isPresent());
    assertTrue(texts.contains("SELECT nope FROM lc.ten"), texts::toString);
    // What the query history takes from the status.
    assertEquals(Optional.of("SELECT"), first.statementType());
    assertTrue(first.plannedAt().isPresent(), first::toString);
    assertTrue(first.filesRead().isPresent(), first::toString);
    assertTrue(first.rowsWritten().isEmpty(), first::toString);
    assertEquals(Optional.of("SELECT"), second.statementType());
    // Where each statement's time went, recorded on the statement itself.
    for (io.aquifer.gateway.StatementPhase phase :
        List.of(
            io.aquifer.gateway.StatementPhase.QUEUED,
            io.aquifer.gateway.StatementPhase.PARSING,
            io.aquifer.gateway.StatementPhase.PLANNING,
            io.aquifer.gateway.StatementPhase.ENGINE_COMPILATION,
            io.aquifer.gateway.StatementPhase.SPOOLING)) {
      assertTrue(first.phaseTimes().of(phase).isPresent(), phase + " " + first.phaseTimes());
    }
    // The failed one never got past validation: no compilation, no rows spooled.
    assertTrue(second.phaseTimes().of(io.aquifer.gateway.StatementPhase.PARSING).isPresent());
    assertTrue(
        second.phaseTimes().of(io.aquifer.gateway.StatementPhase.ENGINE_COMPILATION).isEmpty(),
        second.phaseTimes()::toString);
    assertTrue(
        second.phaseTimes().of(io.aquifer.gateway.StatementPhase.SPOOLING).isEmpty(),
        second.phaseTimes()::toString);

    // A statement a front end fails to prepare is never submitted: it is reported from prepare.
    assertThrows(RuntimeException.class, () -> gateway().prepare(session, "SELECT nope FROM lc.t"));
    await("the rejected statement was reported", () -> ended.size() >= 3);
    assertEquals(3, ended.size(), ended::toString);
    assertEquals(StatementState.FAILED, ended.get(2).state());
    assertEquals("SELECT nope FROM lc.t", texts.get(2));
  }

  @Test
  void aStatementIsPolledUntilItIsDone() throws Exception {
    Session session = adminSession();
    String id =
        gateway().submit(session, "SELECT count(*) FROM lc.million a, lc.ten b", List.of()).id();
    List<StatementState> seen = new ArrayList<>();
    await(
        "the statement ended",
        () -> {
          StatementState state = gateway().status(session, id).state();
          if (seen.isEmpty() || seen.get(seen.size() - 1) != state) {
            seen.add(state);
          }
          return state.isFinal();
        });
    StatementStatus status = gateway().status(session, id);
    assertEquals(StatementState.SUCCEEDED, status.state(), () -> "states seen: " + seen);
    assertEquals(1, status.rows());
    assertTrue(status.startedAt().isPresent() && status.endedAt().isPresent());
    assertFalse(status.endedAt().get().isBefore(status.startedAt().get()));
    assertEquals("admin", status.principal());
    assertTrue(status.error().isEmpty());
  }

  @Test
  void theFirstRowArrivesWhileTheEngineStillComputesThenCancelStopsIt() throws Exception {
    Session session = adminSession();
    long bytesBefore = gateway().resultStore().bytesOwnedBy("admin");
    try (FlightSqlClient client = flightSql()) {
      FlightInfo info = client.execute(ENDLESS, auth);
      String id = statementId(info);
      try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        assertTrue(stream.next());
        assertTrue(stream.getRoot().getRowCount() > 0);
        // The engine is still producing: the result is not complete.
        StatementStatus status = gateway().status(session, id);
        assertEquals(StatementState.RUNNING, status.state());
        assertFalse(status.resultComplete());
        assertEquals(1, server.server().runningEngineQueries());
        assertEquals(
            CancelStatus.CANCELLED,
            client.cancelFlightInfo(new CancelFlightInfoRequest(info), auth).getStatus());
      } catch (FlightRuntimeException expected) {
        // Closing a stream that was canceled under it may report the cancel.
      }
      await("the engine stopped", () -> server.server().runningEngineQueries() == 0);
      StatementStatus canceled = gateway().status(session, id);
      assertEquals(StatementState.CANCELED, canceled.state());
      assertEquals("57014", canceled.error().orElseThrow().sqlState());
      await(
          "the canceled result's space was freed",
          () -> gateway().resultStore().bytesOwnedBy("admin") <= bytesBefore);
    }
  }

  @Test
  void cancelFromASecondConnection() throws Exception {
    try (FlightSqlClient first = flightSql();
        FlightSqlClient second = flightSql()) {
      FlightInfo info = first.execute(LONG_COUNT, auth);
      String id = statementId(info);
      Session session = adminSession();
      await("the statement runs on the engine", () -> server.server().runningEngineQueries() == 1);
      assertEquals(
          CancelStatus.CANCELLED,
          second.cancelFlightInfo(new CancelFlightInfoRequest(info), auth).getStatus());
      FlightRuntimeException e =
          assertThrows(
              FlightRuntimeException.class,
              () -> rows(first, info.getEndpoints().get(0).getTicket()));
      assertEquals(FlightStatusCode.CANCELLED, e.status().code());
      assertTrue(e.getMessage().contains("SQLSTATE: 57014"), e.getMessage());
      await("the engine stopped", () -> server.server().runningEngineQueries() == 0);
      assertEquals(StatementState.CANCELED, gateway().status(session, id).state());
    }
    // The Flight SQL JDBC connection that ran it stays usable after a cancel from elsewhere.
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM lc.ten")) {
      assertTrue(rs.next());
      assertEquals(10, rs.getLong(1));
    }
  }

  @Test
  void expiryFreesTheStore() throws Exception {
    try (FlightSqlClient client = flightSql()) {
      FlightInfo info = client.execute("SELECT id, label FROM lc.million", auth);
      Ticket ticket = info.getEndpoints().get(0).getTicket();
      assertEquals(1_000_000, rows(client, ticket).size());
      assertTrue(gateway().resultStore().bytesOwnedBy("admin") > 0);
      await(
          "expired results were freed",
          () ->
              gateway().resultStore().bytesOwnedBy("admin") == 0
                  && gateway().resultStore().memoryBytes() == 0
                  && gateway().resultStore().spilledBytes() == 0);
      FlightRuntimeException e =
          assertThrows(FlightRuntimeException.class, () -> rows(client, ticket));
      assertTrue(
          e.getMessage().contains("RESULT_CLOSED")
              || e.getMessage().contains("STATEMENT_NOT_FOUND"),
          e.getMessage());
    }
  }

  @Test
  void badInputGetsClearErrorsAndLeaksNothing() throws Exception {
    Session session = adminSession();
    Gateway g = gateway();
    GatewayException unknown =
        assertThrows(GatewayException.class, () -> g.status(session, "no-such-statement"));
    assertEquals("STATEMENT_NOT_FOUND", unknown.errorClass());

    String id = g.submit(session, "SELECT x FROM lc.ten ORDER BY x", List.of()).id();
    StatementStatus done = g.await(session, id, Duration.ofMinutes(1));
    assertEquals(1, done.chunks());

    // Another principal sees no such statement, whatever it tries.
    Session mallory = g.openSession(new Principal("mallory", false));
    for (GatewayException e :
        List.of(
            assertThrows(GatewayException.class, () -> g.status(mallory, id)),
            assertThrows(GatewayException.class, () -> g.cancel(mallory, id)),
            assertThrows(GatewayException.class, () -> g.close(mallory, id)),
            assertThrows(GatewayException.class, () -> g.chunk(mallory, id, 0, Duration.ZERO)))) {
      assertEquals("STATEMENT_NOT_FOUND", e.errorClass());
      assertTrue(e.getMessage().contains("mallory"), e.getMessage());
    }

    GatewayException past =
        assertThrows(GatewayException.class, () -> g.chunk(session, id, 1, Duration.ZERO));
    assertEquals("CHUNK_OUT_OF_RANGE", past.errorClass());
    assertTrue(past.getMessage().contains("has 1 chunks"), past.getMessage());
    GatewayException negative =
        assertThrows(GatewayException.class, () -> g.chunk(session, id, -1, Duration.ZERO));
    assertEquals("CHUNK_OUT_OF_RANGE", negative.errorClass());

    String update = g.submit(session, "CREATE TABLE lc.scratch (x INT)", List.of()).id();
    assertEquals(StatementState.SUCCEEDED, g.await(session, update, Duration.ofMinutes(1)).state());
    assertEquals(
        "STATEMENT_HAS_NO_RESULT",
        assertThrows(GatewayException.class, () -> g.chunk(session, update, 0, Duration.ZERO))
            .errorClass());

    long held = g.resultStore().bytesOwnedBy("admin");
    g.close(session, id);
    g.close(session, id); // idempotent
    assertEquals(StatementState.CLOSED, g.status(session, id).state());
    GatewayException closed =
        assertThrows(GatewayException.class, () -> g.chunk(session, id, 0, Duration.ZERO));
    assertEquals("RESULT_CLOSED", closed.errorClass());
    assertTrue(g.resultStore().bytesOwnedBy("admin") < held);
    assertEquals(Optional.empty(), g.resultStore().find(id));

    // Through Flight: a ticket naming no statement.
    try (FlightSqlClient client = flightSql()) {
      com.google.protobuf.Any any =
          com.google.protobuf.Any.pack(
              org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery.newBuilder()
                  .setStatementHandle(com.google.protobuf.ByteString.copyFromUtf8("nope"))
                  .build());
      FlightRuntimeException e =
          assertThrows(
              FlightRuntimeException.class, () -> rows(client, new Ticket(any.toByteArray())));
      assertEquals(FlightStatusCode.NOT_FOUND, e.status().code());
      assertTrue(e.getMessage().contains("STATEMENT_NOT_FOUND"), e.getMessage());
    }
  }

  /**
   * The Flight SQL JDBC driver keeps {@code setQueryTimeout} on the client and sends nothing: it
   * stops waiting with an SQLTimeoutException; once the statement is closed, the driver cancels its
   * stream and the server cancels the query in the engine. (A server-side limit for Flight SQL is
   * the session option {@code statement_timeout}, tested below.)
   */
  @Test
  void flightSqlJdbcQueryTimeoutEndsWithTheQueryStoppedInTheEngine() throws Exception {
    try (Connection c = server.connect()) {
      try (Statement s = c.createStatement()) {
        s.setQueryTimeout(1);
        java.util.concurrent.CompletableFuture<Throwable> outcome =
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  try (ResultSet rs = s.executeQuery(LONG_COUNT)) {
                    rs.next();
                    return null;
                  } catch (SQLException e) {
                    return e;
                  }
                });
        Throwable error;
        try {
          error = outcome.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          s.cancel();
          throw new AssertionError("the driver did not time the query out", e);
        }
        assertTrue(error instanceof SQLException, String.valueOf(error));
        assertTrue(error.getMessage().contains("timed out"), error.getMessage());
      }
      await("the engine stopped", () -> server.server().runningEngineQueries() == 0);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM lc.ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
    }
  }

  @Test
  void statementTimeoutCancelsInTheEngineAndTheConnectionStaysUsable() throws Exception {
    // Flight SQL: the session option.
    try (FlightSqlClient client = flightSql()) {
      client.setSessionOptions(
          new SetSessionOptionsRequest(
              Map.of("statement_timeout", SessionOptionValueFactory.makeSessionOptionValue("1"))),
          auth);
      FlightInfo info = client.execute(LONG_COUNT, auth);
      FlightRuntimeException e =
          assertThrows(
              FlightRuntimeException.class,
              () -> rows(client, info.getEndpoints().get(0).getTicket()));
      assertTrue(e.getMessage().contains("SQLSTATE: 57014"), e.getMessage());
      assertTrue(e.getMessage().contains("STATEMENT_TIMEOUT"), e.getMessage());
      await("the engine stopped", () -> server.server().runningEngineQueries() == 0);
      FlightInfo small = client.execute("SELECT count(*) FROM lc.ten", auth);
      assertEquals(List.of("10|"), rows(client, small.getEndpoints().get(0).getTicket()));
    }
    // Avatica (the protocol of Aquifer's JDBC driver): the connection property.
    Properties p = new Properties();
    p.setProperty("token", server.token());
    p.setProperty("STATEMENT_TIMEOUT", "1");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:avatica:remote:url=" + server.avaticaUrl() + ";serialization=protobuf", p);
        Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                try (ResultSet rs = s.executeQuery(LONG_COUNT)) {
                  rs.next();
                }
              });
      assertEquals("57014", e.getSQLState(), e.getMessage());
      await("the engine stopped", () -> server.server().runningEngineQueries() == 0);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM lc.ten")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1));
      }
    }
  }
}
