package io.aquifer.jdbc;

import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * An Aquifer JDBC URL: {@code jdbc:aquifer://host[:port][/catalog[/schema]][?name=value&...]}.
 *
 * <p>The port defaults to {@value #DEFAULT_PORT}. Properties may come in the URL's query or in the
 * {@link Properties} given to {@code connect}; the URL wins. Names and values are percent-decoded.
 */
final class AquiferUrl {
  static final String PREFIX = "jdbc:aquifer:";
  static final int DEFAULT_PORT = 8765;

  static final String TOKEN = "token";
  static final String USER = "user";
  static final String PASSWORD = "password";
  static final String CATALOG = "catalog";
  static final String SCHEMA = "schema";
  static final String SSL = "ssl";

  /** Avatica's own: rows per fetch. Aquifer's server sends at most 10,000 a frame. */
  static final String FETCH_SIZE = "fetch_size";

  static final String DEFAULT_FETCH_SIZE = "10000";

  /**
   * Whether result rows travel as columnar frames (one packed byte string per frame, read value by
   * value as the result set asks) instead of Avatica's one protobuf message per value. On unless
   * set to {@code false}; the server sends Avatica's own frames to clients that do not ask.
   */
  static final String COLUMNAR_FRAMES = "columnar_frames";

  static final String DEFAULT_COLUMNAR_FRAMES = "true";

  /** Avatica's own: how long one request may wait for its answer (a query's first rows). */
  static final String HTTP_RESPONSE_TIMEOUT = "http_response_timeout";

  static final String DEFAULT_HTTP_RESPONSE_TIMEOUT = Long.toString(24L * 60 * 60 * 1000);

  private final String host;
  private final int port;
  private final Map<String, String> properties;

  private AquiferUrl(String host, int port, Map<String, String> properties) {
    this.host = host;
    this.port = port;
    this.properties = properties;
  }

  static boolean accepts(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  static AquiferUrl parse(String url, Properties info) throws SQLException {
    if (!accepts(url)) {
      throw invalid(url, "it does not start with " + PREFIX);
    }
    URI uri;
    try {
      uri = new URI("aquifer:" + url.substring(PREFIX.length()));
    } catch (URISyntaxException e) {
      throw invalid(url, e.getMessage());
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty() || !url.startsWith(PREFIX + "//")) {
      throw invalid(url, "expected jdbc:aquifer://host[:port][/catalog[/schema]][?token=...]");
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();

    Map<String, String> properties = new LinkedHashMap<>();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        properties.put(name, info.getProperty(name));
      }
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      String[] segments = path.substring(1).split("/", -1);
      if (segments.length > 2
          || segments[0].isEmpty()
          || (segments.length == 2 && segments[1].isEmpty())) {
        throw invalid(url, "the path is /catalog or /catalog/schema");
      }
      properties.put(CATALOG, decode(segments[0]));
      if (segments.length == 2) {
        properties.put(SCHEMA, decode(segments[1]));
      }
    }
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        properties.put(name, value);
      }
    }
    return new AquiferUrl(host, port, properties);
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** The server's HTTP address, e.g. {@code http://localhost:8765}. */
  String serverUrl() {
    boolean ssl = Boolean.parseBoolean(properties.getOrDefault(SSL, "false"));
    return (ssl ? "https" : "http") + "://" + host + ":" + port;
  }

  /** The URL without its properties (which may hold the token), for DatabaseMetaData.getURL. */
  String displayUrl() {
    String catalog = properties.get(CATALOG);
    String schema = properties.get(SCHEMA);
    return PREFIX
        + "//"
        + host
        + ":"
        + port
        + (catalog == null ? "" : "/" + catalog + (schema == null ? "" : "/" + schema));
  }

  String property(String name) {
    return properties.get(name);
  }

  /**
   * The properties for Avatica's remote driver: Aquifer's endpoint in protobuf, the credentials
   * (sent once, in OpenConnection), Aquifer's defaults for fetch size, response timeout and
   * columnar frames, and whatever else was given. Catalog and schema are left out: the driver
   * applies them after connecting, so that a wrong name fails the connect.
   */
  Properties avaticaProperties() {
    Properties avatica = new Properties();
    properties.forEach(avatica::setProperty);
    avatica.remove(CATALOG);
    avatica.remove(SCHEMA);
    avatica.remove(SSL);
    avatica.setProperty("url", serverUrl());
    avatica.setProperty("serialization", "protobuf");
    // Avatica's protobuf service, speaking the standard wire names despite the relocation.
    avatica.setProperty("factory", AquiferServiceFactory.class.getName());
    avatica.putIfAbsent(FETCH_SIZE, DEFAULT_FETCH_SIZE);
    avatica.putIfAbsent(COLUMNAR_FRAMES, DEFAULT_COLUMNAR_FRAMES);
    avatica.putIfAbsent(HTTP_RESPONSE_TIMEOUT, DEFAULT_HTTP_RESPONSE_TIMEOUT);
    return avatica;
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8.name());
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SQLException invalid(String url, String why) {
    String shown = url == null ? "null" : url.replaceAll("(?i)(token|password)=[^&]*", "$1=***");
    return new SQLException("Invalid Aquifer JDBC URL " + shown + ": " + why, "08001");
  }
}
