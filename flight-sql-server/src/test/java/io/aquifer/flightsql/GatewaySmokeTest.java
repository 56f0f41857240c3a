package io.aquifer.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.GatewayConfig;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.execution.ExternalLocations;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.history.QueryHistory;
import io.aquifer.storage.delta.KernelDeltaTables;
import io.aquifer.storage.delta.NewDataFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pass through the real gateway (embedded catalog, real tokens, real parser) with the JDBC
 * driver. Only what the gateway answers without a warehouse node: DDL on the catalog, USE, SHOW,
 * metadata, errors. Queries over tables belong to the server's end-to-end tests.
 */
class GatewaySmokeTest {
  @TempDir Path dataDirectory;

  /** No warehouse: the statements here never need one. */
  private static final class NoWarehouse implements WarehouseConnection {
    @Override
    public ResultStream query(QueryFragment fragment) {
      throw unavailable();
    }

    @Override
    public List<NewDataFile> write(WriteFragment fragment) {
      throw unavailable();
    }

    @Override
    public void cancel(String queryId) {}

    @Override
    public void close() {}

    private static GatewayException unavailable() {
      return new GatewayException(
          "NO_WAREHOUSE",
          "08001",
          ErrorCategory.UNAVAILABLE,
          "no warehouse in this test",
          Optional.empty(),
          null);
    }
  }

  @Test
  void jdbcDriverThroughTheRealGateway() throws SQLException {
    try (CatalogDatabase database = CatalogDatabase.open(dataDirectory.resolve("catalog.db"));
        RootAllocator allocator = new RootAllocator()) {
      CatalogStore catalog = CatalogStore.open(database, "admin");
      new PrincipalStore(database).createUser("admin", true);
      AccessTokenStore tokens = new AccessTokenStore(database);
      String token = tokens.createToken("admin", Optional.empty(), Optional.empty()).token();
      try (Gateway gateway =
              new Gateway(
                  catalog,
                  tokens,
                  new KernelDeltaTables(),
                  new NoWarehouse(),
                  allocator,
                  dataDirectory,
                  ExternalLocations.defaults(dataDirectory),
                  GatewayConfig.defaults(dataDirectory),
                  QueryHistory.DISABLED);
          FlightSqlFrontEnd frontEnd = new FlightSqlFrontEnd(gateway, allocator, "127.0.0.1", 0)) {
        frontEnd.start();
        String url =
            "jdbc:arrow-flight-sql://127.0.0.1:" + frontEnd.port() + "/?useEncryption=false";
        try (Connection connection = DriverManager.getConnection(url + "&token=" + token);
            Statement statement = connection.createStatement()) {
          assertEquals(0, statement.executeUpdate("CREATE CATALOG smoke"));
          assertEquals(0, statement.executeUpdate("CREATE SCHEMA smoke.s1"));
          // USE lasts for the connection.
          statement.executeUpdate("USE CATALOG smoke");
          assertTrue(firstColumn(statement.executeQuery("SHOW SCHEMAS")).contains("s1"));

          List<String> catalogs = firstColumn(connection.getMetaData().getCatalogs());
          assertTrue(catalogs.containsAll(List.of("main", "smoke")), catalogs.toString());

          SQLException e =
              assertThrows(SQLException.class, () -> statement.executeQuery("SELEC 1").close());
          assertTrue(String.valueOf(e.getMessage()).contains("SQLSTATE"), e.getMessage());
        }
        try (Connection wrong = DriverManager.getConnection(url + "&token=dapi0000")) {
          throw new AssertionError("a wrong token must not connect");
        } catch (SQLException expected) {
          // rejected
        }
      }
    }
  }

  private static List<String> firstColumn(ResultSet rs) throws SQLException {
    try (rs) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }
}
