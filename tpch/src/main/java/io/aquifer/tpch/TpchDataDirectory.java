package io.aquifer.tpch;

import io.aquifer.catalog.CatalogStore;
import io.aquifer.gateway.execution.ManagedTableLocations;
import io.aquifer.storage.delta.DeltaTables;

/**
 * A warehouse data directory opened in this process by the server module for {@code aquifer tpch}:
 * its catalog, its Delta tables and where managed tables go. Closing it releases what opening took
 * (the catalog database, the data-directory lock).
 */
public interface TpchDataDirectory extends AutoCloseable {
  CatalogStore catalog();

  DeltaTables tables();

  ManagedTableLocations locations();

  /** The principal that owns what {@code tpch load} creates (the admin user). */
  String owner();

  @Override
  void close();
}
