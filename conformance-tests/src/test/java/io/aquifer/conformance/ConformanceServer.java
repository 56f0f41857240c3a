package io.aquifer.conformance;

import io.aquifer.server.AquiferServer;
import io.aquifer.server.ServerConfig;
import io.aquifer.storage.objects.S3TestStorage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One real Aquifer server for a conformance suite: embedded catalog, Delta tables and a warehouse
 * node in a temporary data directory, Arrow Flight SQL on a free port. Suites connect with the
 * official Arrow Flight SQL JDBC driver, as any user would. With {@code -Daquifer.test.storage=s3}
 * the tables and volumes live in S3Proxy instead ({@link S3TestStorage}).
 */
public final class ConformanceServer implements AutoCloseable {
  private final Path dataDirectory;
  private final AquiferServer server;
  private final String token;

  private ConformanceServer(Path dataDirectory, AquiferServer server, String token) {
    this.dataDirectory = dataDirectory;
    this.server = server;
    this.token = token;
  }

  public static ConformanceServer start(Path dataDirectory) throws Exception {
    return start(dataDirectory, Map.of());
  }

  public static ConformanceServer start(Path dataDirectory, Map<String, String> settings)
      throws Exception {
    return start(dataDirectory, settings, false);
  }

  /** A server with the TPC-H sample (SF 0.01) loaded into {@code samples.tpch_sf0_01}. */
  public static ConformanceServer startWithSample(Path dataDirectory) throws Exception {
    return start(dataDirectory, Map.of(), true);
  }

  /** A server with the TPC-H sample and these settings. */
  public static ConformanceServer startWithSample(Path dataDirectory, Map<String, String> settings)
      throws Exception {
    return start(dataDirectory, settings, true);
  }

  private static ConformanceServer start(
      Path dataDirectory, Map<String, String> settings, boolean loadSample) throws Exception {
    Path tokenFile = dataDirectory.resolve("admin-token");
    Map<String, String> flags = new HashMap<>(settings);
    flags.put(ServerConfig.DATA_DIR, dataDirectory.toString());
    for (String port : ServerConfig.LISTEN_PORTS) {
      flags.put(port, "0"); // every front end on a free port: suites run side by side
    }
    flags.putIfAbsent(ServerConfig.NODE_MEMORY_LIMIT, "1GB");
    // Off unless a test turns it on: tests that count engine work must not be answered from it.
    flags.putIfAbsent(ServerConfig.RESULT_CACHE, "false");
    // -Daquifer.test.storage=s3 (the build's second run): tables and volumes in S3Proxy.
    S3TestStorage.freshRoot(dataDirectory.getFileName().toString())
        .ifPresent(root -> flags.putIfAbsent(ServerConfig.STORAGE_ROOT, root));
    ServerConfig config = ServerConfig.load(null, Map.of(), flags);
    AquiferServer server =
        AquiferServer.start(
            config,
            Optional.of(tokenFile),
            new PrintStream(OutputStream.nullOutputStream()),
            loadSample);
    return new ConformanceServer(dataDirectory, server, Files.readString(tokenFile).trim());
  }

  public String jdbcUrl() {
    return "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort() + "?useEncryption=false";
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

  /**
   * Settings that send every stored result chunk to the result store's spill tier when the suites
   * run on S3 ({@code result-memory=0}: objects below {@code <storage root>/results/}), for suites
   * of chunk fetches and links; none on local storage, where results stay in memory as by default.
   */
  public static Map<String, String> storedResultsInStorageRoot() {
    return S3TestStorage.enabled() ? Map.of(ServerConfig.RESULT_MEMORY, "0") : Map.of();
  }

  /**
   * How the URIs of managed tables and volumes begin: {@code s3:} when the suites run on S3 ({@code
   * -Daquifer.test.storage=s3}), else {@code file:}.
   */
  public static String managedLocationScheme() {
    return S3TestStorage.enabled() ? "s3:" : "file:";
  }

  public AquiferServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
  }
}
