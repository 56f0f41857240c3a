package io.aquifer.server.zones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.server.RunningServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TIMESTAMP values reach clients as the same instant, and TIMESTAMP_NTZ values as the same wall
 * clock, whatever the client JVM's time zone. Each case starts {@link TimestampProbe} in a JVM of
 * its own with {@code -Duser.timezone}: UTC, America/Los_Angeles, Asia/Kolkata (a half-hour offset)
 * and Europe/Berlin, whose clocks jump on 2024-03-31, the date of rows 2 and 3 and of the bound
 * parameters. Values come from literals, from {@code setTimestamp} with and without a Calendar,
 * from a Delta golden table written by Spark, and from a literal read in a session whose time zone
 * ({@code SET TIME ZONE 'America/Los_Angeles'}) is not the client's. What the stock Flight SQL JDBC
 * driver 18.3 can and cannot do is in docs/timestamps.md; the assertions follow it.
 */
class TimestampClientZonesTest {
  private static final Instant ROW1 = Instant.parse("2024-05-01T10:00:00.123Z");
  private static final Instant ROW2 = Instant.parse("2024-03-31T00:30:00Z");
  private static final Instant ROW3 = Instant.parse("2024-03-31T01:30:00Z");
  private static final LocalDateTime WALL1 = LocalDateTime.parse("2024-05-01T10:00:00.123");
  private static final LocalDateTime WALL2 = LocalDateTime.parse("2024-03-31T12:00:00");
  private static final LocalDateTime WALL3 = LocalDateTime.parse("2024-03-31T01:30:00");
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  @TempDir static Path dataDirectory;
  private static RunningServer server;
  private static List<Instant> goldenInstants;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(dataDirectory);
    Path golden = goldenTable();
    Path copy = dataDirectory.resolve("external").resolve("colmap");
    copyTree(golden.resolve("delta"), copy);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA tz");
      s.execute("CREATE TABLE tz.ts (id BIGINT, at TIMESTAMP, wall TIMESTAMP_NTZ)");
      s.execute(
          "INSERT INTO tz.ts VALUES"
              + " (1, TIMESTAMP '2024-05-01 10:00:00.123',"
              + " CAST('2024-05-01 10:00:00.123' AS TIMESTAMP_NTZ)),"
              + " (2, TIMESTAMP '2024-03-31 00:30:00', CAST('2024-03-31 12:00:00' AS TIMESTAMP_NTZ)),"
              + " (3, TIMESTAMP '2024-03-31 01:30:00', CAST('2024-03-31 01:30:00' AS TIMESTAMP_NTZ))");
      s.execute("CREATE TABLE tz.golden LOCATION '" + copy + "'");
    }
    goldenInstants = expectedGoldenInstants(golden);
    assertTrue(goldenInstants.size() > 1, goldenInstants.toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Aquifer's own driver: every reading is exact, in every zone (to the millisecond). */
  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/Los_Angeles", "Asia/Kolkata", "Europe/Berlin"})
  void aquiferDriver(String zone) throws Exception {
    String table = "p_aquifer_" + key(zone);
    Map<String, String> seen = probe("aquifer", server.aquiferJdbcUrl(), zone, table);
    for (int row = 1; row <= 3; row++) {
      Instant at = instant(row).truncatedTo(ChronoUnit.MILLIS);
      LocalDateTime wall = wall(row).truncatedTo(ChronoUnit.MILLIS);
      String p = "row" + row;
      assertInstant(at, seen, p + ".at.getTimestamp");
      assertInstant(at, seen, p + ".at.getTimestampUtcCalendar");
      assertInstant(at, seen, p + ".at.getTimestampLocalCalendar");
      assertInstant(at, seen, p + ".at.getObject");
      assertEquals(at.toString(), seen.get(p + ".at.getObjectInstant"), p);
      assertEquals(at.toString(), seen.get(p + ".at.getObjectOffsetDateTime"), p);
      assertTrue(
          seen.get(p + ".at.getString").startsWith(SHOWN.format(at.atZone(ZoneId.of("UTC")))),
          p + " " + seen.get(p + ".at.getString"));
      assertWallClock(wall, seen, p + ".wall.getTimestamp");
      assertEquals(wall.toString(), seen.get(p + ".wall.getObjectLocalDateTime"), p);
      assertTrue(seen.get(p + ".wall.getString").startsWith(SHOWN.format(wall)), p);
    }
    assertGolden(seen, true);
    assertParameters(table, true, true);
    // TIMESTAMP '2024-05-01 03:00:00.123' in a Los Angeles session is ROW1's instant.
    Instant session = ROW1.truncatedTo(ChronoUnit.MILLIS);
    assertInstant(session, seen, "session.at.getTimestamp");
    assertInstant(session, seen, "session.at.getTimestampUtcCalendar");
    assertEquals(session.toString(), seen.get("session.at.getObjectInstant"));
    assertWallClock(WALL1.truncatedTo(ChronoUnit.MILLIS), seen, "session.wall.getTimestamp");
    assertEquals(WALL1.toString(), seen.get("session.wall.getObjectLocalDateTime"));
  }

  /**
   * The stock Flight SQL JDBC driver gets TIMESTAMP as a UTC wall clock without a zone: getObject
   * works, getString and getObject(LocalDateTime) show the exact UTC time in every zone, and in a
   * UTC JVM getTimestamp and getObject are exact. Outside UTC the 18.3 driver shifts getTimestamp
   * by twice the JVM's offset whatever the server sends (arrow-java#732).
   */
  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/Los_Angeles", "Asia/Kolkata", "Europe/Berlin"})
  void flightSqlJdbcDriver(String zone) throws Exception {
    String table = "p_flight_" + key(zone);
    Map<String, String> seen = probe("flight", server.jdbcUrl(), zone, table);
    boolean utc = zone.equals("UTC");
    for (int row = 1; row <= 3; row++) {
      Instant at = instant(row);
      LocalDateTime wall = wall(row);
      String p = "row" + row;
      assertTrue(
          seen.get(p + ".at.getString").startsWith(SHOWN.format(at.atZone(ZoneId.of("UTC")))),
          p + " " + seen.get(p + ".at.getString"));
      assertTrue(seen.get(p + ".at.getObject").endsWith("(Timestamp)"), seen.toString());
      assertEquals(wall.toString(), seen.get(p + ".wall.getObjectLocalDateTime"), p);
      assertTrue(seen.get(p + ".wall.getString").startsWith(SHOWN.format(wall)), p);
      if (utc) {
        assertInstant(at, seen, p + ".at.getTimestamp");
        assertInstant(at, seen, p + ".at.getTimestampUtcCalendar");
        assertInstant(at, seen, p + ".at.getObject");
        assertWallClock(wall, seen, p + ".wall.getTimestamp");
      }
    }
    assertGolden(seen, utc);
    // TIMESTAMP '2024-05-01 03:00:00.123' in a Los Angeles session is ROW1's instant.
    assertTrue(
        seen.get("session.at.getString").startsWith(SHOWN.format(ROW1.atZone(ZoneId.of("UTC")))),
        seen.get("session.at.getString"));
    assertEquals(WALL1.toString(), seen.get("session.wall.getObjectLocalDateTime"));
    if (utc) {
      assertInstant(ROW1, seen, "session.at.getTimestamp");
    }
    // setTimestamp sends the wall clock of the Calendar's zone (the JVM's without one): instants
    // are exact with a UTC Calendar, NTZ wall clocks with the JVM's.
    assertParameters(table, utc, false);
  }

  /**
   * The same driver with the connection property {@code x-aquifer-timestamps=instant}: the zoned
   * Arrow form Arrow-native clients get. getObject(Instant / OffsetDateTime) is exact in every
   * zone; the driver's getObject(i) cannot read it ("not implemented").
   */
  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/Los_Angeles", "Asia/Kolkata", "Europe/Berlin"})
  void flightSqlJdbcDriverAskingForInstants(String zone) throws Exception {
    String table = "p_flight_instant_" + key(zone);
    Map<String, String> seen = probe("flight-instant", server.jdbcUrl(), zone, table);
    for (int row = 1; row <= 3; row++) {
      Instant at = instant(row);
      String p = "row" + row;
      assertEquals(at.toString(), seen.get(p + ".at.getObjectInstant"), p);
      assertEquals(at.toString(), seen.get(p + ".at.getObjectOffsetDateTime"), p);
      assertTrue(
          seen.get(p + ".at.getString").startsWith(SHOWN.format(at.atZone(ZoneId.of("UTC")))), p);
      assertTrue(seen.get(p + ".at.getObject").startsWith("!"), seen.get(p + ".at.getObject"));
    }
    assertEquals(ROW1.toString(), seen.get("session.at.getObjectInstant"));
  }

  private static void assertGolden(Map<String, String> seen, boolean timestampsExact) {
    for (int i = 1; i <= goldenInstants.size(); i++) {
      Instant expected = goldenInstants.get(i - 1);
      String key = "golden" + i;
      if (timestampsExact) {
        assertInstant(expected, seen, key + ".getTimestamp");
      }
      String shown = seen.get(key + ".getString");
      assertTrue(
          shown != null && shown.startsWith(SHOWN.format(expected.atZone(ZoneId.of("UTC")))),
          key + " " + shown + " expected " + expected);
    }
  }

  /** Reads the bound rows back in this (UTC) JVM through the Flight SQL driver, exact here. */
  private static void assertParameters(String table, boolean withoutCalendar, boolean ntzWithUtc)
      throws Exception {
    Instant instant = Instant.parse("2024-03-31T01:30:00.123Z");
    LocalDateTime wall = LocalDateTime.parse("2024-03-31T01:30:00.123");
    Map<Long, String[]> rows = new LinkedHashMap<>();
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, at, wall FROM tz." + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
      }
    }
    assertEquals(3, rows.size(), table);
    String at = SHOWN.format(instant.atZone(ZoneId.of("UTC"))) + ".123";
    String ntz = SHOWN.format(wall) + ".123";
    assertEquals(at, rows.get(2L)[0], "setTimestamp(i, ts, UTC calendar)");
    if (withoutCalendar) {
      assertEquals(at, rows.get(1L)[0], "setTimestamp(i, ts)");
      assertEquals(at, rows.get(3L)[0], "setTimestamp(i, ts, JVM calendar)");
    }
    assertEquals(ntz, rows.get(1L)[1], "NTZ setTimestamp(i, ts)");
    assertEquals(ntz, rows.get(3L)[1], "NTZ setTimestamp(i, ts, JVM calendar)");
    assertEquals(ntz, rows.get(2L)[1], "NTZ setTimestamp(i, ts, UTC calendar)");
  }

  private static void assertInstant(Instant expected, Map<String, String> seen, String key) {
    String value = seen.get(key);
    assertTrue(
        value != null && value.startsWith(expected.toString() + " "),
        key + ": expected " + expected + " but saw " + value + " in " + seen.get("zone"));
  }

  private static void assertWallClock(
      LocalDateTime expected, Map<String, String> seen, String key) {
    assertEquals(expected.toString(), seen.get(key), key + " in " + seen.get("zone"));
  }

  private static Instant instant(int row) {
    return switch (row) {
      case 1 -> ROW1;
      case 2 -> ROW2;
      default -> ROW3;
    };
  }

  private static LocalDateTime wall(int row) {
    return switch (row) {
      case 1 -> WALL1;
      case 2 -> WALL2;
      default -> WALL3;
    };
  }

  private static String key(String zone) {
    return zone.replaceAll("[^A-Za-z]", "_").toLowerCase(Locale.ROOT);
  }

  /** Runs the probe in a JVM of the given zone; its key=value lines. */
  private static Map<String, String> probe(String client, String url, String zone, String table)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Duser.timezone=" + zone);
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("-cp");
    command.add(probeClassPath());
    command.add(TimestampProbe.class.getName());
    command.add(client);
    command.add(url);
    command.add(server.token());
    command.add(table);
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    Map<String, String> seen = new LinkedHashMap<>();
    StringBuilder errors = new StringBuilder();
    Thread drain =
        new Thread(
            () -> {
              try {
                errors.append(
                    new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                errors.append(e);
              }
            });
    drain.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        int equals = line.indexOf('=');
        if (equals > 0) {
          seen.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
    }
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the probe did not end");
    drain.join(TimeUnit.MINUTES.toMillis(1));
    assertEquals(0, process.exitValue(), "probe failed: " + errors + "\n" + seen);
    assertEquals(zone, seen.get("zone"));
    assertEquals("done", seen.get("parameters"), seen.toString());
    System.out.println("[" + client + " in " + zone + "] " + seen);
    return seen;
  }

  /** The probe, the Flight SQL JDBC driver jar and Aquifer's driver jar; nothing else. */
  private static String probeClassPath() throws Exception {
    List<String> entries = new ArrayList<>();
    entries.add(
        Path.of(TimestampProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (Path.of(entry).getFileName().toString().startsWith("flight-sql-jdbc-driver-")) {
        entries.add(entry);
      }
    }
    String jar = System.getProperty("aquifer.jdbc.jar");
    assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "build jdbc-driver first: " + jar);
    entries.add(jar);
    assertEquals(3, entries.size(), entries.toString());
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static Path goldenTable() {
    String fixtures = System.getProperty("aquifer.fixtures");
    Path root = fixtures != null ? Path.of(fixtures) : Path.of("..", "..", "shared", "fixtures");
    Path table = root.resolve("delta-golden").resolve("table-with-columnmapping-mode-name");
    assertTrue(Files.isDirectory(table), "golden table not found: " + table.toAbsolutePath());
    return table;
  }

  /** The golden table's expected timestamps, read from its expected Parquet files by DuckDB. */
  private static List<Instant> expectedGoldenInstants(Path golden) throws Exception {
    List<Instant> instants = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duck.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT epoch_us(TimestampType) FROM read_parquet('"
                  + golden.resolve("expected")
                  + "/*.parquet') WHERE TimestampType IS NOT NULL ORDER BY 1")) {
        while (rs.next()) {
          long micros = rs.getLong(1);
          instants.add(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
        }
      }
    }
    return instants;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
