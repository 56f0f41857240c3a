package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The benchmark's Spark column ({@code aquifer tpch bench --spark-warehouse NAME}): the queries
 * through the same server's Arrow Flight SQL front end, with the connection's statements running on
 * warehouse {@code NAME}, a warehouse of type {@code spark}. The gateway plans them as for every
 * warehouse and binds the same Delta snapshots, so Spark reads the very same Parquet files as the
 * DuckDB node and in-process DuckDB columns.
 */
final class SparkBenchColumn {
  /** The column's name in the table and the JSON figures. */
  static final String NAME = "Spark";

  private SparkBenchColumn() {}

  /**
   * The Spark column's front end, or empty when no Spark warehouse is named; the caller closes its
   * connection.
   */
  static Optional<TpchBenchmark.FrontEnd> open(
      TpchWarehouseConnector connector,
      WarehouseOptions options,
      Optional<String> token,
      String warehouse)
      throws SQLException {
    requireNonNull(connector, "connector");
    if (warehouse == null) {
      return Optional.empty();
    }
    if (warehouse.isBlank()) {
      throw new IllegalArgumentException("--spark-warehouse needs a warehouse name");
    }
    Connection connection = connector.connect(options, token, warehouse);
    return Optional.of(new TpchBenchmark.FrontEnd(NAME, connection));
  }
}
