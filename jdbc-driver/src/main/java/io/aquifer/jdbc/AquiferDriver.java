package io.aquifer.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.DriverVersion;

/**
 * Aquifer's JDBC driver: Avatica's remote driver speaking protobuf over HTTP to the gateway's
 * Avatica endpoint, with Aquifer's URL, name and version.
 *
 * <pre>
 * jdbc:aquifer://host[:port][/catalog[/schema]][?token=...]
 * </pre>
 *
 * <p>Port 8765 unless given. Properties (in the URL query or the connect properties; the URL wins):
 * {@code token} (an Aquifer access token), or {@code user} {@code token} (or the token's owner)
 * with the token as {@code password}; {@code catalog} and {@code schema}, the connection's starting
 * catalog and schema (also the URL's path), checked at connect; {@code ssl=true} to use https (for
 * a TLS proxy in front of the gateway); and Avatica's own, such as {@code fetch_size} (default
 * 10000 rows) and {@code http_response_timeout} (milliseconds a request may wait for its answer,
 * default 24 hours); {@code columnar_frames} (default true: result rows arrive packed column by
 * column in one byte string per frame and are read as the result set asks, see {@link
 * ColumnarFrame}; false for Avatica's per-value protobuf frames).
 *
 * <p>What this driver adds to Avatica's: {@code Statement.cancel()} stops the running statement on
 * the server (Avatica's protocol has no cancel); each connection sends the server a heartbeat every
 * 500 ms, so that the server cancels its statements within seconds when the client dies; errors
 * from {@code ResultSet.next()} and connect arrive as {@link SQLException}s; {@code
 * DatabaseMetaData} reports Aquifer's product name and version and its SQL dialect's lexical rules
 * (backtick quoting).
 *
 * <p>Everything it bundles is relocated under {@code io.aquifer.jdbc.shaded}, and it registers only
 * itself with {@link DriverManager}.
 */
public final class AquiferDriver extends org.apache.calcite.avatica.remote.Driver {
  static {
    // Loading this class ran the static block of Avatica's remote driver (the relocated copy
    // inside this jar), which registers a jdbc:avatica:remote: driver. Take that one out again:
    // this jar adds one driver, Aquifer's, to a tool's DriverManager.
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass() == org.apache.calcite.avatica.remote.Driver.class) {
        try {
          DriverManager.deregisterDriver(driver);
        } catch (SQLException e) {
          // Leaves a working, relocated Avatica driver registered; harmless.
        }
      }
    }
    new AquiferDriver().register();
  }

  public AquiferDriver() {
    super();
  }

  @Override
  protected String getConnectStringPrefix() {
    return AquiferUrl.PREFIX;
  }

  @Override
  protected DriverVersion createDriverVersion() {
    return DriverVersion.load(
        AquiferDriver.class,
        "io/aquifer/jdbc/aquifer-jdbc.properties",
        "Aquifer JDBC Driver",
        "unknown",
        "Aquifer",
        "unknown");
  }

  @Override
  protected AvaticaFactory createFactory() {
    return new AquiferJdbcFactory();
  }

  @Override
  public boolean acceptsURL(String url) {
    return AquiferUrl.accepts(url);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    AquiferUrl aquiferUrl = AquiferUrl.parse(url, info);
    Properties avatica = aquiferUrl.avaticaProperties();
    avatica.setProperty(AquiferConnection.DISPLAY_URL, aquiferUrl.displayUrl());
    AquiferConnection connection;
    try {
      // The prefix alone: Avatica parses what follows it as its own "name=value;" list.
      connection = (AquiferConnection) super.connect(AquiferUrl.PREFIX, avatica);
    } catch (RuntimeException e) {
      throw connectFailure(aquiferUrl, e);
    }
    connection.startHeartbeat();
    String catalog = aquiferUrl.property(AquiferUrl.CATALOG);
    String schema = aquiferUrl.property(AquiferUrl.SCHEMA);
    if (catalog != null || schema != null) {
      try {
        if (catalog != null) {
          connection.setCatalog(catalog);
        }
        if (schema != null) {
          connection.setSchema(schema);
        }
        // Sends both now, so that a catalog or schema that does not exist fails the connect.
        connection.getSchema();
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        if (e instanceof SQLException) {
          throw (SQLException) e;
        }
        throw Errors.toSqlException("Cannot connect", (RuntimeException) e);
      }
    }
    return connection;
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    Properties given = info == null ? new Properties() : info;
    List<DriverPropertyInfo> properties = new ArrayList<>();
    properties.add(
        property(AquiferUrl.TOKEN, given, "Aquifer access token (or use user/password)", false));
    properties.add(
        property(AquiferUrl.USER, given, "'token', or the owner of the access token", false));
    properties.add(
        property(AquiferUrl.PASSWORD, given, "the access token, when user is given", false));
    properties.add(property(AquiferUrl.CATALOG, given, "starting catalog (default: main)", false));
    properties.add(property(AquiferUrl.SCHEMA, given, "starting schema (default: default)", false));
    properties.add(property(AquiferUrl.SSL, given, "true to connect with https", false));
    properties.add(property(AquiferUrl.FETCH_SIZE, given, "rows per fetch (default 10000)", false));
    properties.add(
        property(
            AquiferUrl.COLUMNAR_FRAMES,
            given,
            "false to receive rows as Avatica's per-value protobuf frames (default true: columnar"
                + " frames)",
            false));
    properties.add(
        property(
            AquiferUrl.HTTP_RESPONSE_TIMEOUT,
            given,
            "milliseconds a request may wait (default 24 hours)",
            false));
    return properties.toArray(new DriverPropertyInfo[0]);
  }

  private static DriverPropertyInfo property(
      String name, Properties given, String description, boolean required) {
    DriverPropertyInfo property = new DriverPropertyInfo(name, given.getProperty(name));
    property.description = description;
    property.required = required;
    return property;
  }

  private static SQLException connectFailure(AquiferUrl url, RuntimeException e) {
    if (e instanceof AvaticaClientRuntimeException) {
      return Errors.toSqlException("Cannot connect to Aquifer at " + url.serverUrl(), e);
    }
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return new SQLException(
        "Cannot reach Aquifer at " + url.serverUrl() + ": " + cause, "08001", e);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException e) {
      // The connect already failed; that failure is the one to report.
    }
  }
}
