package io.aquifer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.gateway.execution.ManagedTableLocations;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.KernelDeltaTables;
import io.aquifer.tpch.JdbcWarehouseSql;
import io.aquifer.tpch.TpchDataDirectory;
import io.aquifer.tpch.TpchDataDirectoryOpener;
import io.aquifer.tpch.TpchLoadTarget;
import io.aquifer.tpch.TpchWarehouseConnector;
import io.aquifer.tpch.WarehouseOptions;
import io.aquifer.tpch.WarehouseSql;
import java.io.IOException;
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
 * What {@code aquifer tpch} needs from the gateway process's world: read-only access to the data
 * directory for benchmarks, a JDBC connection to the running warehouse found through its {@code
 * connection.json}, and the staging directory {@code tpch load} puts Parquet files in (below the
 * first external location, which the warehouse nodes may read).
 */
final class TpchIntegration implements TpchDataDirectoryOpener, TpchWarehouseConnector {
  /** Below the first external location: where {@code tpch load} stages its Parquet files. */
  static final String STAGING_FOLDER = "_aquifer_tpch_staging";

  private static ServerConfig config(WarehouseOptions options) {
    Map<String, String> flags = new HashMap<>();
    flags.put(ServerConfig.DATA_DIR, options.dataDirectory().orElse(null));
    return ServerConfig.load(options.configFile().orElse(null), System.getenv(), flags);
  }

  @Override
  public TpchDataDirectory openForReading(WarehouseOptions options) {
    ServerConfig config = config(options);
    Path file = config.dataDirectory().resolve(AquiferServer.CATALOG_FILE);
    if (!Files.exists(file)) {
      throw new IllegalStateException("no warehouse in " + config.dataDirectory());
    }
    CatalogDatabase database = CatalogDatabase.open(file);
    CatalogStore catalog = CatalogStore.open(database, AquiferServer.ADMIN_USER);
    return directory(
        catalog,
        new KernelDeltaTables(),
        new ManagedTableLocations(config.dataDirectory()),
        database,
        () -> {});
  }

  private static TpchDataDirectory directory(
      CatalogStore catalog,
      DeltaTables tables,
      ManagedTableLocations locations,
      CatalogDatabase database,
      AutoCloseable lock) {
    return new TpchDataDirectory() {
      @Override
      public CatalogStore catalog() {
        return catalog;
      }

      @Override
      public DeltaTables tables() {
        return tables;
      }

      @Override
      public ManagedTableLocations locations() {
        return locations;
      }

      @Override
      public String owner() {
        return AquiferServer.ADMIN_USER;
      }

      @Override
      public void close() {
        database.close();
        try {
          lock.close();
        } catch (Exception e) {
          // the lock goes with the process anyway
        }
      }
    };
  }

  @Override
  public Optional<Connection> connectAvatica(WarehouseOptions options, Optional<String> token)
      throws SQLException {
    JsonNode info = connectionInfo(options);
    String url = info.path("avatica").path("url").asText("");
    if (url.isEmpty() || token.isEmpty()) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    properties.setProperty("token", token.get());
    properties.setProperty("fetch_size", "10000");
    return Optional.of(
        DriverManager.getConnection(
            "jdbc:avatica:remote:url=" + url + ";serialization=protobuf", properties));
  }

  private JsonNode connectionInfo(WarehouseOptions options) throws SQLException {
    ServerConfig config = config(options);
    Path file = config.dataDirectory().resolve(ConnectionFile.NAME);
    if (!Files.exists(file)) {
      throw new SQLException(
          "no running warehouse: "
              + file
              + " is missing; start one with './aquifer start"
              + " --data-dir "
              + config.dataDirectory()
              + "'");
    }
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new SQLException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The folder {@code tpch load} stages files in: below the server's first external location. */
  static Path stagingDirectory(ServerConfig config) {
    if (config.externalLocations().isEmpty()) {
      throw new IllegalStateException(
          "tpch load stages files below an external location, and the server has none;"
              + " set external-locations");
    }
    return config.externalLocations().get(0).resolve(STAGING_FOLDER);
  }

  @Override
  public TpchLoadTarget loadTarget(WarehouseOptions options, Optional<String> token)
      throws SQLException {
    Path staging = stagingDirectory(config(options));
    Connection connection = connect(options, token);
    JdbcWarehouseSql sql = new JdbcWarehouseSql(connection);
    return new TpchLoadTarget() {
      @Override
      public WarehouseSql sql() {
        return sql;
      }

      @Override
      public Path stagingDirectory() {
        return staging;
      }

      @Override
      public void close() {
        try {
          connection.close();
        } catch (SQLException e) {
          // closing a connection whose server went away
        }
      }
    };
  }

  @Override
  public Connection connect(WarehouseOptions options, Optional<String> token) throws SQLException {
    return connect(options, token, new Properties());
  }

  /** The Flight SQL connection with {@code warehouse=<name>}: its statements run there. */
  @Override
  public Connection connect(WarehouseOptions options, Optional<String> token, String warehouse)
      throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("warehouse", warehouse);
    return connect(options, token, properties);
  }

  private Connection connect(
      WarehouseOptions options, Optional<String> token, Properties properties) throws SQLException {
    JsonNode info = connectionInfo(options);
    if (token.isEmpty()) {
      throw new SQLException("an access token is needed: pass --token or set AQUIFER_TOKEN");
    }
    properties.setProperty("token", token.get());
    return DriverManager.getConnection(
        info.path("jdbc").path("arrowFlightSql").asText(), properties);
  }
}
