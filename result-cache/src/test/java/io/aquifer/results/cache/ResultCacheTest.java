package io.aquifer.results.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache over a local directory: entries outlive the process, damaged ones are ignored
 * and deleted, entries expire, results over the limit are not kept, and a clear by another process
 * reaches a running cache.
 */
class ResultCacheTest {
  private static final String KEY = "a".repeat(64);

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private ResultCacheConfig config() {
    return ResultCacheConfig.defaults(dir);
  }

  private ResultCache open() {
    return new ResultCache(config(), config().openStore(), clock);
  }

  private CachedResult entry(String bytes) {
    return new CachedResult(
        KEY, "alice", "statement-1", clock.instant(), 3, bytes.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void entriesOutliveTheProcess() {
    try (ResultCache cache = open()) {
      assertTrue(cache.lookup(KEY).isEmpty());
      cache.store(entry("arrow bytes"));
    }
    try (ResultCache cache = open()) {
      CachedResult found = cache.lookup(KEY).orElseThrow();
      assertArrayEquals("arrow bytes".getBytes(StandardCharsets.UTF_8), found.arrowIpc());
      assertEquals("statement-1", found.originStatementId());
      assertEquals(3, found.rowCount());
      assertEquals(1, cache.metrics().hits());
      assertEquals(1, cache.durableEntries());
    }
  }

  @Test
  void damagedEntriesAreIgnoredAndDeleted() throws Exception {
    try (ResultCache cache = open()) {
      cache.store(entry("arrow bytes"));
    }
    Path data = files(".arrows").get(0);
    Files.writeString(data, "arrow bytez"); // same length, other content
    try (ResultCache cache = open()) {
      assertTrue(cache.lookup(KEY).isEmpty(), "the checksum does not match");
      assertEquals(List.of(), files(".manifest"), "the damaged entry is gone");
      cache.store(entry("arrow bytes"));
    }
    Files.writeString(files(".manifest").get(0), "not a manifest");
    try (ResultCache cache = open()) {
      assertTrue(cache.lookup(KEY).isEmpty());
      assertEquals(List.of(), files(".manifest"));
    }
  }

  @Test
  void entriesExpire() {
    try (ResultCache cache = open()) {
      cache.store(entry("arrow bytes"));
      clock.advance(Duration.ofHours(23));
      assertTrue(cache.lookup(KEY).isPresent());
      clock.advance(Duration.ofHours(2));
      assertTrue(cache.lookup(KEY).isEmpty(), "24 hours passed");
    }
    try (ResultCache cache = open()) {
      assertTrue(cache.lookup(KEY).isEmpty(), "not from the directory either");
    }
  }

  @Test
  void resultsOverTheLimitAreNotKept() {
    ResultCacheConfig small = config().withMaxResultBytes(4);
    try (ResultCache cache = new ResultCache(small, small.openStore(), clock)) {
      cache.store(entry("arrow bytes"));
      assertTrue(cache.lookup(KEY).isEmpty());
      assertEquals(0, cache.metrics().stores());
    }
  }

  @Test
  void aClearByAnotherProcessReachesARunningCache() {
    try (ResultCache running = open()) {
      running.store(entry("arrow bytes"));
      running.drainWrites();
      clock.advance(Duration.ofSeconds(1));
      try (ResultCache cli = open()) {
        assertEquals(1, cli.clear());
      }
      assertTrue(running.lookup(KEY).isPresent(), "still in memory until it checks");
      assertTrue(running.checkCleared());
      assertTrue(running.lookup(KEY).isEmpty());
      assertFalse(running.checkCleared(), "once");
    }
  }

  private List<Path> files(String suffix) throws Exception {
    try (Stream<Path> files = Files.list(config().directory())) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  /** A clock tests move by hand. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
