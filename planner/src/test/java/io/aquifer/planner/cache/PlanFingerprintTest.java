package io.aquifer.planner.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.planner.PlannerCatalog;
import io.aquifer.planner.QueryPlanner;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache's plan fingerprint: spellings of one plan agree; anything that changes the
 * result (a literal, a result column's name, a new table version) differs; volatile functions are
 * not cacheable.
 */
class PlanFingerprintTest {
  private static final TableSchema SCHEMA =
      new TableSchema(
          List.of(Column.of("id", PrimitiveType.BIGINT), Column.of("grp", PrimitiveType.INT)));

  @TempDir Path dir;

  private final DeltaTables tables = new KernelDeltaTables();
  private URI facts;

  @BeforeEach
  void createTable() {
    facts = dir.resolve("facts").toUri();
    tables.create(facts, SCHEMA, List.of(), Map.of(), List.of(file("a")));
  }

  @Test
  void spellingsOfOnePlanAgree() {
    assertSame(
        "SELECT id, grp FROM bench.facts WHERE grp > 1",
        "select  f.id ,\n  f.grp from BENCH.FACTS AS f   where f.grp>1");
    assertSame(
        "SELECT s.n FROM (SELECT count(*) AS n FROM bench.facts) s",
        "SELECT other.n FROM (SELECT COUNT(*) AS n FROM bench.facts) AS other");
    assertSame(
        "SELECT x FROM (SELECT id AS x FROM bench.facts) q",
        "SELECT y AS x FROM (SELECT id AS y FROM bench.facts) q");
    assertSame(
        "SELECT grp, sum(id) AS total FROM bench.facts GROUP BY grp",
        "SELECT grp, SUM(id) total FROM bench.facts f GROUP BY f.grp");
  }

  @Test
  void whatChangesTheResultChangesTheFingerprint() {
    assertDifferent(
        "SELECT id FROM bench.facts WHERE grp > 1", "SELECT id FROM bench.facts WHERE grp > 2");
    assertDifferent("SELECT id AS a FROM bench.facts", "SELECT id AS b FROM bench.facts");
    assertDifferent("SELECT id FROM bench.facts LIMIT 1", "SELECT id FROM bench.facts OFFSET 1");
    String before = fingerprint("SELECT id FROM bench.facts").canonical();
    tables.commit(facts, new CommitRequest(0, "WRITE", Map.of(), List.of(file("b")), List.of()));
    PlanFingerprint after = fingerprint("SELECT id FROM bench.facts");
    assertNotEquals(before, after.canonical(), "a new version is a new plan");
    assertEquals(1, after.tables().size());
    assertTrue(after.tables().get(0).endsWith("@1"), after.tables().toString());
  }

  @Test
  void volatileFunctionsAreNotCacheable() {
    for (String sql :
        List.of(
            "SELECT id, current_timestamp() FROM bench.facts",
            "SELECT id FROM bench.facts WHERE now() > TIMESTAMP '2020-01-01 00:00:00'",
            "SELECT id FROM bench.facts WHERE grp IN (SELECT grp FROM bench.facts WHERE rand() < 0.5)")) {
      PlanFingerprint f = fingerprint(sql);
      assertFalse(f.cacheable(), sql);
      assertTrue(f.notCacheableBecause().get().contains("changes from run to run"), sql);
    }
    assertTrue(fingerprint("SELECT id FROM bench.facts").cacheable());
  }

  @Test
  void aSampleIsCachedOnlyWithRepeatable() {
    PlanFingerprint random = fingerprint("SELECT id FROM bench.facts TABLESAMPLE (10 PERCENT)");
    assertFalse(random.cacheable());
    assertTrue(random.notCacheableBecause().get().contains("without REPEATABLE"));
    PlanFingerprint seeded =
        fingerprint("SELECT id FROM bench.facts TABLESAMPLE (10 PERCENT) REPEATABLE (7)");
    assertTrue(seeded.cacheable());
    assertDifferent(
        "SELECT id FROM bench.facts TABLESAMPLE (10 PERCENT) REPEATABLE (7)",
        "SELECT id FROM bench.facts TABLESAMPLE (10 PERCENT) REPEATABLE (8)");
    assertDifferent(
        "SELECT id FROM bench.facts TABLESAMPLE (10 PERCENT) REPEATABLE (7)",
        "SELECT id FROM bench.facts TABLESAMPLE (20 PERCENT) REPEATABLE (7)");
    assertSame(
        "SELECT id FROM bench.facts TABLESAMPLE (BUCKET 1 OUT OF 10) REPEATABLE (7)",
        "select id from bench.facts f tablesample (10 percent) repeatable (7)");
  }

  private void assertSame(String a, String b) {
    PlanFingerprint fa = fingerprint(a);
    assertTrue(fa.cacheable(), a);
    assertEquals(fa.canonical(), fingerprint(b).canonical(), a + "\n  vs\n" + b);
  }

  private void assertDifferent(String a, String b) {
    assertNotEquals(fingerprint(a).canonical(), fingerprint(b).canonical(), a + " vs " + b);
  }

  private PlanFingerprint fingerprint(String sql) {
    ParsedStatement.Query query = (ParsedStatement.Query) StatementParser.parse(sql);
    QueryPlanner planner = new QueryPlanner(new OneTable(facts), tables, "main", "default");
    return PlanFingerprint.of(planner.plan(planner.parse(query.calciteSql())).rel());
  }

  private NewDataFile file(String name) {
    return new NewDataFile(
        Path.of(facts).resolve(name + ".parquet").toUri(),
        100,
        1_700_000_000_000L,
        Map.of(),
        new FileStats(10, Map.of("id", 1L), Map.of("id", 10L), Map.of("id", 0L)));
  }

  /** One catalog {@code main}, schema {@code bench}, table {@code facts}. */
  private record OneTable(URI location) implements PlannerCatalog {
    @Override
    public Set<String> catalogNames() {
      return Set.of("main");
    }

    @Override
    public Set<String> schemaNames(String catalog) {
      return catalog.equalsIgnoreCase("main") ? Set.of("bench", "default") : Set.of();
    }

    @Override
    public Set<String> tableNames(String catalog, String schema) {
      return schema.equalsIgnoreCase("bench") ? Set.of("facts") : Set.of();
    }

    @Override
    public Optional<ResolvedTable> table(String catalog, String schema, String table) {
      if ((catalog + "." + schema + "." + table)
          .toLowerCase(Locale.ROOT)
          .equals("main.bench.facts")) {
        return Optional.of(
            new PlannerCatalog.DeltaTableEntry(List.of("main", "bench", "facts"), location));
      }
      return Optional.empty();
    }
  }
}
