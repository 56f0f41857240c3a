package io.aquifer.planner.calcite;

import io.aquifer.planner.PlannerCatalog;
import io.aquifer.planner.PlannerCatalog.DeltaTableEntry;
import io.aquifer.planner.PlannerCatalog.SystemTableEntry;
import io.aquifer.planner.PlannerCatalog.ViewEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
                          org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                          6));

  /**
   * The root of one statement's schema tree. Calcite asks for the same names many times over; the
   * tables and views it gets are made once per statement (a view's text is validated once, a table
   * is bound to its snapshot once), and {@code catalog} should remember its answers for the
   * statement too.
   */
  public static Schema root(
      PlannerCatalog catalog, SnapshotBinder binder, ViewTable.ViewTyper typer) {
    return root(catalog, binder, typer, Optional::empty);
  }

  /**
   * @param currentView the innermost permanent view being expanded when a name is resolved (empty
   *     at the statement's own level): each reference to a table or view is checked with {@link
   *     PlannerCatalog#checkRead} in that context, also when the table was made before
   */
  public static Schema root(
      PlannerCatalog catalog,
      SnapshotBinder binder,
      ViewTable.ViewTyper typer,
      java.util.function.Supplier<Optional<List<String>>> currentView) {
    return root(catalog, binder, typer, currentView, null, name -> false);
  }

  /**
   * @param expander plans the reads of tables with a row filter or column masks ({@link
   *     SecuredTable}); null: such tables cannot be read
   * @param rawAllowed whether the unfiltered rows of a secured table (catalog, schema, table) may
   *     be read now: only while its own expansion is planned
   */
  public static Schema root(
      PlannerCatalog catalog,
      SnapshotBinder binder,
      ViewTable.ViewTyper typer,
      java.util.function.Supplier<Optional<List<String>>> currentView,
      SecuredTable.Expander expander,
      java.util.function.Predicate<List<String>> rawAllowed) {
    return root(
        catalog, binder, typer, currentView, expander, rawAllowed, name -> false, n -> null);
  }

  /**
   * @param writeAllowed whether the {@linkplain SecuredTable#WRITE write} read of a table (catalog,
   *     schema, table) may be named now: only by the statement that writes it
   * @param readFiles the statement's {@code read_files} calls by number (see {@link
   *     io.aquifer.planner.parse.ReadFilesRewriter}); null for a number it does not know
   */
  public static Schema root(
      PlannerCatalog catalog,
      SnapshotBinder binder,
      ViewTable.ViewTyper typer,
      java.util.function.Supplier<Optional<List<String>>> currentView,
      SecuredTable.Expander expander,
      java.util.function.Predicate<List<String>> rawAllowed,
      java.util.function.Predicate<List<String>> writeAllowed,
      java.util.function.IntFunction<io.aquifer.planner.ReadFilesCall> readFiles) {
    Security security = new Security(expander, rawAllowed, writeAllowed);
    Map<List<String>, Table> tables = new ConcurrentHashMap<>();
    return new Level() {
      @Override
      public Lookup<? extends Schema> subSchemas() {
        return NameLookup.listed(
            catalog::catalogNames,
            c -> catalogSchema(catalog, binder, typer, tables, currentView, security, c));
      }

      /** The session's temporary views, which one-part names reach after the current schema. */
      @Override
      public Lookup<Table> tables() {
        return NameLookup.resolved(
            catalog::temporaryViewNames,
            base ->
                io.aquifer.planner.parse.ReadFilesRewriter.isReference(base)
                    ? base
                    : catalog.temporaryView(base).map(v -> v.qualifiedName().get(0)).orElse(null),
            name -> {
              if (!NameLookup.timeTravel(name).isEmpty()) {
                return null;
              }
              List<String> key = List.of(name);
              Table table = tables.get(key);
              if (table == null && io.aquifer.planner.parse.ReadFilesRewriter.isReference(name)) {
                io.aquifer.planner.ReadFilesCall call =
                    readFiles.apply(io.aquifer.planner.parse.ReadFilesRewriter.number(name));
                if (call == null) {
                  return null;
                }
                try {
                  table = new FileSourceTable(catalog.readFiles(call));
                } catch (io.aquifer.planner.PlannerException e) {
                  throw e;
                } catch (RuntimeException e) {
                  throw new ReadFilesFailure(e);
                }
                tables.put(key, table);
                return table;
              }
              if (table == null) {
                Optional<ViewEntry> view = catalog.temporaryView(name);
                if (view.isEmpty()) {
                  return null;
                }
                table = new ViewTable(view.get(), typer);
                tables.put(key, table);
              }
              return table;
            });
      }

      @Override
      protected java.util.Map<String, org.apache.calcite.rel.type.RelProtoDataType> getTypeMap() {
        return DATABRICKS_TYPE_NAMES;
      }
    };
  }

  private static Schema catalogSchema(
      PlannerCatalog catalog,
      SnapshotBinder binder,
      ViewTable.ViewTyper typer,
      Map<List<String>, Table> tables,
      java.util.function.Supplier<Optional<List<String>>> currentView,
      Security security,
      String name) {
    return new Level() {
      @Override
      public Lookup<? extends Schema> subSchemas() {
        return NameLookup.listed(
            () -> catalog.schemaNames(name),
            s -> databaseSchema(catalog, binder, typer, tables, currentView, security, name, s));
      }
    };
  }

  private static Schema databaseSchema(
      PlannerCatalog catalog,
      SnapshotBinder binder,
      ViewTable.ViewTyper typer,
      Map<List<String>, Table> tables,
      java.util.function.Supplier<Optional<List<String>>> currentView,
      Security security,
      String catalogName,
      String schemaName) {
    return new Level() {
      @Override
      public Lookup<Table> tables() {
        // One table is resolved by its name; the schema's names are listed only if Calcite asks.
        return NameLookup.resolved(
            () -> catalog.tableNames(catalogName, schemaName),
            base ->
                catalog
                    .table(catalogName, schemaName, base)
                    .map(entry -> entry.qualifiedName().get(2))
                    .orElse(null),
            name -> {
              boolean raw = name.endsWith(SecuredTable.RAW);
              if (raw
                  && !security.rawAllowed.test(
                      List.of(catalogName, schemaName, NameLookup.baseName(name)))) {
                return null;
              }
              if (name.endsWith(SecuredTable.WRITE)
                  && !security.writeAllowed.test(
                      List.of(catalogName, schemaName, NameLookup.baseName(name)))) {
                return null;
              }
              List<String> key = List.of(catalogName, schemaName, name);
              Table table = tables.get(key);
              if (table == null) {
                table = table(catalog, binder, typer, security, catalogName, schemaName, name);
                if (table != null) {
                  tables.put(key, table);
                }
              }
              if (table != null && !raw) {
                catalog.checkRead(
                    List.of(catalogName, schemaName, NameLookup.baseName(name)), currentView.get());
              }
              return table;
            });
      }
    };
  }

  private static Table table(
      PlannerCatalog catalog,
      SnapshotBinder binder,
      ViewTable.ViewTyper typer,
      Security security,
      String catalogName,
      String schemaName,
      String name) {
    Optional<PlannerCatalog.ResolvedTable> entry =
        catalog.table(catalogName, schemaName, NameLookup.baseName(name));
    if (entry.isEmpty()) {
      return null;
    }
    if (entry.get() instanceof DeltaTableEntry delta) {
      DeltaTable table =
          new DeltaTable(
              binder.bind(
                  delta.location(),
                  NameLookup.timeTravel(name),
                  catalogName + "." + schemaName + "." + NameLookup.baseName(name)));
      boolean write = name.endsWith(SecuredTable.WRITE);
      if ((delta.policy().isEmpty() && !write) || name.endsWith(SecuredTable.RAW)) {
        return table;
      }
      if (security.expander == null) {
        throw new io.aquifer.planner.PlannerException(
            io.aquifer.planner.PlannerErrorCode.UNSUPPORTED_FEATURE,
            "table "
                + catalogName
                + "."
                + schemaName
                + "."
                + NameLookup.baseName(name)
                + " has a row filter or column mask, which cannot be applied here");
      }
      return new SecuredTable(
          table, List.of(catalogName, schemaName, name), delta.policy(), security.expander);
    }
    if (!NameLookup.timeTravel(name).isEmpty()) {
      throw new io.aquifer.planner.PlannerException(
          io.aquifer.planner.PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC,
          "time travel applies to Delta tables, not to "
              + (entry.get() instanceof SystemTableEntry ? "system table " : "view ")
              + name);
    }
    if (entry.get() instanceof SystemTableEntry system) {
      return new SystemTable(system);
    }
    return new ViewTable((ViewEntry) entry.get(), typer);
  }

  private record Security(
      SecuredTable.Expander expander,
      java.util.function.Predicate<List<String>> rawAllowed,
      java.util.function.Predicate<List<String>> writeAllowed) {}

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
