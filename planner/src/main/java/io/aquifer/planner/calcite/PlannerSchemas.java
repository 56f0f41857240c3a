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

  /** Databricks type names that Calcite's parser does not know, usable in CAST. */
  private static final java.util.Map<String, org.apache.calcite.rel.type.RelProtoDataType>
      DATABRICKS_TYPE_NAMES =
          java.util.Map.of(
              "STRING", f -> f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR),
              "TEXT", f -> f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR),
              "LONG", f -> f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.BIGINT),
              "SHORT", f -> f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.SMALLINT),
              "BYTE", f -> f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.TINYINT),
              "TIMESTAMP_NTZ",
                  f -> f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP, 6),
              "TIMESTAMP_LTZ",
                  f ->
                      f.createSqlType(
                          org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6));

  public static Schema root(PlannerCatalog catalog, SnapshotBinder binder, ViewTable.ViewTyper typer) {
    return new Level() {
      @Override
      public Lookup<? extends Schema> subSchemas() {
        return new NameLookup<>(catalog.catalogNames(), c -> catalogSchema(catalog, binder, typer, c));
      }

      @Override
      protected java.util.Map<String, org.apache.calcite.rel.type.RelProtoDataType> getTypeMap() {
        return DATABRICKS_TYPE_NAMES;
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
