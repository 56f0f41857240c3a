package io.aquifer.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan memo's rules on a real catalog: generations, and bounds that keep hot entries. */
class PlanMemoTest {
  @TempDir Path dir;

  private static PlanMemo.Key key(String sql) {
    return new PlanMemo.Key("s1", "alice", "main", "default", "UTC", sql);
  }

  private static PlanMemo.Entry entry(String generation, String resultKey) {
    return new PlanMemo.Entry(generation, resultKey, List.of(), List.of("x"), List.of("x"));
  }

  @Test
  void anEntryHoldsOnlyForTheGenerationItWasPlannedIn() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      PlanMemo memo = new PlanMemo(CatalogStore.open(database, "admin"));
      String before = memo.generation();
      memo.remember(key("SELECT 1"), entry(before, "k1"));
      assertEquals(
          Optional.of("k1"),
          memo.lookup(key("SELECT 1"), memo.generation(), null).map(PlanMemo.Entry::resultKey));

      memo.statementRun();
      String after = memo.generation();
      assertNotEquals(before, after);
      assertTrue(memo.lookup(key("SELECT 1"), after, null).isEmpty());
      // A stale entry is dropped, not kept for an older generation.
      assertTrue(memo.lookup(key("SELECT 1"), before, null).isEmpty());
    }
  }

  @Test
  void aHotEntryOutlivesManyQueriesSeenOnce() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      PlanMemo memo = new PlanMemo(CatalogStore.open(database, "admin"));
      String generation = memo.generation();
      PlanMemo.Key hot = key("SELECT * FROM hot");
      memo.remember(hot, entry(generation, "hot"));
      for (int i = 0; i < 25_000; i++) {
        memo.remember(key("SELECT " + i), entry(generation, "k" + i));
        if (i % 100 == 0) {
          assertTrue(memo.lookup(hot, generation, null).isPresent(), "after " + i + " others");
        }
      }
      assertTrue(memo.lookup(hot, generation, null).isPresent());
      int kept = 0;
      for (int i = 0; i < 25_000; i++) {
        if (memo.lookup(key("SELECT " + i), generation, null).isPresent()) {
          kept++;
        }
      }
      assertTrue(kept <= 10_000, kept + " entries kept of 25,000 seen once");
    }
  }

  @Test
  void sessionsShareKeysUnlessTheyHaveTemporaryViewsOrDiffer() {
    io.aquifer.catalog.Principal alice = new io.aquifer.catalog.Principal("alice", false);
    io.aquifer.gateway.Session one = new io.aquifer.gateway.Session("s1", alice, "main", "a");
    io.aquifer.gateway.Session two = new io.aquifer.gateway.Session("s2", alice, "main", "a");
    String sql = "SELECT * FROM t";
    PlanMemo.Key key = PlanMemo.key(one, sql, false).orElseThrow();
    assertEquals(key, PlanMemo.key(two, sql, false).orElseThrow(), "shared");
    assertEquals("", key.scope());

    io.aquifer.gateway.Session bob =
        new io.aquifer.gateway.Session(
            "s3", new io.aquifer.catalog.Principal("bob", false), "main", "a");
    assertNotEquals(key, PlanMemo.key(bob, sql, false).orElseThrow(), "another principal");
    io.aquifer.gateway.Session other = new io.aquifer.gateway.Session("s4", alice, "main", "b");
    assertNotEquals(key, PlanMemo.key(other, sql, false).orElseThrow(), "another schema");
    io.aquifer.gateway.SessionSettings.set(two, "timezone", "Asia/Tokyo");
    assertNotEquals(key, PlanMemo.key(two, sql, false).orElseThrow(), "another setting");

    long changes = one.changes();
    assertTrue(PlanMemo.holds(key, one, changes));
    one.changing();
    one.temporaryViews()
        .put("t", new io.aquifer.gateway.TemporaryView("t", "SELECT 1", "main", "a"));
    one.changing();
    PlanMemo.Key own = PlanMemo.key(one, sql, false).orElseThrow();
    assertTrue(own.scope().startsWith("s1\n"), "a session with a temporary view keys by its id");
    assertTrue(!PlanMemo.holds(key, one, changes), "changed while planning: not remembered");
    assertTrue(!PlanMemo.holds(own, one, changes), "a statement of the session ran meanwhile");
    assertTrue(PlanMemo.holds(own, one, one.changes()));

    // Replacing or adding a temporary view changes the session's key, and only its own.
    one.temporaryViews()
        .put("t", new io.aquifer.gateway.TemporaryView("t", "SELECT 2", "main", "a"));
    PlanMemo.Key replaced = PlanMemo.key(one, sql, false).orElseThrow();
    assertNotEquals(own, replaced, "a replaced temporary view");
    one.temporaryViews()
        .put("u", new io.aquifer.gateway.TemporaryView("u", "SELECT 3", "main", "a"));
    assertNotEquals(replaced, PlanMemo.key(one, sql, false).orElseThrow(), "another one");
    one.temporaryViews().clear();
    assertEquals(key, PlanMemo.key(one, sql, false).orElseThrow(), "none left: shared again");
  }
}
