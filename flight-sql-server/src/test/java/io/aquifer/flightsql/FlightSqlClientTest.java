package io.aquifer.flightsql;

import static io.aquifer.flightsql.InMemoryStatementService.CREATE_TABLE;
import static io.aquifer.flightsql.InMemoryStatementService.CURRENT;
import static io.aquifer.flightsql.InMemoryStatementService.DELETE_ORDERS;
import static io.aquifer.flightsql.InMemoryStatementService.INSERT_EVENTS;
import static io.aquifer.flightsql.InMemoryStatementService.ORDERS;
import static io.aquifer.flightsql.InMemoryStatementService.ORDERS_BY_ID;
import static io.aquifer.flightsql.InMemoryStatementService.SLEEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.GetSessionOptionsRequest;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PollInfo;
import org.apache.arrow.flight.SessionOptionValue;
import org.apache.arrow.flight.SessionOptionValueFactory;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.client.ClientCookieMiddleware;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.CancelResult;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.FlightSqlColumnMetadata;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCatalogs;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.flight.sql.util.TableRef;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Flight SQL protocol surface the JDBC driver does not reach, through Flight's own client. */
class FlightSqlClientTest {
  private static FrontEndFixture fixture;
  private static final CallOption TOKEN =
      new CredentialCallOption(new BearerCredentialWriter(InMemoryStatementService.TOKEN));

  private FlightClient flightClient;
  private FlightSqlClient client;

  @BeforeAll
  static void start() {
    fixture = new FrontEndFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void connect() {
    flightClient = newClient(fixture);
    client = new FlightSqlClient(flightClient);
  }

  @AfterEach
  void disconnect() throws Exception {
    client.close();
  }

  private static FlightClient newClient(FrontEndFixture fixture) {
    return FlightClient.builder(
            fixture.allocator, Location.forGrpcInsecure("127.0.0.1", fixture.port()))
        .intercept(new ClientCookieMiddleware.Factory())
        .build();
  }

  private List<List<Object>> rows(FlightInfo info) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    for (var endpoint : info.getEndpoints()) {
      try (FlightStream stream = client.getStream(endpoint.getTicket(), TOKEN)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          for (int r = 0; r < root.getRowCount(); r++) {
            List<Object> row = new ArrayList<>();
            for (var vector : root.getFieldVectors()) {
              Object value = vector.getObject(r);
              row.add(value == null ? null : value instanceof byte[] ? value : value.toString());
            }
            rows.add(row);
          }
        }
      }
    }
    return rows;
  }

  @Test
  void callsWithoutCredentialsAreUnauthenticated() {
    FlightRuntimeException e =
        assertThrows(FlightRuntimeException.class, () -> client.getCatalogs());
    assertEquals(FlightStatusCode.UNAUTHENTICATED, e.status().code());
    assertTrue(e.getMessage().contains("SQLSTATE: 28000"), e.getMessage());
  }

  @Test
  void queryRunsOnTicket() throws Exception {
    FlightInfo info = client.execute(ORDERS, TOKEN);
    assertEquals(10, info.getSchema().getFields().size());
    assertEquals(1, info.getEndpoints().size());
    assertEquals(3, rows(info).size());
  }

  /**
   * TIMESTAMP is an instant for Arrow-native clients (zone UTC); a gRPC-Java client is taken for
   * the Flight SQL JDBC driver and gets the same microseconds without a zone, unless it asks.
   */
  @Test
  void timestampFormFollowsTheClient() throws Exception {
    CallOption instants = new HeaderCallOption(headers(TimestampWireForm.HEADER, "instant"));
    FlightInfo asked = client.execute(ORDERS, TOKEN, instants);
    assertEquals(
        new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC"),
        asked.getSchema().findField("created_at").getType());
    long askedMicros;
    // The header goes with every call, DoGet too (the JDBC driver sends its headers on each).
    try (FlightStream stream =
        client.getStream(asked.getEndpoints().get(0).getTicket(), TOKEN, instants)) {
      assertTrue(stream.next());
      assertEquals(asked.getSchema(), stream.getRoot().getSchema());
      askedMicros = ((TimeStampVector) stream.getRoot().getVector("created_at")).get(0);
    }
    LocalDateTime first = InMemoryStatementService.FIRST_ORDER_TIME;
    assertEquals(
        first.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + first.getNano() / 1_000, askedMicros);

    FlightInfo guessed = client.execute(ORDERS, TOKEN);
    assertEquals(
        new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, null),
        guessed.getSchema().findField("created_at").getType());
    try (FlightStream stream = client.getStream(guessed.getEndpoints().get(0).getTicket(), TOKEN)) {
      assertTrue(stream.next());
      assertEquals(guessed.getSchema(), stream.getRoot().getSchema());
      assertEquals(
          askedMicros, ((TimeStampVector) stream.getRoot().getVector("created_at")).get(0));
    }

    CallOption wrong = new HeaderCallOption(headers(TimestampWireForm.HEADER, "local"));
    FlightRuntimeException e =
        assertThrows(FlightRuntimeException.class, () -> client.execute(ORDERS, TOKEN, wrong));
    assertTrue(e.getMessage().contains("'instant' or 'utc-wall-clock'"), e.getMessage());
  }

  private static CallHeaders headers(String name, String value) {
    CallHeaders headers = new FlightCallHeaders();
    headers.insert(name, value);
    return headers;
  }

  @Test
  void aTicketCanBeReadAgain() throws Exception {
    FlightInfo info = client.execute(ORDERS, TOKEN);
    assertEquals(3, rows(info).size());
    assertEquals(3, rows(info).size());
  }

  @Test
  void aTicketOfAnUnknownStatementIsNotFound() {
    TicketStatementQuery unknown =
        TicketStatementQuery.newBuilder()
            .setStatementHandle(com.google.protobuf.ByteString.copyFromUtf8("no-such-statement"))
            .build();
    Ticket ticket = new Ticket(com.google.protobuf.Any.pack(unknown).toByteArray());
    FlightRuntimeException e =
        assertThrows(
            FlightRuntimeException.class,
            () -> {
              try (FlightStream stream = client.getStream(ticket, TOKEN)) {
                stream.next();
              }
            });
    assertEquals(FlightStatusCode.NOT_FOUND, e.status().code());
    assertTrue(e.getMessage().contains("STATEMENT_NOT_FOUND"), e.getMessage());
  }

  @Test
  void ddlSentAsQueryRunsAtOnceWithoutEndpoints() throws Exception {
    int before = fixture.service.receivedParameters.size();
    FlightInfo info = client.execute(CREATE_TABLE, TOKEN);
    assertEquals(0, info.getEndpoints().size());
    assertEquals(before + 1, fixture.service.receivedParameters.size());
  }

  @Test
  void updatesReturnCounts() {
    assertEquals(3, client.executeUpdate(DELETE_ORDERS, TOKEN));
    assertEquals(0, client.executeUpdate(CREATE_TABLE, TOKEN));
    FlightRuntimeException e =
        assertThrows(FlightRuntimeException.class, () -> client.executeUpdate(ORDERS, TOKEN));
    assertEquals(FlightStatusCode.INVALID_ARGUMENT, e.status().code());
    assertTrue(e.getMessage().contains("STATEMENT_RETURNS_ROWS"), e.getMessage());
  }

  @Test
  void preparedStatementAdvertisesBindableParametersAndBindsToANewHandle() throws Exception {
    FlightSqlClient.PreparedStatement insert = client.prepare(INSERT_EVENTS, TOKEN);
    Schema advertised = insert.getParameterSchema();
    assertEquals(9, advertised.getFields().size());
    assertTrue(advertised.getFields().stream().allMatch(Field::isNullable));
    // TIMESTAMP_NTZ is microseconds in Aquifer; offered in milliseconds, what JDBC binds.
    assertEquals(
        new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MILLISECOND, null),
        advertised.getFields().get(7).getType());
    assertTrue(insert.getResultSetSchema().getFields().isEmpty());
    insert.close(TOKEN);

    FlightSqlClient.PreparedStatement query = client.prepare(ORDERS_BY_ID, TOKEN);
    VectorSchemaRoot parameters =
        VectorSchemaRoot.create(query.getParameterSchema(), fixture.allocator);
    ((IntVector) parameters.getVector(0)).setSafe(0, 3);
    parameters.setRowCount(1);
    query.setParameters(parameters);
    List<List<Object>> rows = rows(query.execute(TOKEN));
    assertEquals(1, rows.size());
    assertEquals("3", rows.get(0).get(0));
    query.close(TOKEN);
  }

  @Test
  void cancelFlightInfoCancelsARunningQuery() throws Exception {
    fixture.service.sleepStarted = new CountDownLatch(1);
    FlightInfo info = client.execute(SLEEP, TOKEN);
    assertTrue(fixture.service.sleepStarted.await(10, TimeUnit.SECONDS));
    int before = fixture.service.canceledStatements.size();
    assertEquals(
        CancelStatus.CANCELLED,
        client.cancelFlightInfo(new CancelFlightInfoRequest(info), TOKEN).getStatus());
    assertEquals(before + 1, fixture.service.canceledStatements.size());
    FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> rows(info));
    assertEquals(FlightStatusCode.CANCELLED, e.status().code());
    assertTrue(e.getMessage().contains("SQLSTATE: 57014"), e.getMessage());

    // Nothing left to cancel.
    assertEquals(
        CancelStatus.NOT_CANCELLABLE,
        client.cancelFlightInfo(new CancelFlightInfoRequest(info), TOKEN).getStatus());
  }

  @Test
  void pollFlightInfoPollsARunningQueryUntilItEnds() throws Exception {
    fixture.service.sleepStarted = new CountDownLatch(1);
    PollInfo first = flightClient.pollInfo(query(SLEEP), TOKEN);
    assertTrue(fixture.service.sleepStarted.await(10, TimeUnit.SECONDS));
    assertEquals(1, first.getFlightInfo().getEndpoints().size(), "the ticket comes at once");
    FlightDescriptor next = first.getFlightDescriptor().orElseThrow();
    assertFalse(first.getProgress().isPresent());
    PollInfo again = flightClient.pollInfo(next, TOKEN);
    assertTrue(again.getFlightDescriptor().isPresent(), "still running");
    assertEquals(first.getFlightInfo().getSchema(), again.getFlightInfo().getSchema());
    assertEquals(
        first.getFlightInfo().getEndpoints().get(0).getTicket(),
        again.getFlightInfo().getEndpoints().get(0).getTicket());

    assertEquals(
        CancelStatus.CANCELLED,
        client
            .cancelFlightInfo(new CancelFlightInfoRequest(again.getFlightInfo()), TOKEN)
            .getStatus());
    FlightRuntimeException canceled =
        assertThrows(FlightRuntimeException.class, () -> flightClient.pollInfo(next, TOKEN));
    assertEquals(FlightStatusCode.CANCELLED, canceled.status().code());
    assertTrue(canceled.getMessage().contains("SQLSTATE: 57014"), canceled.getMessage());
  }

  @Test
  void pollFlightInfoOfEndedStatementsAndOtherCommands() throws Exception {
    PollInfo done = flightClient.pollInfo(query(ORDERS), TOKEN);
    assertFalse(done.getFlightDescriptor().isPresent(), "ended: nothing more to poll");
    assertEquals(1.0, done.getProgress().orElseThrow());
    assertEquals(
        rows(client.execute(ORDERS, TOKEN)).stream().map(r -> r.get(0)).toList(),
        rows(done.getFlightInfo()).stream().map(r -> r.get(0)).toList());

    FlightRuntimeException failed =
        assertThrows(
            FlightRuntimeException.class,
            () -> flightClient.pollInfo(query(InMemoryStatementService.DIVIDE_BY_ZERO), TOKEN));
    assertTrue(failed.getMessage().contains("SQLSTATE: 22012"), failed.getMessage());

    PollInfo catalogs =
        flightClient.pollInfo(
            FlightDescriptor.command(
                Any.pack(CommandGetCatalogs.getDefaultInstance()).toByteArray()),
            TOKEN);
    assertFalse(catalogs.getFlightDescriptor().isPresent());
    assertEquals(Schemas.GET_CATALOGS_SCHEMA, catalogs.getFlightInfo().getSchema());

    FlightRuntimeException damaged =
        assertThrows(
            FlightRuntimeException.class,
            () ->
                flightClient.pollInfo(
                    FlightDescriptor.command(
                        Any.newBuilder()
                            .setTypeUrl(PollHandle.TYPE_URL)
                            .setValue(ByteString.copyFromUtf8("x:not-a-schema"))
                            .build()
                            .toByteArray()),
                    TOKEN));
    assertTrue(damaged.getMessage().contains("INVALID_HANDLE"), damaged.getMessage());
  }

  private static FlightDescriptor query(String sql) {
    return FlightDescriptor.command(
        Any.pack(CommandStatementQuery.newBuilder().setQuery(sql).build()).toByteArray());
  }

  @Test
  @SuppressWarnings("deprecation")
  void legacyCancelQueryWorksToo() throws Exception {
    FlightInfo info = client.execute(SLEEP, TOKEN);
    assertEquals(CancelResult.CANCELLED, client.cancelQuery(info, TOKEN));
  }

  @Test
  void sessionOptionsSwitchCatalogAndSchema() throws Exception {
    SetSessionOptionsResult result =
        client.setSessionOptions(
            new SetSessionOptionsRequest(
                Map.of(
                    "catalog", SessionOptionValueFactory.makeSessionOptionValue("samples"),
                    "schema", SessionOptionValueFactory.makeSessionOptionValue("tpch"))),
            TOKEN);
    assertFalse(result.hasErrors(), result.getErrors().toString());
    assertEquals(List.of(List.of("samples", "tpch")), rows(client.execute(CURRENT, TOKEN)));

    Map<String, SessionOptionValue> options =
        client.getSessionOptions(new GetSessionOptionsRequest(), TOKEN).getSessionOptions();
    assertEquals(
        SessionOptionValueFactory.makeSessionOptionValue("samples"), options.get("catalog"));
    assertEquals(SessionOptionValueFactory.makeSessionOptionValue("tpch"), options.get("schema"));

    // Switching the catalog alone resets the schema to default.
    assertFalse(
        client
            .setSessionOptions(
                new SetSessionOptionsRequest(
                    Map.of("catalog", SessionOptionValueFactory.makeSessionOptionValue("MAIN"))),
                TOKEN)
            .hasErrors());
    assertEquals(List.of(List.of("main", "default")), rows(client.execute(CURRENT, TOKEN)));

    SetSessionOptionsResult bad =
        client.setSessionOptions(
            new SetSessionOptionsRequest(
                Map.of(
                    "catalog", SessionOptionValueFactory.makeSessionOptionValue("nope"),
                    "colour", SessionOptionValueFactory.makeSessionOptionValue("blue"),
                    "schema", SessionOptionValueFactory.makeSessionOptionValue(42L))),
            TOKEN);
    assertEquals(
        SetSessionOptionsResult.ErrorValue.INVALID_VALUE, bad.getErrors().get("catalog").value);
    assertEquals(
        SetSessionOptionsResult.ErrorValue.INVALID_NAME, bad.getErrors().get("colour").value);
    assertEquals(
        SetSessionOptionsResult.ErrorValue.INVALID_VALUE, bad.getErrors().get("schema").value);
    assertEquals(List.of(List.of("main", "default")), rows(client.execute(CURRENT, TOKEN)));
  }

  @Test
  void closeSessionClosesTheGatewaySession() throws Exception {
    rows(client.execute(CURRENT, TOKEN));
    int before = fixture.service.closedSessions.size();
    assertEquals(
        CloseSessionResult.Status.CLOSED,
        client.closeSession(new CloseSessionRequest(), TOKEN).getStatus());
    assertEquals(before + 1, fixture.service.closedSessions.size());
    // The next call starts over in a new session.
    assertEquals(List.of(List.of("main", "sales")), rows(client.execute(CURRENT, TOKEN)));
  }

  @Test
  void sqlInfoAnswersWhatIsAskedAndSkipsUnknownIds() throws Exception {
    List<List<Object>> rows =
        rows(client.getSqlInfo(new SqlInfo[] {SqlInfo.FLIGHT_SQL_SERVER_NAME}, TOKEN));
    assertEquals(1, rows.size());
    assertTrue(rows.get(0).get(1).toString().contains("Aquifer"));
    assertEquals(0, rows(client.getSqlInfo(new int[] {987_654}, TOKEN)).size());
    assertEquals(
        1,
        rows(client.getSqlInfo(new int[] {987_654, SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR_VALUE}, TOKEN))
            .size());
  }

  @Test
  void xdbcTypeInfoListsAquiferTypes() throws Exception {
    FlightInfo all = client.getXdbcTypeInfo(TOKEN);
    List<String> names = new ArrayList<>();
    for (List<Object> row : rows(all)) {
      names.add((String) row.get(0));
    }
    assertTrue(
        names.containsAll(
            List.of(
                "BOOLEAN",
                "TINYINT",
                "SMALLINT",
                "INT",
                "BIGINT",
                "FLOAT",
                "DOUBLE",
                "DECIMAL",
                "STRING",
                "BINARY",
                "DATE",
                "TIMESTAMP",
                "TIMESTAMP_NTZ",
                "ARRAY",
                "MAP",
                "STRUCT")),
        names.toString());
    List<List<Object>> decimal = rows(client.getXdbcTypeInfo(Types.DECIMAL, TOKEN));
    assertEquals(1, decimal.size());
    assertEquals("DECIMAL", decimal.get(0).get(0));
    assertEquals("[\"precision\",\"scale\"]", decimal.get(0).get(5).toString().replace(" ", ""));
  }

  @Test
  void keyCommandsAnswerEmptyResultsInTheirSchemas() throws Exception {
    TableRef orders = TableRef.of("main", "sales", "orders");
    FlightInfo primary = client.getPrimaryKeys(orders, TOKEN);
    assertEquals(Schemas.GET_PRIMARY_KEYS_SCHEMA, primary.getSchema());
    try (FlightStream stream = client.getStream(primary.getEndpoints().get(0).getTicket(), TOKEN)) {
      assertEquals(Schemas.GET_PRIMARY_KEYS_SCHEMA, stream.getSchema());
      int rows = 0;
      while (stream.next()) {
        rows += stream.getRoot().getRowCount();
      }
      assertEquals(0, rows);
    }
    assertEquals(
        Schemas.GET_EXPORTED_KEYS_SCHEMA, client.getExportedKeys(orders, TOKEN).getSchema());
    assertEquals(0, rows(client.getImportedKeys(orders, TOKEN)).size());
    assertEquals(0, rows(client.getCrossReference(orders, orders, TOKEN)).size());
  }

  @Test
  void tablesCarryTheirArrowSchemasWithColumnMetadata() throws Exception {
    FlightInfo info = client.getTables("main", "sales", "orders", null, true, TOKEN);
    try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket(), TOKEN)) {
      assertTrue(stream.next());
      VectorSchemaRoot root = stream.getRoot();
      assertEquals(1, root.getRowCount());
      assertEquals(
          "orders", ((VarCharVector) root.getVector("table_name")).getObject(0).toString());
      byte[] bytes = ((VarBinaryVector) root.getVector("table_schema")).get(0);
      Schema schema =
          MessageSerializer.deserializeSchema(
              new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes))));
      Field amount = schema.findField("amount");
      FlightSqlColumnMetadata metadata = new FlightSqlColumnMetadata(amount.getMetadata());
      assertEquals("DECIMAL", metadata.getTypeName());
      assertEquals(10, metadata.getPrecision());
      assertEquals(2, metadata.getScale());
      assertEquals("main", metadata.getCatalogName());
      assertEquals(
          "order number",
          new FlightSqlColumnMetadata(schema.findField("id").getMetadata()).getRemarks());
    }
    // Schemas without a catalog: Aquifer has none.
    assertEquals(0, rows(client.getSchemas("", null, TOKEN)).size());
  }

  @Test
  void unsupportedFeaturesAnswerUnimplemented() {
    FlightRuntimeException transaction =
        assertThrows(FlightRuntimeException.class, () -> client.beginTransaction(TOKEN));
    assertEquals(FlightStatusCode.UNIMPLEMENTED, transaction.status().code());
    FlightRuntimeException listFlights =
        assertThrows(
            FlightRuntimeException.class,
            () ->
                flightClient
                    .listFlights(org.apache.arrow.flight.Criteria.ALL, TOKEN)
                    .forEach(f -> {}));
    assertEquals(FlightStatusCode.UNIMPLEMENTED, listFlights.status().code());
  }

  @Test
  void idleSessionsAndUnfetchedResultsAreCleanedUp() throws Exception {
    FlightSqlConfig quick =
        FlightSqlConfig.defaults()
            .withPort(0)
            .withSessionIdleTimeout(Duration.ofMillis(300))
            .withUnclaimedResultTimeout(Duration.ofMillis(300));
    try (FrontEndFixture shortLived = new FrontEndFixture(quick);
        FlightSqlClient quickClient = new FlightSqlClient(newClient(shortLived))) {
      quickClient.execute(SLEEP, TOKEN);
      assertEquals(1, shortLived.service.openSessions());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((shortLived.service.openSessions() > 0
              || shortLived.service.canceledStatements.isEmpty())
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, shortLived.service.openSessions());
      assertEquals(1, shortLived.service.canceledStatements.size());
    }
  }
}
