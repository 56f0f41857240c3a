package io.aquifer.tpch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Connects {@code aquifer tpch load}, {@code check} and {@code bench} to a running warehouse;
 * implemented by the server module.
 */
@FunctionalInterface
public interface TpchWarehouseConnector {
  /**
   * A JDBC connection through the Arrow Flight SQL front end of the warehouse serving the data
   * directory (found from its {@code connection.json}), authenticated with the personal access
   * token.
   *
   * @param token from {@code --token} or {@code AQUIFER_TOKEN}; empty when neither is given
   * @throws SQLException if no warehouse is running or the token is refused; the message says which
   */
  Connection connect(WarehouseOptions options, Optional<String> token) throws SQLException;

  /**
   * Like {@link #connect}, with the connection's statements running on the warehouse named {@code
   * warehouse} of the same server (for the benchmark's Spark column: a warehouse of type {@code
   * spark}).
   *
   * @throws SQLException if no server is running, the token is refused, or this connector cannot
   *     choose a warehouse
   */
  default Connection connect(WarehouseOptions options, Optional<String> token, String warehouse)
      throws SQLException {
    throw new SQLException("this connector cannot choose a warehouse: " + warehouse);
  }

  /**
   * Where {@code tpch load} loads: SQL to the warehouse serving the data directory (as {@link
   * #connect}) and its staging directory.
   *
   * @throws SQLException if no warehouse is running or the token is refused
   */
  default TpchLoadTarget loadTarget(WarehouseOptions options, Optional<String> token)
      throws SQLException {
    throw new SQLException("this warehouse cannot be loaded by aquifer tpch load");
  }

  /**
   * A JDBC connection through the warehouse's Avatica front end, for the benchmark's second column;
   * empty when the warehouse serves none.
   */
  default Optional<Connection> connectAvatica(WarehouseOptions options, Optional<String> token)
      throws SQLException {
    return Optional.empty();
  }
}
