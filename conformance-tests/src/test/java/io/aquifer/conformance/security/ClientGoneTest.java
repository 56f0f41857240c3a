package io.aquifer.conformance.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.aquifer.conformance.ConformanceServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries do not outlive their clients. A client in its own JVM runs a query that would compute for
 * many minutes; when the client is killed (kill -9, no goodbye) or its query timeout passes, the
 * engine must stop computing soon: the test polls the warehouse node's running queries until none
 * is left, with a deadline far below the query's own run time.
 *
 * <p>Aquifer's JDBC driver (Avatica) sends heartbeats, so the server closes a killed client's
 * connection after a few missed beats and cancels its statements; the Arrow Flight SQL JDBC
 * driver's dead client drops its DoGet stream, which cancels the statement.
 */
class ClientGoneTest {
  /** About 10^12 pairs: many minutes of engine time, so only a cancel stops it in time. */
  private static final String ENDLESS =
      "SELECT count(*) FROM million a, million b WHERE (a.id * 31 + b.id * 17) % 1000003 = 5";

  /** Far below the query's run time, far above a heartbeat timeout plus a cancel. */
  private static final long ENGINE_IDLE_DEADLINE_SECONDS = 30;

  /** Several heartbeats long: an idle live client must keep its connection. */
  private static final long IDLE_MILLIS = 3000;

  @TempDir static Path dataDirectory;
  private static ConformanceServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ten (x BIGINT)");
      s.execute("INSERT INTO ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
      s.execute(
          "CREATE TABLE million AS SELECT a.x * 100000 + b.x * 10000 + c.x * 1000 + d.x * 100"
              + " + e.x * 10 + f.x AS id FROM ten a, ten b, ten c, ten d, ten e, ten f");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void engineIdle() throws InterruptedException {
    awaitEngine("the engine is idle before the test", null, () -> running() == 0);
  }

  @Test
  void aquiferDriverClientKilledMidQuery() throws Exception {
    Probe probe = Probe.start(aquiferUrl(), IDLE_MILLIS, 0);
    try {
      probe.await("alive_after_idle");
      assertEquals("1", probe.seen("alive_after_idle"), "the idle connection was lost");
      awaitEngine("the query runs on the engine", probe, () -> running() == 1);
      probe.kill();
      long killed = System.nanoTime();
      awaitEngine("the engine stopped after the client was killed", null, () -> running() == 0);
      report("Aquifer driver, client killed", killed);
    } finally {
      probe.kill();
    }
  }

  @Test
  void flightSqlDriverClientKilledMidQuery() throws Exception {
    // The probe's two queries (SELECT 1, then the endless one) each begin a DoGet.
    long fetches = server.server().flightResultFetchesStarted() + 2;
    Probe probe = Probe.start(server.jdbcUrl(), 1, 0);
    try {
      probe.await("alive_after_idle");
      awaitEngine("the query runs on the engine", probe, () -> running() == 1);
      // Killed only once the driver's DoGet has begun: what stops the engine then is the dropped
      // result stream. A client killed between GetFlightInfo and DoGet leaves an unclaimed
      // statement, canceled after flight-unclaimed-result-timeout (FlightSqlClientTest covers it).
      awaitEngine(
          "the driver fetches the result (DoGet)",
          probe,
          () -> server.server().flightResultFetchesStarted() >= fetches);
      probe.kill();
      long killed = System.nanoTime();
      awaitEngine("the engine stopped after the client was killed", null, () -> running() == 0);
      report("Flight SQL JDBC driver, client killed", killed);
    } finally {
      probe.kill();
    }
  }

  @Test
  void aquiferDriverQueryTimeout() throws Exception {
    Probe probe = Probe.start(aquiferUrl(), 0, 2);
    try {
      probe.await("error_state");
      long timedOut = System.nanoTime();
      assertEquals("57014", probe.seen("error_state"), probe.seen("error"));
      assertTrue(probe.seen("error").contains("STATEMENT_TIMEOUT"), probe.seen("error"));
      // The client is still connected (it waits on stdin): the server stopped the query itself.
      awaitEngine("the engine stopped after the timeout", probe, () -> running() == 0);
      report("Aquifer driver, query timeout", timedOut);
    } finally {
      probe.kill();
    }
  }

  @Test
  void flightSqlDriverQueryTimeout() throws Exception {
    Probe probe = Probe.start(server.jdbcUrl(), 0, 2);
    try {
      probe.await("statement_closed");
      long timedOut = System.nanoTime();
      assertTrue(probe.seen("error").contains("timed out"), probe.output());
      // The driver gave up waiting; closing its statement drops the result stream, and the server
      // must cancel the query (the connection stays open).
      awaitEngine("the engine stopped after the timeout", probe, () -> running() == 0);
      report("Flight SQL JDBC driver, query timeout (" + probe.seen("error") + ")", timedOut);
    } finally {
      probe.kill();
    }
  }

  private static String aquiferUrl() {
    return "jdbc:aquifer://127.0.0.1:" + server.server().avaticaPort();
  }

  private static int running() {
    return server.server().runningEngineQueries();
  }

  private static void report(String what, long since) {
    System.out.printf(
        "%s: engine idle %d ms later%n",
        what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
  }

  /** Polls until the condition holds; fails at the deadline, or at once if the probe died. */
  private static void awaitEngine(String what, Probe probe, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ENGINE_IDLE_DEADLINE_SECONDS);
    while (!condition.getAsBoolean()) {
      if (probe != null && !probe.alive()) {
        fail("the client ended before: " + what + "; " + probe.output());
      }
      if (System.nanoTime() > deadline) {
        fail(
            "not within "
                + ENGINE_IDLE_DEADLINE_SECONDS
                + " s: "
                + what
                + " (engine runs "
                + running()
                + ")"
                + (probe == null ? "" : "; " + probe.output()));
      }
      Thread.sleep(20);
    }
  }

  /** A {@link ClientGoneProbe} JVM and what it printed. */
  private static final class Probe {
    private final Process process;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final StringBuffer errors = new StringBuffer();

    private Probe(Process process) {
      this.process = process;
      Thread out =
          new Thread(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    int equals = line.indexOf('=');
                    if (equals > 0) {
                      seen.put(line.substring(0, equals), line.substring(equals + 1));
                    }
                  }
                } catch (IOException e) {
                  // The probe was killed.
                }
              },
              "probe-stdout");
      out.setDaemon(true);
      out.start();
      Thread err =
          new Thread(
              () -> {
                try {
                  errors.append(
                      new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  // The probe was killed.
                }
              },
              "probe-stderr");
      err.setDaemon(true);
      err.start();
    }

    static Probe start(String url, long idleMillis, int timeoutSeconds) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
      command.add("-cp");
      command.add(classPath());
      command.add(ClientGoneProbe.class.getName());
      command.add(url);
      command.add(server.token());
      command.add(ENDLESS);
      command.add(Long.toString(idleMillis));
      command.add(Integer.toString(timeoutSeconds));
      return new Probe(new ProcessBuilder(command).start());
    }

    void await(String key) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!seen.containsKey(key)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.waitFor(5, TimeUnit.SECONDS);
          fail("the client did not report " + key + ": " + output());
        }
        Thread.sleep(20);
      }
    }

    String seen(String key) {
      return seen.getOrDefault(key, "");
    }

    boolean alive() {
      return process.isAlive();
    }

    /** kill -9: the client gets no chance to close anything. */
    void kill() throws InterruptedException {
      process.toHandle().destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() {
      return seen + " stderr: " + errors;
    }
  }

  /** The probe's classes, the Flight SQL JDBC driver jar and Aquifer's driver jar; nothing else. */
  private static String classPath() {
    List<String> entries = new ArrayList<>();
    try {
      entries.add(
          Path.of(ClientGoneProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (Path.of(entry).getFileName().toString().startsWith("flight-sql-jdbc-driver-")) {
        entries.add(entry);
      }
    }
    String jar = System.getProperty("aquifer.jdbc.jar");
    assertTrue(
        jar != null && Files.isRegularFile(Path.of(jar)),
        "the Aquifer JDBC driver jar is not built (mvn package of jdbc-driver): " + jar);
    entries.add(jar);
    assertEquals(3, entries.size(), entries.toString());
    return String.join(java.io.File.pathSeparator, entries);
  }
}
