package io.aquifer.catalog;

import static io.aquifer.catalog.WarehouseErrorCode.INVALID_PARAMETER_VALUE;

import java.util.Locale;

/** What a warehouse runs its statements on; chosen when it is created. */
public enum WarehouseEngine {
  /** Warehouse nodes with DuckDB, started, scaled and stopped by the gateway. */
  DUCKDB,
  /**
   * An Apache Spark cluster the user runs, reached through Spark Connect; the gateway opens and
   * closes a session on it.
   */
  SPARK;

  /** The name in the catalog, the CLI and the REST API: {@code duckdb} or {@code spark}. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws WarehouseException INVALID_PARAMETER_VALUE naming the allowed values
   */
  public static WarehouseEngine parse(String name) {
    if (name != null) {
      for (WarehouseEngine e : values()) {
        if (e.externalName().equalsIgnoreCase(name.strip())) {
          return e;
        }
      }
    }
    throw INVALID_PARAMETER_VALUE.exception(
        "unknown warehouse type '" + name + "': expected duckdb or spark");
  }
}
