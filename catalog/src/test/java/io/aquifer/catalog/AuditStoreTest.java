package io.aquifer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.catalog.AuditStore.AuditEvent;
import io.aquifer.catalog.AuditStore.LineageEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditStoreTest {
  @TempDir Path dir;

  @Test
  void eventsComeBackNewestFirstFilteredAndExpire() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      AuditStore store = new AuditStore(database);
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      Instant old = now.minus(Duration.ofDays(31));
      store.record(event(old, "alice", "old"));
      store.record(event(now, "bob", "new \"quoted\"\n"));
      store.record(event(now, "alice", "newest"));

      List<AuditEvent> all = store.events(Optional.empty(), 10);
      assertEquals(
          List.of("newest", "new \"quoted\"\n", "old"), all.stream().map(this::what).toList());
      assertEquals(
          "{\"what\":\"new \\\"quoted\\\"\\n\",\"none\":null}", all.get(1).requestParams());
      assertEquals(now, all.get(0).eventTime());
      assertEquals(2, store.events(Optional.of("alice"), 10).size());
      assertEquals(1, store.events(Optional.empty(), 1).size());

      store.recordLineage(
          List.of(
              new LineageEntry(old, "s1", "alice", "main.a.t", null),
              new LineageEntry(now, "s2", "bob", "main.a.t", "main.a.u"),
              new LineageEntry(now, "s3", "bob", null, "/Volumes/main/a/v/in", "main.a.u", null)));
      LineageEntry fromFiles = store.lineage(Optional.empty(), 1).get(0);
      assertEquals("/Volumes/main/a/v/in", fromFiles.sourcePath());
      assertEquals("main.a.u", fromFiles.targetTableFullName());
      assertEquals(null, fromFiles.sourceTableFullName());
      assertEquals(null, fromFiles.targetPath());
      assertEquals(
          List.of("s3", "s2", "s1"),
          store.lineage(Optional.empty(), 10).stream().map(LineageEntry::statementId).toList());
      assertEquals(
          List.of("s1"),
          store.lineage(Optional.of("alice"), 10).stream().map(LineageEntry::statementId).toList());

      assertEquals(2, store.deleteOlderThan(now.minus(Duration.ofDays(30))));
      assertEquals(
          List.of("newest", "new \"quoted\"\n"),
          store.events(Optional.empty(), 10).stream().map(this::what).toList());
      assertEquals(2, store.lineage(Optional.empty(), 10).size());
    }
  }

  @Test
  void tokenCreationAndRevocationAreAuditedWithTheChange() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      new PrincipalStore(database).createUser("carol", false);
      AccessTokenStore tokens = new AccessTokenStore(database);
      String id =
          tokens
              .createToken("carol", Optional.empty(), Optional.of(Duration.ofHours(1)))
              .info()
              .id();
      tokens.revokeToken(id, Optional.of("admin"));
      List<AuditEvent> events = new AuditStore(database).events(Optional.empty(), 10);
      assertEquals(
          List.of("revokeDbToken", "generateDbToken"),
          events.stream().map(AuditEvent::actionName).toList());
      assertEquals("admin", events.get(0).user());
      assertEquals(
          "{\"token_id\":\"" + id + "\",\"token_owner\":\"carol\"}", events.get(0).requestParams());
      assertEquals("carol", events.get(1).user());
      assertEquals(
          "{\"token_id\":\"" + id + "\",\"lifetime_seconds\":\"3600\"}",
          events.get(1).requestParams());
    }
  }

  private String what(AuditEvent e) {
    String json = e.requestParams();
    return json.substring(9, json.indexOf("\",\"none\""))
        .replace("\\\"", "\"")
        .replace("\\n", "\n");
  }

  private static AuditEvent event(Instant at, String user, String what) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("what", what);
    params.put("none", null);
    return new AuditEvent(at, "test", "act", user, AuditStore.json(params), 200, null, null);
  }
}
