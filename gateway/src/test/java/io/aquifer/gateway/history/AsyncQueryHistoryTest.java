package io.aquifer.gateway.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.QueryHistoryEntry;
import io.aquifer.catalog.QueryHistoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncQueryHistoryTest {
  @TempDir Path dir;

  private static QueryHistoryEntry entry(String id, String user, Instant end) {
    return QueryHistoryEntry.builder()
        .statementId(id)
        .sessionId("s")
        .executedBy(user)
        .warehouseId("default")
        .statementText("SELECT 1")
        .statementType("SELECT")
        .executionStatus("FINISHED")
        .startTime(end.minusMillis(5))
        .endTime(end)
        .compilationDurationMs(1L)
        .executionDurationMs(4L)
        .totalDurationMs(5L)
        .producedRows(1L)
        .producedBytes(8L)
        .readFiles(0L)
        .prunedFiles(0L)
        .build();
  }

  @Test
  void readsSeeWhatWasJustRecordedAndCloseWritesTheRest() {
    Path file = dir.resolve("catalog.db");
    Instant now = Instant.now();
    try (CatalogDatabase database = CatalogDatabase.open(file)) {
      AsyncQueryHistory history =
          new AsyncQueryHistory(new QueryHistoryStore(database), QueryHistoryConfig.defaults());
      history.record(entry("a", "alice", now));
      history.record(entry("b", "bob", now.plusMillis(1)));
      assertEquals(
          List.of("a"),
          history.entries(Optional.of("alice"), 10).stream()
              .map(QueryHistoryEntry::statementId)
              .toList());
      for (int i = 0; i < 100; i++) {
        history.record(entry("c" + i, "carol", now.plusMillis(2 + i)));
      }
      history.close();
      history.record(entry("late", "carol", now.plusSeconds(1))); // logged, not thrown
      assertEquals(0, history.dropped());
    }
    try (CatalogDatabase database = CatalogDatabase.open(file)) {
      assertEquals(102, new QueryHistoryStore(database).count());
    }
  }

  @Test
  void retentionKeepsTheNewestAndAFailingStoreNeverThrows() {
    CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"));
    QueryHistoryStore store = new QueryHistoryStore(database);
    Instant now = Instant.now();
    store.insert(List.of(entry("old", "alice", now.minus(Duration.ofDays(2)))));
    for (int i = 0; i < 5; i++) {
      store.insert(List.of(entry("n" + i, "alice", now.plusMillis(i))));
    }
    // Retention is applied when the history starts.
    AsyncQueryHistory history =
        new AsyncQueryHistory(store, new QueryHistoryConfig(3, Duration.ofDays(1)));
    assertEquals(
        List.of("n4", "n3", "n2"),
        history.entries(Optional.empty(), 10).stream()
            .map(QueryHistoryEntry::statementId)
            .toList());
    database.close();
    history.record(entry("lost", "alice", now.plusSeconds(1)));
    history.close(); // the write fails: logged, never thrown
    assertTrue(history.dropped() == 0);
  }

  @Test
  void aProfileThatArrivesAfterItsStatementIsAddedToItsEntry() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("late.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      Instant now = Instant.now();
      String small = "{\"plan\":{},\"profile\":{}}";
      String large = "{\"plan\":{},\"profile\":{\"x\":\"" + "y".repeat(100) + "\"}}";
      AsyncQueryHistory history =
          new AsyncQueryHistory(store, new QueryHistoryConfig(100, Duration.ofDays(1), 64));
      assertTrue(history.keepsEngineProfiles());
      history.record(entry("first", "alice", now));
      history.recordEngineProfile("first", small); // queued after its entry: written after it
      history.record(entry("second", "alice", now.plusMillis(1)));
      history.recordEngineProfile("second", large); // too large
      history.recordEngineProfile("never-recorded", small);
      assertEquals(small, history.engineProfile("first").orElseThrow().profileJson());
      assertEquals(Optional.empty(), history.engineProfile("second"));
      assertEquals(Optional.empty(), history.engineProfile("never-recorded"));
      assertEquals(2, history.entries(Optional.empty(), 10).size());
      history.close();

      AsyncQueryHistory off =
          new AsyncQueryHistory(store, new QueryHistoryConfig(100, Duration.ofDays(1), 0));
      assertFalse(off.keepsEngineProfiles());
      off.record(entry("off", "alice", now.plusMillis(2)));
      off.recordEngineProfile("off", small);
      assertEquals(Optional.empty(), off.engineProfile("off"));
      off.close();
    }
  }

  @Test
  void keepsEngineProfilesUpToTheirMaximumSize() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("profiles.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      Instant now = Instant.now();
      String small = "{\"plan\":{},\"profile\":{}}";
      String large = "{\"plan\":{},\"profile\":{\"x\":\"" + "y".repeat(100) + "\"}}";
      AsyncQueryHistory history =
          new AsyncQueryHistory(store, new QueryHistoryConfig(100, Duration.ofDays(1), 64));
      history.record(entry("small", "alice", now).withEngineProfile(small));
      history.record(entry("large", "alice", now.plusMillis(1)).withEngineProfile(large));
      assertEquals(small, history.engineProfile("small").orElseThrow().profileJson());
      assertEquals(Optional.empty(), history.engineProfile("large"));
      assertEquals(2, history.entries(Optional.empty(), 10).size()); // the entry itself is kept
      history.close();

      AsyncQueryHistory off =
          new AsyncQueryHistory(store, new QueryHistoryConfig(100, Duration.ofDays(1), 0));
      off.record(entry("off", "alice", now.plusMillis(2)).withEngineProfile(small));
      assertEquals(Optional.empty(), off.engineProfile("off"));
      off.close();
    }
  }

  @Test
  void aStatementHoldsOnlyTheEngineProfilesItsHistoryKeeps() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("held.db"))) {
      QueryHistoryStore store = new QueryHistoryStore(database);
      String small = "{\"plan\":{},\"profile\":{}}";
      String large = "{\"plan\":{},\"profile\":{\"x\":\"" + "y".repeat(100) + "\"}}";
      AsyncQueryHistory history =
          new AsyncQueryHistory(store, new QueryHistoryConfig(100, Duration.ofDays(1), 64));
      assertTrue(history.keepsEngineProfile(small));
      assertFalse(history.keepsEngineProfile(large));

      StatementStatistics fits = new StatementStatistics();
      assertFalse(fits.keepsEngineProfile()); // asks for none until told
      fits.keepsEngineProfile(history::keepsEngineProfile);
      assertTrue(fits.keepsEngineProfile());
      fits.engineProfile(
          java.util.concurrent.CompletableFuture.completedFuture(Optional.of(small)));
      assertEquals(small, fits.engineProfile());

      StatementStatistics tooLarge = new StatementStatistics();
      tooLarge.keepsEngineProfile(history::keepsEngineProfile);
      java.util.concurrent.CompletableFuture<Optional<String>> arriving =
          new java.util.concurrent.CompletableFuture<>();
      tooLarge.engineProfile(arriving);
      assertEquals(null, tooLarge.engineProfile()); // not arrived yet
      arriving.complete(Optional.of(large));
      assertEquals(null, tooLarge.engineProfile()); // beyond the cap: not held
      assertEquals(Optional.empty(), tooLarge.engineProfileLater().join());
      history.close();
    }
  }
}
