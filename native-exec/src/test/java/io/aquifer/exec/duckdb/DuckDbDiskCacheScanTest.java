package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aquifer.exec.ArrowRows;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.TestParquet;
import io.aquifer.storage.cache.DiskCacheStats;
import io.aquifer.storage.cache.NodeDiskCache;
import io.aquifer.storage.cache.RemoteFileSource;
import io.aquifer.storage.objects.S3ProxyProcess;
import io.aquifer.storage.types.PrimitiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A node reads Parquet files of S3 (S3Proxy on loopback) through its disk cache: DuckDB reads the
 * local copies, a second query downloads nothing, and a node started again on the same cache
 * directory does not download either.
 */
class DuckDbDiskCacheScanTest {
  @TempDir static Path root;
  private static S3ProxyProcess s3;
  private static S3Client client;
  private static String fileUri;

  @BeforeAll
  static void start() throws Exception {
    S3ProxyProcess.useTestCredentials();
    s3 = S3ProxyProcess.start(Files.createDirectories(root.resolve("s3")));
    client = s3.client();
    client.createBucket(b -> b.bucket("lake"));
    Path local = root.resolve("staging/part-0.parquet");
    Files.createDirectories(local.getParent());
    TestParquet.write(local, "SELECT range AS id FROM range(10)");
    client.putObject(b -> b.bucket("lake").key("t/part-0.parquet"), RequestBody.fromFile(local));
    fileUri = "s3://lake/t/part-0.parquet";
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static DuckDbEngine engine(Optional<NodeDiskCache> cache) {
    DuckDbEngineConfig config =
        DuckDbEngineConfig.defaults(List.of(root.resolve("data")), root.resolve("tmp"))
            .withMemoryLimits(1L << 30, 256L << 20)
            .withThreads(1);
    return new DuckDbEngine(config, cache);
  }

  private static NodeDiskCache cache() {
    return new NodeDiskCache(root.resolve("cache"), 1L << 30, RemoteFileSource.s3(() -> client));
  }

  private static List<List<Object>> sumOfIds(DuckDbEngine engine) throws Exception {
    ScanSpec scan =
        new ScanSpec(
            "t",
            List.of(new ScanColumn("id", "id", PrimitiveType.BIGINT, false)),
            List.of(new ScanFile(fileUri, Map.of(), new long[0])));
    try (RootAllocator allocator = new RootAllocator();
        ArrowReader reader =
            engine.execute(
                DuckDbEngineFixture.fragment("SELECT count(*), sum(id) FROM t", scan), allocator)) {
      return ArrowRows.readAll(reader);
    }
  }

  @Test
  void readsObjectStoreFilesThroughTheDiskCacheAndKeepsThemAcrossRestarts() throws Exception {
    NodeDiskCache cache = cache();
    try (DuckDbEngine engine = engine(Optional.of(cache))) {
      assertEquals(List.of(List.of(10L, 45L)), normalize(sumOfIds(engine)));
      assertEquals(List.of(List.of(10L, 45L)), normalize(sumOfIds(engine)));
    }
    DiskCacheStats first = cache.stats();
    assertEquals(1, first.misses());
    assertEquals(1, first.hits());
    long size = first.downloadedBytes();
    assertEquals(size, first.hitBytes());

    NodeDiskCache restarted = cache();
    try (DuckDbEngine engine = engine(Optional.of(restarted))) {
      assertEquals(List.of(List.of(10L, 45L)), normalize(sumOfIds(engine)));
    }
    assertEquals(0, restarted.stats().misses());
    assertEquals(0, restarted.stats().downloadedBytes());
    assertEquals(1, restarted.stats().hits());
  }

  @Test
  void aNodeWithoutADiskCacheRefusesObjectStoreFiles() {
    try (DuckDbEngine engine = engine(Optional.empty())) {
      ExecException e = assertThrows(ExecException.class, () -> sumOfIds(engine));
      assertEquals(ExecErrorCode.NOT_SUPPORTED, e.code());
    }
  }

  private static List<List<Object>> normalize(List<List<Object>> rows) {
    return rows.stream()
        .map(r -> r.stream().map(v -> (Object) ((Number) v).longValue()).toList())
        .toList();
  }
}
