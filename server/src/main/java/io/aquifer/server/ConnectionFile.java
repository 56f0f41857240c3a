package io.aquifer.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <data dir>/connection.json}: how scripts and tests find a running warehouse. Written
 * atomically once every front end is serving, removed on a clean stop.
 */
public final class ConnectionFile {
  public static final String NAME = "connection.json";

  private ConnectionFile() {}

  public static Map<String, Object> describe(
      String host, int flightPort, int avaticaPort, long pid) {
    Map<String, Object> flight = new LinkedHashMap<>();
    flight.put("uri", "grpc+tcp://" + host + ":" + flightPort);
    flight.put("host", host);
    flight.put("port", flightPort);
    Map<String, Object> avatica = new LinkedHashMap<>();
    avatica.put("url", "http://" + host + ":" + avaticaPort);
    avatica.put("host", host);
    avatica.put("port", avaticaPort);
    Map<String, Object> jdbc = new LinkedHashMap<>();
    jdbc.put(
        "arrowFlightSql",
        "jdbc:arrow-flight-sql://" + host + ":" + flightPort + "?useEncryption=false");
    // Aquifer's own driver (jdbc-driver/target/aquifer-jdbc-*.jar) over Avatica.
    jdbc.put("aquifer", "jdbc:aquifer://" + host + ":" + avaticaPort);
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("type", "personal access token");
    auth.put(
        "howTo",
        "send the token as a bearer token (JDBC: token=<token>) or as the password with user"
            + " 'token'; the admin token is printed on first start (or written to --token-file);"
            + " './aquifer token create --data-dir DIR' makes a new one");
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("flightSql", flight);
    root.put("avatica", avatica);
    root.put("jdbc", jdbc);
    root.put("auth", auth);
    root.put("pid", pid);
    return root;
  }

  /** Adds the Databricks REST API's endpoint ({@code "databricks"}) to a description. */
  public static Map<String, Object> withDatabricks(
      Map<String, Object> description,
      String baseUrl,
      String warehouseId,
      String httpPath,
      String jdbcUrl) {
    Map<String, Object> databricks = new LinkedHashMap<>();
    databricks.put("host", baseUrl);
    databricks.put("warehouseId", warehouseId);
    databricks.put("httpPath", httpPath);
    databricks.put("jdbcUrl", jdbcUrl);
    Map<String, Object> out = new LinkedHashMap<>(description);
    out.put("databricks", databricks);
    return out;
  }

  /**
   * Adds the Databricks REST API's endpoint ({@code "databricks"}) to a description, with the
   * Databricks JDBC driver's URLs in REST mode ({@code jdbcUrl}) and in its default Thrift mode
   * ({@code thriftJdbcUrl}).
   */
  public static Map<String, Object> withDatabricks(
      Map<String, Object> description,
      String baseUrl,
      String warehouseId,
      String httpPath,
      String jdbcUrl,
      String thriftJdbcUrl) {
    Map<String, Object> out = withDatabricks(description, baseUrl, warehouseId, httpPath, jdbcUrl);
    @SuppressWarnings("unchecked")
    Map<String, Object> databricks = (Map<String, Object>) out.get("databricks");
    databricks.put("thriftJdbcUrl", thriftJdbcUrl);
    return out;
  }

  public static void write(Path dataDirectory, Map<String, Object> content) {
    Path target = dataDirectory.resolve(NAME);
    Path tmp = dataDirectory.resolve(NAME + ".tmp");
    try {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(tmp.toFile(), content);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  public static void remove(Path dataDirectory) {
    try {
      Files.deleteIfExists(dataDirectory.resolve(NAME));
    } catch (IOException e) {
      // A stale file is harmless: its pid no longer runs.
    }
  }
}
