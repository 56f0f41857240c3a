package io.aquifer.server;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One real Aquifer server for a test class: embedded catalog, Delta tables and a warehouse node in
 * a temporary data directory, Arrow Flight SQL on a free port. Clients connect with the official
 * Flight SQL JDBC driver.
 */
public final class RunningServer implements AutoCloseable {
  private final Path dataDirectory;
  private final AquiferServer server;
  private final String token;

  private RunningServer(Path dataDirectory, AquiferServer server, String token) {
    this.dataDirectory = dataDirectory;
    this.server = server;
    this.token = token;
  }

  public static RunningServer start(Path dataDirectory) throws Exception {
    return start(dataDirectory, Map.of());
  }

  public static RunningServer start(Path dataDirectory, Map<String, String> settings)
      throws Exception {
    return start(dataDirectory, settings, false);
  }

  /**
   * @param loadSample load the TPC-H sample (SF 0.01, {@code samples.tpch_sf0_01}) first
   */
  public static RunningServer start(
      Path dataDirectory, Map<String, String> settings, boolean loadSample) throws Exception {
    Path tokenFile = dataDirectory.resolve("admin-token");
    Map<String, String> flags = new java.util.HashMap<>(settings);
    flags.put(ServerConfig.DATA_DIR, dataDirectory.toString());
    flags.put(ServerConfig.FLIGHT_PORT, "0");
    flags.put(ServerConfig.AVATICA_PORT, "0");
    flags.put(ServerConfig.HTTP_PORT, "0");
    flags.putIfAbsent(ServerConfig.NODE_MEMORY_LIMIT, "1GB");
    // Off unless a test turns it on: tests that count engine work must not be answered from it.
    flags.putIfAbsent(ServerConfig.RESULT_CACHE, "false");
    ServerConfig config = ServerConfig.load(null, Map.of(), flags);
    AquiferServer server =
        AquiferServer.start(
            config,
            Optional.of(tokenFile),
            new PrintStream(java.io.OutputStream.nullOutputStream()),
            loadSample);
    return new RunningServer(dataDirectory, server, Files.readString(tokenFile).trim());
  }

  public String jdbcUrl() {
    return "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort() + "?useEncryption=false";
  }

  /** The Avatica endpoint, for Avatica's remote driver ({@code url=} of jdbc:avatica:remote:). */
  public String avaticaUrl() {
    return "http://127.0.0.1:" + server.avaticaPort();
  }

  /** The URL of Aquifer's JDBC driver, without credentials. */
  public String aquiferJdbcUrl() {
    return "jdbc:aquifer://127.0.0.1:" + server.avaticaPort();
  }

  public Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", token);
    return DriverManager.getConnection(jdbcUrl(), p);
  }

  public String token() {
    return token;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public AquiferServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
  }
}
