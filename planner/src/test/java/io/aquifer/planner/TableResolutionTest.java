package io.aquifer.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.StatementParser;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.FileStats;
import io.aquifer.storage.delta.KernelDeltaTables;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the planner finds tables and views in the catalog: names in any case, one to three parts,
 * time travel, and one catalog look-up per name and statement however often Calcite resolves it.
 */
class TableResolutionTest {
  private static final TableSchema SCHEMA =
      new TableSchema(
          List.of(Column.of("id", PrimitiveType.BIGINT), Column.of("grp", PrimitiveType.INT)));

  @TempDir Path dir;

  private final DeltaTables tables = new KernelDeltaTables();
  private final CountingCatalog catalog = new CountingCatalog();
  private URI facts;

  @BeforeEach
  void createTables() {
    facts = dir.resolve("facts").toUri();
    tables.create(facts, SCHEMA, List.of(), Map.of(), List.of(file(facts, "a")));
    tables.commit(
        facts, new CommitRequest(0, "WRITE", Map.of(), List.of(file(facts, "b")), List.of()));
    catalog.tables.put(
        "main.bench.facts",
        new PlannerCatalog.DeltaTableEntry(List.of("main", "bench", "facts"), facts));
    catalog.tables.put(
        "main.bench.grp_view",
        new PlannerCatalog.ViewEntry(
            List.of("main", "bench", "grp_view"),
            "SELECT grp, count(*) AS n FROM facts GROUP BY grp",
            List.of("main", "bench")));
  }

  @Test
  void namesResolveInAnyCaseWithOneToThreeParts() {
    for (String name :
        List.of("bench.facts", "BENCH.Facts", "main.bench.facts", "Main.Bench.FACTS")) {
      PlannedQuery plan = plan("SELECT id FROM " + name + " WHERE grp > 0", "main", "default");
      assertEquals(1, plan.scans().size(), name);
      assertEquals(1, plan.scans().get(0).snapshot().version(), name);
    }
    assertEquals(1, plan("SELECT id FROM Facts", "main", "bench").scans().size());
  }

  @Test
  void unknownNamesAreReportedAsNotFound() {
    for (String name : List.of("bench.nope", "nope.facts", "other.bench.facts", "nope")) {
      PlannerException e =
          assertThrows(
              PlannerException.class, () -> plan("SELECT * FROM " + name, "main", "default"));
      assertEquals(
          PlannerErrorCode.TABLE_OR_VIEW_NOT_FOUND, e.code(), name + ": " + e.getMessage());
    }
  }

  @Test
  void timeTravelReadsTheOldVersionNextToTheLatest() {
    PlannedQuery plan =
        plan(
            "SELECT a.id FROM bench.facts VERSION AS OF 0 a JOIN bench.facts b ON a.id = b.id",
            "main",
            "default");
    assertEquals(
        Set.of(0L, 1L),
        Set.copyOf(plan.scans().stream().map(s -> s.snapshot().version()).toList()));
    assertEquals(
        Set.of(1, 2),
        Set.copyOf(plan.scans().stream().map(DeltaTableScan::files).map(List::size).toList()));
  }

  @Test
  void eachScanOfOneTableSkipsFilesByItsOwnFilters() {
    URI ranges = dir.resolve("ranges").toUri();
    tables.create(
        ranges,
        SCHEMA,
        List.of(),
        Map.of(),
        List.of(file(ranges, "low", 1, 10), file(ranges, "high", 11, 20)));
    catalog.tables.put(
        "main.bench.ranges",
        new PlannerCatalog.DeltaTableEntry(List.of("main", "bench", "ranges"), ranges));
    PlannedQuery plan =
        plan(
            "SELECT id FROM bench.ranges WHERE id = 5"
                + " UNION ALL SELECT id FROM bench.ranges WHERE id = 15",
            "main",
            "default");
    // Two scans, each reading the one file its own filter can match (not the other's filter too).
    assertEquals(2, plan.scans().size());
    assertEquals(
        List.of(List.of("low.parquet"), List.of("high.parquet")),
        plan.scans().stream()
            .map(
                s ->
                    s.files().stream()
                        .map(f -> Path.of(f.path()).getFileName().toString())
                        .toList())
            .toList());
  }

  @Test
  void theCatalogIsAskedOncePerNameAndStatement() {
    plan(
        "SELECT f.id FROM bench.facts f JOIN BENCH.FACTS g ON f.id = g.id"
            + " WHERE f.grp IN (SELECT grp FROM main.bench.facts)"
            + " AND EXISTS (SELECT 1 FROM bench.grp_view v WHERE v.grp = f.grp)",
        "main",
        "default");
    assertEquals(1, catalog.calls.get("table main.bench.facts"), catalog.calls.toString());
    assertEquals(1, catalog.calls.get("table main.bench.grp_view"), catalog.calls.toString());
    assertEquals(null, catalog.calls.get("tableNames main.bench"), "no listing of every table");
    assertEquals(1, catalog.calls.get("catalogNames"), catalog.calls.toString());
    assertEquals(1, catalog.calls.get("schemaNames main"), catalog.calls.toString());

    // The next statement asks again: it may see another catalog.
    plan("SELECT id FROM bench.facts", "main", "default");
    assertEquals(2, catalog.calls.get("table main.bench.facts"), catalog.calls.toString());
  }

  private PlannedQuery plan(String sql, String currentCatalog, String currentSchema) {
    ParsedStatement.Query query = (ParsedStatement.Query) StatementParser.parse(sql);
    QueryPlanner planner = new QueryPlanner(catalog, tables, currentCatalog, currentSchema);
    return planner.plan(planner.parse(query.calciteSql()));
  }

  private static NewDataFile file(URI table, String name) {
    return file(table, name, 1, 10);
  }

  private static NewDataFile file(URI table, String name, long minId, long maxId) {
    return new NewDataFile(
        Path.of(table).resolve(name + ".parquet").toUri(),
        100,
        1_700_000_000_000L,
        Map.of(),
        new FileStats(10, Map.of("id", minId), Map.of("id", maxId), Map.of("id", 0L)));
  }

  /** One catalog {@code main} with schemas {@code bench} and {@code default}; counts questions. */
  private static final class CountingCatalog implements PlannerCatalog {
    final Map<String, ResolvedTable> tables = new TreeMap<>();
    final Map<String, Integer> calls = new TreeMap<>();

    private void count(String call) {
      calls.merge(call, 1, Integer::sum);
    }

    @Override
    public Set<String> catalogNames() {
      count("catalogNames");
      return Set.of("main");
    }

    @Override
    public Set<String> schemaNames(String catalog) {
      count("schemaNames " + lower(catalog));
      return lower(catalog).equals("main") ? Set.of("bench", "default") : Set.of();
    }

    @Override
    public Set<String> tableNames(String catalog, String schema) {
      count("tableNames " + lower(catalog) + "." + lower(schema));
      String prefix = lower(catalog) + "." + lower(schema) + ".";
      Set<String> names = new java.util.TreeSet<>();
      for (String key : tables.keySet()) {
        if (key.startsWith(prefix)) {
          names.add(key.substring(prefix.length()));
        }
      }
      return names;
    }

    @Override
    public Optional<ResolvedTable> table(String catalog, String schema, String table) {
      String key = lower(catalog) + "." + lower(schema) + "." + lower(table);
      count("table " + key);
      return Optional.ofNullable(tables.get(key));
    }

    private static String lower(String name) {
      return name.toLowerCase(Locale.ROOT);
    }
  }
}
