package io.aquifer.tpch;

/**
 * Opens a warehouse's data directory for {@code aquifer tpch}; implemented by the server module,
 * which knows where the directory is and guards it.
 */
public interface TpchDataDirectoryOpener {
  /**
   * For {@code tpch load}, which commits to the catalog and to Delta logs: opens the data directory
   * as its only writer, holding the data-directory lock until {@link TpchDataDirectory#close()},
   * after start-up recovery has cleared tables a killed process left half-created. Fails with a
   * message to stop the server first if one is running on it.
   */
  TpchDataDirectory openForLoad(WarehouseOptions options);

  /**
   * For {@code tpch bench}, which only reads (the table locations and Delta file lists, and the
   * planner for the planner-only figure): opens the catalog and tables without the lock, while a
   * server is running on the directory.
   */
  TpchDataDirectory openForReading(WarehouseOptions options);
}
