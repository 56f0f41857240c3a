package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ArrowRows;
import io.aquifer.exec.ReadsThroughDiskCache;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.TestParquet;
import io.aquifer.storage.cache.DiskCacheReads;
import io.aquifer.storage.types.PrimitiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node data cache of a real DuckDB engine over real Parquet files: it answers which files it
 * holds, honours the gateway's per-file decision (Parquet when told so, the cached table when told
 * so, Parquet with a counted fallback when a file decided for the cache is gone), reports what a
 * query read from it, and evicts by recency and re-read cost.
 */
class DuckDbTableCacheTest {
  @TempDir Path root;

  private DuckDbEngine engine(long cacheBytes) {
    DuckDbEngineConfig config =
        DuckDbEngineConfig.defaults(List.of(root.resolve("data")), root.resolve("tmp"))
            .withMemoryLimits(1L << 30, 256L << 20)
            .withThreads(1);
    return new DuckDbEngine(
        config,
        Optional.empty(),
        Optional.of(new NodeDataCacheConfig(root.resolve("node-data-cache"), cacheBytes)));
  }

  private String file(String name, String select) throws Exception {
    Path p = root.resolve("data").resolve(name + ".parquet");
    Files.createDirectories(p.getParent());
    TestParquet.write(p, select);
    return p.toUri().toString();
  }

  private static ScanSpec scan(String... paths) {
    return new ScanSpec(
        "t",
        List.of(new ScanColumn("id", "id", PrimitiveType.BIGINT, false)),
        java.util.Arrays.stream(paths).map(p -> new ScanFile(p, Map.of(), new long[0])).toList());
  }

  /** count(*) and sum(id) of the scan, and what the query reported it read from a cache. */
  private static Object[] run(DuckDbEngine engine, ScanSpec scan) throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        ArrowReader reader =
            engine.execute(
                DuckDbEngineFixture.fragment("SELECT count(*), sum(id) FROM t", scan), allocator)) {
      DiskCacheReads reads = ((ReadsThroughDiskCache) reader).diskCacheReads();
      List<Object> row = ArrowRows.readAll(reader).get(0);
      return new Object[] {
        List.of(((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue()), reads
      };
    }
  }

  private static void idle(DuckDbEngine engine) throws InterruptedException {
    assertTrue(engine.awaitDataCacheIdle(Duration.ofSeconds(60)), "cache fills did not finish");
  }

  @Test
  void honoursThePlanningDecisionAndCountsFallbacks() throws Exception {
    String a = file("a", "SELECT range AS id FROM range(10)");
    String b = file("b", "SELECT range + 10 AS id FROM range(10)");
    String c = file("c", "SELECT range + 20 AS id FROM range(5)");
    long sizeA = Files.size(Path.of(java.net.URI.create(a)));
    long sizeB = Files.size(Path.of(java.net.URI.create(b)));
    try (DuckDbEngine engine = engine(64L << 20)) {
      assertEquals(Optional.of(Set.of()), engine.dataCacheHolding(List.of(a, b, c)));
      // No decision (an older gateway): read from Parquet, copied in after.
      Object[] cold = run(engine, scan(a, b));
      assertEquals(List.of(20L, 190L), cold[0]);
      assertEquals(DiskCacheReads.NONE, cold[1]);
      idle(engine);
      assertEquals(Optional.of(Set.of(a, b)), engine.dataCacheHolding(List.of(a, b, c)));

      // Decided for Parquet: nothing read from the cache, though it holds both.
      Object[] parquet = run(engine, scan(a, b).withDataCacheFiles(Set.of()));
      assertEquals(List.of(20L, 190L), parquet[0]);
      assertEquals(DiskCacheReads.NONE, parquet[1]);
      assertEquals(0, engine.dataCacheStats().orElseThrow().readBytes());

      // Decided for the cache for one file: that one from its table, reported as read_cache_bytes.
      Object[] one = run(engine, scan(a, b).withDataCacheFiles(Set.of(a)));
      assertEquals(List.of(20L, 190L), one[0]);
      assertEquals(new DiskCacheReads(1, 0, sizeA, 0), one[1]);
      Object[] both = run(engine, scan(a, b).withDataCacheFiles(Set.of(a, b)));
      assertEquals(new DiskCacheReads(2, 0, sizeA + sizeB, 0), both[1]);
      assertEquals(0, engine.dataCacheStats().orElseThrow().fallbackFiles());

      // Decided for the cache, but not held (evicted since the decision): Parquet, counted.
      Object[] gone = run(engine, scan(a, c).withDataCacheFiles(Set.of(a, c)));
      assertEquals(List.of(15L, 55L + 100L), gone[0]);
      assertEquals(new DiskCacheReads(1, 0, sizeA, 0), gone[1]);
      assertEquals(1, engine.dataCacheStats().orElseThrow().fallbackFiles());
      idle(engine);
    }
  }

  @Test
  void reReadCostGrowsWithRowsPerByte() {
    assertEquals(1.0, DuckDbTableCache.reReadCostPerByte(1000, 0));
    assertEquals(1.8, DuckDbTableCache.reReadCostPerByte(1000, 100), 1e-9);
    assertTrue(
        DuckDbTableCache.reReadCostPerByte(1000, 500)
            > DuckDbTableCache.reReadCostPerByte(100_000, 500));
  }

  @Test
  void evictsByCostAsWellAsRecency() throws Exception {
    // Many small rows per byte (expensive to decode again) against few wide, incompressible rows.
    String expensive = file("expensive", "SELECT range AS id FROM range(60000)");
    String cheap1 =
        file(
            "cheap1",
            "SELECT range AS id, repeat(md5(range::VARCHAR || 'x'), 40) AS pad FROM range(300)");
    String cheap2 =
        file(
            "cheap2",
            "SELECT range AS id, repeat(md5(range::VARCHAR || 'y'), 40) AS pad FROM range(300)");
    long e = Files.size(Path.of(java.net.URI.create(expensive)));
    long c1 = Files.size(Path.of(java.net.URI.create(cheap1)));
    long c2 = Files.size(Path.of(java.net.URI.create(cheap2)));
    assertTrue(
        DuckDbTableCache.reReadCostPerByte(e, 60000) > DuckDbTableCache.reReadCostPerByte(c1, 300),
        "test files: " + e + " " + c1);
    try (DuckDbEngine engine = engine(e + c1 + c2 - 1)) {
      // The expensive file is used first, so it is the least recently used when room runs out.
      for (String f : List.of(expensive, cheap1, cheap2)) {
        run(engine, scan(f));
        idle(engine);
      }
      NodeDataCacheStats stats = engine.dataCacheStats().orElseThrow();
      assertEquals(1, stats.evictedFiles(), stats.toString());
      // Least recently used alone would have dropped the expensive file; cost keeps it.
      assertEquals(
          Optional.of(Set.of(expensive, cheap2)),
          engine.dataCacheHolding(List.of(expensive, cheap1, cheap2)));
    }
  }
}
