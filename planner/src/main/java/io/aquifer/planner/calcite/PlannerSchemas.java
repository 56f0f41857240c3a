package io.aquifer.planner.calcite;

import io.aquifer.planner.PlannerCatalog;
import io.aquifer.planner.PlannerCatalog.DeltaTableEntry;
import io.aquifer.planner.PlannerCatalog.ViewEntry;
import java.util.Optional;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.Lookup;

/**
 * The catalog as a Calcite schema tree: root → catalogs → schemas → tables and views. Names are
 * resolved lazily against the {@link PlannerCatalog}; tables are bound to snapshots through the
 * statement's {@link SnapshotBinder}.
 */
public final class PlannerSchemas {
  private PlannerSchemas() {}

  public static Schema root(PlannerCatalog catalog, SnapshotBinder binder, ViewTable.ViewTyper typer) {
    return new Level() {
      @Override
      public Lookup<? extends Schema> subSchemas() {
        return new NameLookup<>(catalog.catalogNames(), c -> catalogSchema(catalog, binder, typer, c));
      }
    };
  }

  private static Schema catalogSchema(
      PlannerCatalog catalog, SnapshotBinder binder, ViewTable.ViewTyper typer, String name) {
    return new Level() {
      @Override
      public Lookup<? extends Schema> subSchemas() {
        return new NameLookup<>(
            catalog.schemaNames(name), s -> databaseSchema(catalog, binder, typer, name, s));
      }
    };
  }

  private static Schema databaseSchema(
      PlannerCatalog catalog,
      SnapshotBinder binder,
      ViewTable.ViewTyper typer,
      String catalogName,
      String schemaName) {
    return new Level() {
      @Override
      public Lookup<Table> tables() {
        return new NameLookup<>(
            catalog.tableNames(catalogName, schemaName),
            name -> {
              Optional<PlannerCatalog.ResolvedTable> entry =
                  catalog.table(catalogName, schemaName, NameLookup.baseName(name));
              if (entry.isEmpty()) {
                return null;
              }
              if (entry.get() instanceof DeltaTableEntry delta) {
                return new DeltaTable(binder.bind(delta.location(), NameLookup.timeTravel(name)));
              }
              if (!NameLookup.timeTravel(name).isEmpty()) {
                throw new io.aquifer.planner.PlannerException(
                    io.aquifer.planner.PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC,
                    "time travel applies to Delta tables, not to view " + name);
              }
              return new ViewTable((ViewEntry) entry.get(), typer);
            });
      }
    };
  }

  /** A schema level with nothing but what a subclass overrides. */
  private abstract static class Level extends AbstractSchema {
    @Override
    public Lookup<Table> tables() {
      return Lookup.empty();
    }

    @Override
    public Lookup<? extends Schema> subSchemas() {
      return Lookup.empty();
    }

    @Override
    public boolean isMutable() {
      return false;
    }
  }
}
