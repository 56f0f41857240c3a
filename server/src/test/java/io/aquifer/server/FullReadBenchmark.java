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
 * Per-query overhead and a full read, through the Arrow Flight SQL JDBC driver and through
 * Aquifer's driver (Avatica): the round trip of {@code SELECT 1} (plain Statement, result read,
 * median of 200 after 20 warm-up runs, one connection each) and a full read of the TPC-H sample's
 * lineitem (SF 0.01, 60,175 rows, every column read with getObject), median of several runs after a
 * warm-up; the Aquifer driver both with its columnar frames (the default) and with Avatica's own
 * frames ({@code columnar_frames=false}), interleaved with the Flight SQL runs. A measuring tool,
 * not a test: run its {@code main} with the server's test class path and {@code
 * -Daquifer.jdbc.jar=jdbc-driver/target/...jar}, or {@code mvn -pl server -am
 * -Dtest=FullReadBenchmark -Dsurefire.failIfNoSpecifiedTests=false test} (the driver jar built
 * first); nothing is asserted. The result cache is off. Arguments: full read runs (default 7),
 * SELECT 1 runs (default 200).
 */
public final class FullReadBenchmark {
  private static final String SQL = "SELECT * FROM samples.tpch_sf0_01.lineitem";

  @org.junit.jupiter.api.Test
  void run() throws Exception {
    main(new String[0]);
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int roundTrips = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dataDirectory = Files.createTempDirectory("aquifer-bench");
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
      String token = Files.readString(tokenFile).trim();
      Properties properties = new Properties();
      properties.setProperty("token", token);
      Driver aquifer = aquiferDriver();
      String flightUrl =
          "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort() + "?useEncryption=false";
      String aquiferUrl = "jdbc:aquifer://127.0.0.1:" + server.avaticaPort();
      try (Connection f = DriverManager.getConnection(flightUrl, properties);
          Connection a = aquifer.connect(aquiferUrl, properties)) {
        double flight = roundTripMedian(f, roundTrips);
        double avatica = roundTripMedian(a, roundTrips);
        System.out.printf(
            "SELECT 1 round trip, median of %d: Flight SQL JDBC %.2f ms, Aquifer driver (Avatica)"
                + " %.2f ms%n",
            roundTrips, flight, avatica);
      }
      Properties stockFrames = new Properties();
      stockFrames.putAll(properties);
      stockFrames.setProperty("columnar_frames", "false");
      for (int round = 0; round < 2; round++) {
        boolean warmUp = round == 0;
        List<Long> flight = new ArrayList<>();
        List<Long> avatica = new ArrayList<>();
        List<Long> stock = new ArrayList<>();
        for (int i = 0; i < (warmUp ? 2 : runs); i++) {
          try (Connection c = DriverManager.getConnection(flightUrl, properties)) {
            flight.add(timeRead(c));
          }
          try (Connection c = aquifer.connect(aquiferUrl, properties)) {
            avatica.add(timeRead(c));
          }
          try (Connection c = aquifer.connect(aquiferUrl, stockFrames)) {
            stock.add(timeRead(c));
          }
        }
        if (!warmUp) {
          long f = median(flight);
          long a = median(avatica);
          long p = median(stock);
          System.out.printf(
              "lineitem full read, median of %d: Flight SQL JDBC %d ms, Aquifer driver (Avatica)"
                  + " %d ms, ratio %.2f; with columnar_frames=false %d ms, ratio %.2f%n",
              runs, f, a, (double) a / f, p, (double) p / f);
        }
      }
    }
  }

  /** Median milliseconds of executing SELECT 1 and reading its row, after 20 unmeasured runs. */
  private static double roundTripMedian(Connection c, int runs) throws SQLException {
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < runs + 20; i++) {
      long start = System.nanoTime();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1")) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new IllegalStateException("SELECT 1 gave no 1");
        }
      }
      if (i >= 20) {
        nanos.add(System.nanoTime() - start);
      }
    }
    return median(nanos) / 1e6;
  }

  private static long timeRead(Connection c) throws SQLException {
    long start = System.nanoTime();
    long rows = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(SQL)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
        rows++;
      }
    }
    if (rows != 60_175) {
      throw new IllegalStateException("read " + rows + " rows");
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
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
