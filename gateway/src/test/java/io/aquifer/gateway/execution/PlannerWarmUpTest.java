package io.aquifer.gateway.execution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.TableDefinition;
import io.aquifer.catalog.TableName;
import io.aquifer.storage.delta.KernelDeltaTables;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up warm-up plans and compiles a real query: over a table of the catalog, or none. */
class PlannerWarmUpTest {
  @TempDir Path dir;

  @Test
  void plansOverTheFirstTableOfTheCatalog() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      CatalogStore catalog = CatalogStore.open(database, "admin");
      KernelDeltaTables tables = new KernelDeltaTables();

      // No table yet: a query over VALUES.
      Optional<String> values = PlannerWarmUp.run(catalog, tables);
      assertTrue(values.isPresent(), "the warm-up failed without tables");
      assertTrue(values.get().toLowerCase().contains("count"), values.get());

      catalog.createSchema("main", "sales", "admin", Optional.empty(), false);
      TableName name = new TableName("main", "sales", "orders");
      String location = dir.resolve("orders").toUri().toString();
      tables.create(
          java.net.URI.create(location),
          new TableSchema(
              List.of(
                  Column.of("region", PrimitiveType.STRING), Column.of("n", PrimitiveType.INT))),
          List.of(),
          Map.of(),
          List.of());
      catalog.beginCreateTable(TableDefinition.managed(name, "admin", location), false);
      catalog.commitCreateTable(name);

      Optional<String> overTable = PlannerWarmUp.run(catalog, tables);
      assertTrue(overTable.isPresent(), "the warm-up failed over a table");
      assertTrue(overTable.get().contains("region"), overTable.get());
    }
  }
}
