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
 * A full read of the TPC-H sample's lineitem (SF 0.01, 60,175 rows, every column read with
 * getObject) through the Arrow Flight SQL JDBC driver and through Aquifer's driver (Avatica), as
 * the median of several runs after a warm-up. A measuring tool, not a test: run its {@code main}
 * with the server's test class path and {@code -Daquifer.jdbc.jar=jdbc-driver/target/...jar};
 * nothing is asserted. Argument: runs (default 7).
 */
public final class FullReadBenchmark {
  private static final String SQL = "SELECT * FROM samples.tpch_sf0_01.lineitem";

  private FullReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
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
                ServerConfig.HTTP_PORT, "0"));
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
      for (int round = 0; round < 2; round++) {
        boolean warmUp = round == 0;
        List<Long> flight = new ArrayList<>();
        List<Long> avatica = new ArrayList<>();
        for (int i = 0; i < (warmUp ? 2 : runs); i++) {
          try (Connection c = DriverManager.getConnection(flightUrl, properties)) {
            flight.add(timeRead(c));
          }
          try (Connection c = aquifer.connect(aquiferUrl, properties)) {
            avatica.add(timeRead(c));
          }
        }
        if (!warmUp) {
          long f = median(flight);
          long a = median(avatica);
          System.out.printf(
              "lineitem full read, median of %d: Flight SQL JDBC %d ms, Aquifer driver (Avatica)"
                  + " %d ms, ratio %.2f%n",
              runs, f, a, (double) a / f);
        }
      }
    }
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
