package io.aquifer.storage.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageException;
import io.aquifer.storage.objects.S3ProxyProcess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The node disk cache in front of S3 (S3Proxy 4.1.0 on loopback). */
class NodeDiskCacheTest {
  private static final String BUCKET = "cached";

  @TempDir static Path s3Directory;
  private static S3ProxyProcess s3;
  private static S3Client client;

  @TempDir Path cacheDirectory;

  @BeforeAll
  static void startS3() throws Exception {
    S3ProxyProcess.useTestCredentials();
    s3 = S3ProxyProcess.start(s3Directory);
    client = s3.client();
    client.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (client != null) {
      client.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static URI put(String key, String content) {
    client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
    return URI.create("s3://" + BUCKET + "/" + key);
  }

  private NodeDiskCache open(long maxBytes) {
    return new NodeDiskCache(cacheDirectory, maxBytes, RemoteFileSource.s3(() -> client));
  }

  private static String read(NodeDiskCache cache, URI file) throws Exception {
    try (NodeDiskCache.Lease lease = cache.lease()) {
      Path local = lease.localPath(file);
      assertTrue(local.startsWith(cache.directory()), local.toString());
      return Files.readString(local, StandardCharsets.UTF_8);
    }
  }

  @Test
  void aWarmRestartReadsFromDiskWithoutDownloading() throws Exception {
    URI file = put("t1/part-0.parquet", "first file");
    NodeDiskCache cache = open(1 << 20);
    assertEquals("first file", read(cache, file));
    assertEquals("first file", read(cache, file));
    DiskCacheStats stats = cache.stats();
    assertEquals(1, stats.misses());
    assertEquals(1, stats.hits());
    assertEquals(10, stats.downloadedBytes());
    assertEquals(10, stats.hitBytes());

    // The object is gone from S3: a restarted cache can only answer from its disk.
    client.deleteObject(b -> b.bucket(BUCKET).key("t1/part-0.parquet"));
    NodeDiskCache restarted = open(1 << 20);
    assertEquals(1, restarted.stats().entries());
    assertEquals("first file", read(restarted, file));
    assertEquals(0, restarted.stats().misses());
    assertEquals(0, restarted.stats().downloadedBytes());
    assertEquals(1, restarted.stats().hits());
  }

  @Test
  void evictsTheLeastRecentlyUsedFileUnderASmallLimit() throws Exception {
    String hundred = "x".repeat(100);
    URI a = put("t2/a.parquet", hundred);
    URI b = put("t2/b.parquet", hundred);
    URI c = put("t2/c.parquet", hundred);
    NodeDiskCache cache = open(250);
    read(cache, a);
    read(cache, b);
    read(cache, a); // a is now more recent than b
    read(cache, c); // 300 bytes > 250: b goes
    DiskCacheStats stats = cache.stats();
    assertEquals(1, stats.evictions());
    assertEquals(2, stats.entries());
    assertEquals(200, stats.bytes());
    assertEquals(4, dataFiles()); // two files, each with its meta
    read(cache, a);
    read(cache, c);
    assertEquals(3, cache.stats().misses()); // a, b, c once each; b not again yet
    read(cache, b);
    assertEquals(4, cache.stats().misses());
    assertEquals(2, cache.stats().evictions());
  }

  @Test
  void aDamagedCopyIsFetchedAgain() throws Exception {
    URI file = put("t3/part.parquet", "the right content");
    read(open(1 << 20), file);
    try (Stream<Path> files = Files.list(cacheDirectory)) {
      Path data = files.filter(p -> p.toString().endsWith(".data")).findFirst().orElseThrow();
      Files.writeString(data, "the wrong content"); // same size, other bytes
    }
    NodeDiskCache restarted = open(1 << 20);
    assertEquals("the right content", read(restarted, file));
    assertEquals(1, restarted.stats().misses());
  }

  @Test
  void aFileMissingFromTheStoreFailsAndLeavesNothing() throws Exception {
    NodeDiskCache cache = open(1 << 20);
    assertThrows(
        StorageException.class, () -> read(cache, URI.create("s3://" + BUCKET + "/t4/missing")));
    assertEquals(0, cache.stats().entries());
    assertEquals(0, dataFiles());
  }

  private long dataFiles() throws Exception {
    try (Stream<Path> files = Files.list(cacheDirectory)) {
      return files.count();
    }
  }
}
