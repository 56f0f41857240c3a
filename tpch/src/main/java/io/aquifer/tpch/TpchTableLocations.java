package io.aquifer.tpch;

import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.TableInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Finds the Delta locations of a schema's eight TPC-H tables in the catalog. */
public final class TpchTableLocations {
  private TpchTableLocations() {}

  /**
   * Table name to location, in load order.
   *
   * @throws TpchException TABLE_MISSING if a table is missing or has no location
   */
  public static Map<String, URI> resolve(CatalogStore catalog, TpchSchemaName schema) {
    Map<String, URI> locations = new LinkedHashMap<>();
    for (TpchTableSpec<?> spec : TpchTableSpec.ALL) {
      Optional<TableInfo> table = catalog.getTable(schema.table(spec.name()));
      if (table.isEmpty() || table.get().location().isEmpty()) {
        throw new TpchException(
            TpchErrorCode.TABLE_MISSING,
            "table " + schema.table(spec.name()) + " does not exist; run 'tpch load' first");
      }
      locations.put(spec.name(), URI.create(table.get().location().get()));
    }
    return locations;
  }
}
