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
}
