package io.aquifer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryHistoryStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  static QueryHistoryEntry entry(String id, String user, int secondsAfterT0, String status) {
    return builder(id, user, secondsAfterT0, status).build();
  }

  static QueryHistoryEntry.Builder builder(
      String id, String user, int secondsAfterT0, String status) {
    Instant start = T0.plusSeconds(secondsAfterT0);
    boolean failed = status.equals("FAILED");
    boolean finished = status.equals("FINISHED");
    return QueryHistoryEntry.builder()
        .statementId(id)
        .sessionId("session-1")
        .executedBy(user)
        .warehouseId("default")
        .statementText("SELECT " + secondsAfterT0)
        .statementType("SELECT")
        .executionStatus(status)
        .errorClass(failed ? "TABLE_OR_VIEW_NOT_FOUND" : null)
        .errorSqlState(failed ? "42P01" : null)
        .errorMessage(failed ? "no table t" : null)
        .clientApplication("Arrow Flight SQL")
        .startTime(start)
        .endTime(start.plusMillis(250))
        .compilationDurationMs(10L)
        .executionDurationMs(240L)
        .totalDurationMs(250L)
        .producedRows(finished ? 1L : null)
        .producedBytes(finished ? 64L : null)
        .readFiles(2L)
        .prunedFiles(3L);
  }

  @Test
  void anEngineProfileIsAddedToAnEntryAlreadyWritten() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("late.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      store.insert(List.of(entry("s1", "alice", 1, "FINISHED")));
      assertEquals(Optional.empty(), store.engineProfile("s1"));
      java.util.Map<String, String> late = new java.util.LinkedHashMap<>();
      late.put("s1", "{\"plan\":{},\"profile\":{}}");
      late.put("not-written", "{}");
      assertEquals(java.util.Set.of("not-written"), store.updateEngineProfiles(late));
      assertEquals(
          "{\"plan\":{},\"profile\":{}}", store.engineProfile("s1").orElseThrow().profileJson());
      assertEquals(Optional.empty(), store.engineProfile("not-written"));
    }
  }

  @Test
  void keepsTheEngineProfileApartFromTheListAndPrunesItWithItsEntry() {
    String profile = "{\"plan\":{},\"profile\":{\"operator\":[]}}";
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      store.insert(
          List.of(
              builder("s1", "alice", 1, "FINISHED").engineProfile(profile).build(),
              entry("s2", "bob", 2, "FINISHED")));
      assertNull(store.list(Optional.empty(), 10).get(1).engineProfile()); // never listed
      QueryHistoryStore.StoredEngineProfile kept = store.engineProfile("s1").orElseThrow();
      assertEquals("alice", kept.executedBy());
      assertEquals(profile, kept.profileJson());
      assertEquals(Optional.empty(), store.engineProfile("s2"));
      assertEquals(Optional.empty(), store.engineProfile("missing"));
      store.prune(1, T0); // keeps the newest, s2
      assertEquals(Optional.empty(), store.engineProfile("s1"));
    }
  }

  @Test
  void keepsThePlanningDuration() {
    QueryHistoryEntry planned =
        builder("s1", "alice", 1, "FINISHED").planningDurationMs(7L).build();
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      store.insert(List.of(planned, entry("s2", "alice", 2, "FINISHED")));
      List<QueryHistoryEntry> read = store.list(Optional.empty(), 10);
      assertEquals(7L, read.get(1).planningDurationMs());
      assertNull(read.get(0).planningDurationMs());
    }
  }

  @Test
  void keepsTheQueueTimes() {
    QueryHistoryEntry queued =
        builder("s1", "alice", 1, "FINISHED")
            .waitingForComputeDurationMs(1200L)
            .waitingAtCapacityDurationMs(30L)
            .build();
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      store.insert(List.of(queued, entry("s2", "alice", 2, "FINISHED")));
      List<QueryHistoryEntry> read = store.list(Optional.empty(), 10);
      assertEquals(1200L, read.get(1).waitingForComputeDurationMs());
      assertEquals(30L, read.get(1).waitingAtCapacityDurationMs());
      assertNull(read.get(0).waitingForComputeDurationMs());
      assertNull(read.get(0).waitingAtCapacityDurationMs());
    }
  }

  @Test
  void keepsEntriesAcrossReopenNewestFirstAndFiltersByUser() {
    Path file = dir.resolve("catalog.db");
    QueryHistoryEntry first = entry("s1", "alice", 1, "FINISHED");
    QueryHistoryEntry second = entry("s2", "bob", 2, "FAILED");
    QueryHistoryEntry third = entry("s3", "alice", 3, "CANCELED");
    try (CatalogDatabase database = CatalogDatabase.open(file)) {
      new QueryHistoryStore(database).insert(List.of(first, second, third));
    }
    try (CatalogDatabase database = CatalogDatabase.open(file)) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      assertEquals(List.of(third, second, first), store.list(Optional.empty(), 10));
      assertEquals(List.of(third, first), store.list(Optional.of("alice"), 10));
      assertEquals(List.of(third), store.list(Optional.of("alice"), 1));
      QueryHistoryEntry failed = store.list(Optional.of("bob"), 10).get(0);
      assertEquals("42P01", failed.errorSqlState());
      assertNull(failed.producedRows());
    }
  }

  @Test
  void prunesByAgeThenByCount() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      for (int i = 0; i < 10; i++) {
        store.insert(List.of(entry("s" + i, "alice", i, "FINISHED")));
      }
      assertEquals(3, store.prune(100, T0.plusSeconds(3)));
      assertEquals(7, store.count());
      assertEquals(4, store.prune(3, T0));
      assertEquals(
          List.of("s9", "s8", "s7"),
          store.list(Optional.empty(), 10).stream().map(QueryHistoryEntry::statementId).toList());
    }
  }

  @Test
  void rejectsAnUnknownStatus() {
    assertThrows(IllegalArgumentException.class, () -> entry("s", "alice", 0, "RUNNING"));
  }
}
