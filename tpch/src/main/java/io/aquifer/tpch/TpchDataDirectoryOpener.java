package io.aquifer.tpch;

/**
 * Opens a warehouse's data directory for {@code aquifer tpch}; implemented by the server module,
 * which knows where the directory is and guards it.
 */
public interface TpchDataDirectoryOpener {
  /**
   * For {@code tpch bench}, which only reads (the table locations and Delta file lists, and the
   * planner for the planner-only figure): opens the catalog and tables without the lock, while a
   * server is running on the directory.
   */
  TpchDataDirectory openForReading(WarehouseOptions options);
}
