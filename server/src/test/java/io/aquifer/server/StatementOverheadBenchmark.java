package io.aquifer.server;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * The fixed cost of a statement through each front end: the round trip of a plain {@code
 * Statement.executeQuery} of {@code SELECT 1} with its row read, through the Arrow Flight SQL JDBC
 * driver (which prepares every statement: CreatePreparedStatement, GetFlightInfo, DoGet,
 * ClosePreparedStatement) and through Aquifer's driver (Avatica's prepareAndExecute). Two shapes:
 * the same text each time (its plan kept from the first run) and a new text each time ({@code
 * SELECT 1 AS c<n>}: parsed, validated and planned every time, what a first run of a query costs).
 * p50 and p99 of 200 runs after 20 unmeasured ones, one connection per driver, result cache off.
 *
 * <p>A measuring tool, not a test: nothing is asserted. Run it with {@code mvn -pl server -am
 * -Dtest=StatementOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false package} (the Aquifer
 * driver's jar is built in the same reactor), or its {@code main} with the server's test class path
 * and {@code -Daquifer.jdbc.jar=...}. Argument: measured runs (default 200).
 */
public final class StatementOverheadBenchmark {
  private static final int WARM_UP = 20;

  @org.junit.jupiter.api.Test
  void run() throws Exception {
    main(new String[0]);
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dataDirectory = Files.createTempDirectory("aquifer-overhead");
    Path tokenFile = dataDirectory.resolve("admin-token");
    ServerConfig config =
        ServerConfig.load(
            null,
            Map.of(),
            Map.of(
                ServerConfig.DATA_DIR, dataDirectory.toString(),
                ServerConfig.FLIGHT_PORT, "0",
                ServerConfig.AVATICA_PORT, "0",
                ServerConfig.HTTP_PORT, "0",
                // Every statement runs on the engine: the front ends' cost, not the cache's.
                ServerConfig.RESULT_CACHE, "false"));
    try (AquiferServer server =
        AquiferServer.start(
            config,
            Optional.of(tokenFile),
            new PrintStream(OutputStream.nullOutputStream()),
            true)) {
      Properties properties = new Properties();
      properties.setProperty("token", Files.readString(tokenFile).trim());
      String flightUrl =
          "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort() + "?useEncryption=false";
      String aquiferUrl = "jdbc:aquifer://127.0.0.1:" + server.avaticaPort();
      try (Connection flight = DriverManager.getConnection(flightUrl, properties);
          Connection avatica = aquiferDriver().connect(aquiferUrl, properties)) {
        int[] next = {0};
        for (boolean newText : new boolean[] {false, true}) {
          // Interleaved in blocks of 10 so that both front ends see the same load.
          List<Long> f = new ArrayList<>();
          List<Long> a = new ArrayList<>();
          for (int block = 0; block < (runs + WARM_UP) / 10; block++) {
            boolean measured = block >= WARM_UP / 10;
            for (int i = 0; i < 10; i++) {
              long t = roundTrip(flight, newText ? "SELECT 1 AS c" + next[0]++ : "SELECT 1");
              if (measured) {
                f.add(t);
              }
            }
            for (int i = 0; i < 10; i++) {
              long t = roundTrip(avatica, newText ? "SELECT 1 AS c" + next[0]++ : "SELECT 1");
              if (measured) {
                a.add(t);
              }
            }
          }
          System.out.printf(
              "SELECT 1 round trip, %s, %d runs: Flight SQL JDBC p50 %.2f ms p99 %.2f ms;"
                  + " Aquifer driver (Avatica) p50 %.2f ms p99 %.2f ms%n",
              newText ? "a new text each run" : "the same text each run",
              f.size(),
              percentile(f, 50),
              percentile(f, 99),
              percentile(a, 50),
              percentile(a, 99));
        }
      }
    }
  }

  /** Nanoseconds to execute a query and read its one row. */
  private static long roundTrip(Connection c, String sql) throws SQLException {
    long start = System.nanoTime();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next() || rs.getInt(1) != 1) {
        throw new IllegalStateException(sql + " gave no 1");
      }
    }
    return System.nanoTime() - start;
  }

  /** The nearest-rank percentile, in milliseconds. */
  private static double percentile(List<Long> nanos, int p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1)) / 1e6;
  }

  private static Driver aquiferDriver() throws Exception {
    Path jar = Path.of(System.getProperty("aquifer.jdbc.jar"));
    ClassLoader loader =
        new java.net.URLClassLoader(
            new java.net.URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    for (Driver d : ServiceLoader.load(Driver.class, loader)) {
      return d;
    }
    throw new IllegalStateException("no driver in " + jar);
  }
}
