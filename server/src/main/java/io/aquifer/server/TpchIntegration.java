package io.aquifer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.gateway.execution.InterruptedTableRecovery;
import io.aquifer.gateway.execution.ManagedTableLocations;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.KernelDeltaTables;
import io.aquifer.tpch.TpchDataDirectory;
import io.aquifer.tpch.TpchDataDirectoryOpener;
import io.aquifer.tpch.TpchWarehouseConnector;
import io.aquifer.tpch.WarehouseOptions;
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
 * What {@code aquifer tpch} needs from the gateway process's world: the data directory (locked,
 * recovered) for loading, read-only access for benchmarks, and a JDBC connection to the running
 * warehouse found through its {@code connection.json}.
 */
final class TpchIntegration implements TpchDataDirectoryOpener, TpchWarehouseConnector {

  private static ServerConfig config(WarehouseOptions options) {
    Map<String, String> flags = new HashMap<>();
    flags.put(ServerConfig.DATA_DIR, options.dataDirectory().orElse(null));
    return ServerConfig.load(options.configFile().orElse(null), System.getenv(), flags);
  }

  @Override
  public TpchDataDirectory openForLoad(WarehouseOptions options) {
    ServerConfig config = config(options);
    DataDirectoryLock lock;
    try {
      lock = DataDirectoryLock.acquire(config.dataDirectory());
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          e.getMessage()
              + "; stop the server before 'aquifer tpch load' (a running server loads"
              + " the SF 0.01 sample itself on first start)",
          e);
    }
    CatalogDatabase database = null;
    try {
      database = CatalogDatabase.open(config.dataDirectory().resolve(AquiferServer.CATALOG_FILE));
      CatalogStore catalog = CatalogStore.open(database, AquiferServer.ADMIN_USER);
      ManagedTableLocations locations = new ManagedTableLocations(config.dataDirectory());
      InterruptedTableRecovery.recover(catalog, locations);
      return directory(catalog, new KernelDeltaTables(), locations, database, lock);
    } catch (RuntimeException e) {
      if (database != null) {
        database.close();
      }
      lock.close();
      throw e;
    }
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

  @Override
  public Connection connect(WarehouseOptions options, Optional<String> token) throws SQLException {
    JsonNode info = connectionInfo(options);
    if (token.isEmpty()) {
      throw new SQLException("an access token is needed: pass --token or set AQUIFER_TOKEN");
    }
    Properties properties = new Properties();
    properties.setProperty("token", token.get());
    return DriverManager.getConnection(
        info.path("jdbc").path("arrowFlightSql").asText(), properties);
  }
}
