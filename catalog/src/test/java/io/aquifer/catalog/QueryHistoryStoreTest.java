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
    Instant start = T0.plusSeconds(secondsAfterT0);
    return new QueryHistoryEntry(
        id,
        "session-1",
        user,
        "default",
        "SELECT " + secondsAfterT0,
        "SELECT",
        status,
        status.equals("FAILED") ? "TABLE_OR_VIEW_NOT_FOUND" : null,
        status.equals("FAILED") ? "42P01" : null,
        status.equals("FAILED") ? "no table t" : null,
        "Arrow Flight SQL",
        start,
        start.plusMillis(250),
        10L,
        240L,
        250,
        status.equals("FINISHED") ? 1L : null,
        status.equals("FINISHED") ? 64L : null,
        null,
        2L,
        3L,
        false);
  }

  @Test
  void keepsThePlanningDuration() {
    QueryHistoryEntry e = entry("s1", "alice", 1, "FINISHED");
    QueryHistoryEntry planned =
        new QueryHistoryEntry(
            e.statementId(),
            e.sessionId(),
            e.executedBy(),
            e.warehouseId(),
            e.statementText(),
            e.statementType(),
            e.executionStatus(),
            e.errorClass(),
            e.errorSqlState(),
            e.errorMessage(),
            e.clientApplication(),
            e.startTime(),
            e.endTime(),
            e.compilationDurationMs(),
            e.executionDurationMs(),
            e.totalDurationMs(),
            e.producedRows(),
            e.producedBytes(),
            e.writtenRows(),
            e.readFiles(),
            e.prunedFiles(),
            e.fromResultCache(),
            null,
            7L);
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      store.insert(List.of(planned, entry("s2", "alice", 2, "FINISHED")));
      List<QueryHistoryEntry> read = store.list(Optional.empty(), 10);
      assertEquals(7L, read.get(1).planningDurationMs());
      assertNull(read.get(0).planningDurationMs());
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
