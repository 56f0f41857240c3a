package io.aquifer.gateway.execution;

import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.PlannerCatalog;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.StatementParser;
import io.aquifer.storage.delta.DeltaTables;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans (never runs) one query over a table of the catalog when the gateway starts, on a background
 * thread, so that the first statement a user sends does not pay for loading and compiling the
 * parser, Calcite's planner and metadata handlers, Delta Kernel and the engine compiler (2-4 s of a
 * cold JVM, measured as the first statement's planning phase). Nothing is read but the table's
 * Delta log, nothing is recorded, and a failure only costs the first statement that time again.
 */
public final class PlannerWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(PlannerWarmUp.class);

  private PlannerWarmUp() {}

  /** Starts the warm-up on a daemon thread of low priority. */
  public static void start(CatalogStore catalog, DeltaTables tables) {
    Thread t = new Thread(() -> run(catalog, tables), "aquifer-planner-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /**
   * Plans and compiles the warm-up query; the engine SQL it compiled to, empty when it failed
   * (logged at debug).
   */
  static Optional<String> run(CatalogStore catalog, DeltaTables tables) {
    long began = System.nanoTime();
    try {
      Optional<TableInfo> table = anyTable(catalog);
      String column = "1";
      List<String> name = List.of("aquifer_warm_up", "w", "t");
      URI location = null;
      if (table.isPresent()) {
        TableInfo t = table.get();
        name = List.of(t.name().catalog(), t.name().schema(), t.name().table());
        location = URI.create(t.location().orElseThrow());
        column = quote(tables.latest(location).schema().columns().get(0).name());
      }
      String sql =
          table.isPresent()
              ? "SELECT "
                  + column
                  + " AS k, count(*) AS n FROM "
                  + String.join(".", name.stream().map(PlannerWarmUp::quote).toList())
                  + " WHERE "
                  + column
                  + " IS NOT NULL GROUP BY "
                  + column
                  + " ORDER BY n DESC LIMIT 10"
              : "SELECT a, count(*) AS n FROM (VALUES (1, 'x'), (2, 'y')) AS v(a, b)"
                  + " WHERE b <> 'z' GROUP BY a ORDER BY n DESC LIMIT 10";
      ParsedStatement parsed = StatementParser.parse(sql);
      if (!(parsed instanceof ParsedStatement.Query query)) {
        return Optional.empty();
      }
      QueryPlanner planner =
          new QueryPlanner(
              new OneTable(name, location), tables, name.get(0), name.get(1), Optional.empty());
      PlannedQuery plan = planner.plan(planner.parse(query.calciteSql()));
      String engineSql = DuckDbPlanCompiler.compile("warm-up", plan.rel()).engineSql();
      // Debug only: a line from this background thread would land in the middle of whatever
      // the process prints (e.g. a CLI command's one-line answer).
      LOG.debug(
          "planner warmed up in {} ms{}",
          (System.nanoTime() - began) / 1_000_000,
          table.map(t -> " over " + t.name()).orElse(""));
      return Optional.of(engineSql);
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("planner warm-up failed (the first statement plans cold)", e);
      return Optional.empty();
    }
  }

  /** The first managed or external table of the catalog, if any. */
  private static Optional<TableInfo> anyTable(CatalogStore catalog) {
    for (var c : catalog.listCatalogs()) {
      for (var s : catalog.listSchemas(c.name())) {
        for (TableInfo t : catalog.listTables(c.name(), s.name())) {
          if (t.kind() != TableKind.VIEW && t.location().isPresent()) {
            return Optional.of(t);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** A planner catalog of the one table (or none): no privileges, views or functions. */
  private record OneTable(List<String> name, URI location) implements PlannerCatalog {
    @Override
    public Set<String> catalogNames() {
      return Set.of(name.get(0));
    }

    @Override
    public Set<String> schemaNames(String catalog) {
      return catalog.equalsIgnoreCase(name.get(0)) ? Set.of(name.get(1)) : Set.of();
    }

    @Override
    public Set<String> tableNames(String catalog, String schema) {
      return location != null
              && catalog.equalsIgnoreCase(name.get(0))
              && schema.equalsIgnoreCase(name.get(1))
          ? Set.of(name.get(2))
          : Set.of();
    }

    @Override
    public Optional<ResolvedTable> table(String catalog, String schema, String table) {
      if (location == null
          || !List.of(catalog, schema, table)
              .toString()
              .toLowerCase(Locale.ROOT)
              .equals(name.toString().toLowerCase(Locale.ROOT))) {
        return Optional.empty();
      }
      return Optional.of(new DeltaTableEntry(name, location));
    }
  }
}
