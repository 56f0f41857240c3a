package io.aquifer.conformance.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed requests and awkward but valid SQL: each either works or fails with a clear client
 * error (an error class, a SQLSTATE that is not internal, no engine or Java internals in the text).
 */
class ErrorHygieneTest {
  private static final Pattern SQLSTATE = Pattern.compile("SQLSTATE: ([0-9A-Z]{5})");

  @TempDir static Path dataDirectory;
  static ConformanceServer server;
  static Connection connection;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    connection = server.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    connection.close();
    server.close();
  }

  /** The statement's first value, or its clean failure's message. */
  private String run(String sql) {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return "ok:" + rs.getString(1);
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      Matcher m = SQLSTATE.matcher(message);
      assertTrue(m.find(), "no SQLSTATE: " + message);
      assertFalse(m.group(1).startsWith("XX"), "internal error: " + message);
      assertFalse(message.contains("_UTF-16LE"), message);
      assertFalse(message.contains("Exception"), message);
      return "error:" + message;
    }
  }

  @Test
  void stringLiteralsWorkOrFailAsParseErrors() {
    assertEquals("ok:c\\", run("SELECT 'c\\\\'"));
    assertEquals("ok:A", run("SELECT 'A'"));
    for (String sql : List.of("SELECT U&'\\00e9'", "SELECT E'\\x41'")) {
      String result = run(sql);
      assertTrue(
          result.startsWith("ok:") || result.contains("PARSE_SYNTAX_ERROR"), sql + " -> " + result);
    }
  }

  @Test
  void aLeadingByteOrderMarkIsIgnored() {
    assertEquals("ok:1", run("\uFEFFSELECT 1"));
  }

  @Test
  void bigValuesListsAndUnionsWorkOrHitAClearLimit() {
    String values =
        IntStream.range(0, 20_000).mapToObj(i -> "(" + i + ")").collect(Collectors.joining(","));
    assertEquals("ok:20000", run("SELECT count(*) FROM (VALUES " + values + ") AS t(x)"));
    String union =
        IntStream.range(0, 2_000)
            .mapToObj(i -> "SELECT " + i)
            .collect(Collectors.joining(" UNION ALL "));
    String result = run("SELECT count(*) FROM (" + union + ") AS t");
    assertTrue(
        result.contains("[STATEMENT_TOO_COMPLEX]") && result.contains("the limit is 400"), result);
    assertTrue(result.contains("SQLSTATE: 54001"), result);
    String withinLimit =
        IntStream.range(0, 400)
            .mapToObj(i -> "SELECT " + i)
            .collect(Collectors.joining(" UNION ALL "));
    assertEquals("ok:400", run("SELECT count(*) FROM (" + withinLimit + ") AS t"));
    String columns =
        IntStream.range(0, 10_000).mapToObj(i -> i + " AS c" + i).collect(Collectors.joining(", "));
    result = run("SELECT " + columns);
    assertTrue(
        result.contains("[STATEMENT_TOO_COMPLEX]") && result.contains("the limit is 1000"), result);
    String thousand =
        IntStream.range(0, 1_000).mapToObj(i -> i + " AS c" + i).collect(Collectors.joining(", "));
    assertEquals("ok:0", run("SELECT " + thousand));
  }

  @Test
  void garbageFlightTicketsAndDescriptorsAreInvalidArguments() throws Exception {
    Location flight = Location.forGrpcInsecure("127.0.0.1", server.server().flightPort());
    try (RootAllocator allocator = new RootAllocator();
        FlightClient client =
            FlightClient.builder(allocator, flight).intercept(bearer(server.token())).build()) {
      List<FlightRuntimeException> failures = new ArrayList<>();
      failures.add(
          assertThrows(
              FlightRuntimeException.class,
              () -> {
                try (var stream = client.getStream(new Ticket("garbage".getBytes(UTF_8)))) {
                  stream.next();
                }
              }));
      failures.add(
          assertThrows(
              FlightRuntimeException.class,
              () -> client.getInfo(FlightDescriptor.command("garbage".getBytes(UTF_8)))));
      failures.add(
          assertThrows(
              FlightRuntimeException.class,
              () -> client.getInfo(FlightDescriptor.path("no", "such"))));
      for (FlightRuntimeException e : failures) {
        assertEquals(FlightStatusCode.INVALID_ARGUMENT, e.status().code(), e.getMessage());
      }
    }
  }

  @Test
  void aMalformedAvaticaRequestIsAClientErrorWithoutStackTrace() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String contentType : List.of("application/x-google-protobuf", "application/json")) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.server().avaticaPort() + "/"))
                  .header("Content-Type", contentType)
                  .POST(HttpRequest.BodyPublishers.ofString("{not avatica"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(400, response.statusCode(), response.body());
      assertFalse(response.body().contains("\tat "), response.body());
      assertFalse(response.body().contains("Exception"), response.body());
    }
  }

  private static FlightClientMiddleware.Factory bearer(String token) {
    return info ->
        new FlightClientMiddleware() {
          @Override
          public void onBeforeSendingHeaders(CallHeaders outgoingHeaders) {
            outgoingHeaders.insert("authorization", "Bearer " + token);
          }

          @Override
          public void onHeadersReceived(CallHeaders incomingHeaders) {}

          @Override
          public void onCallCompleted(CallStatus status) {}
        };
  }
}
