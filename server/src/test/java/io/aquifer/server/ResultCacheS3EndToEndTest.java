package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.results.cache.ResultCache;
import io.aquifer.storage.objects.S3ProxyProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The result cache with its durable tier in S3 (S3Proxy on loopback), through the Arrow Flight SQL
 * JDBC driver: entries are written there and survive a restart; a damaged or half-written entry is
 * ignored and written anew; with S3 down, queries still answer.
 */
class ResultCacheS3EndToEndTest {
  private static final String BUCKET = "aquifer-cache";
  private static final String PREFIX = "entries";
  private static final String QUERY = "SELECT id, name FROM rc.t ORDER BY id";
  private static final List<String> ROWS = List.of("1:a", "2:b");

  @TempDir static Path s3Directory;
  private static S3ProxyProcess s3;
  private static S3Client client;

  @TempDir Path dataDirectory;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyProcess.start(s3Directory);
    // Credentials from the SDK's standard chain (here its system properties), as in production.
    System.setProperty("aws.accessKeyId", "local");
    System.setProperty("aws.secretAccessKey", "local");
    client =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(URI.create(s3.endpoint()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();
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
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private Map<String, String> settings(String endpoint) {
    Map<String, String> settings = new HashMap<>();
    settings.put(ServerConfig.RESULT_CACHE, "true");
    settings.put(ServerConfig.RESULT_CACHE_S3_BUCKET, BUCKET);
    settings.put(ServerConfig.RESULT_CACHE_S3_PREFIX, PREFIX + "/" + dataDirectory.getFileName());
    settings.put(ServerConfig.RESULT_CACHE_S3_ENDPOINT, endpoint);
    settings.put(ServerConfig.RESULT_CACHE_S3_REGION, "us-east-1");
    settings.put(ServerConfig.RESULT_CACHE_S3_PATH_STYLE, "true");
    return settings;
  }

  private String prefix() {
    return PREFIX + "/" + dataDirectory.getFileName() + "/";
  }

  private List<String> objects(String suffix) {
    return client.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix())).contents().stream()
        .map(S3Object::key)
        .filter(k -> k.endsWith(suffix))
        .toList();
  }

  private void createTable() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, settings(s3.endpoint()));
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA rc");
      s.execute("CREATE TABLE rc.t (id BIGINT, name STRING)");
      s.execute("INSERT INTO rc.t VALUES (1, 'a'), (2, 'b')");
    }
  }

  /** Runs the query on a new server; returns hits and misses of that server. */
  private long[] runOnFreshServer(String endpoint) throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, settings(endpoint))) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        assertEquals(ROWS, ResultCacheEndToEndTest.rows(s, QUERY));
      }
      ResultCache cache = ResultCacheEndToEndTest.cache(server);
      cache.drainWrites();
      return new long[] {
        cache.metrics().hits(), cache.metrics().misses(), cache.metrics().storeErrors()
      };
    }
  }

  @Test
  void entriesLiveInS3AndSurviveARestart() throws Exception {
    createTable();
    long[] first = runOnFreshServer(s3.endpoint());
    assertEquals(0, first[0]);
    assertEquals(1, objects(".manifest").size(), "one entry written: " + objects(""));
    assertEquals(1, objects(".arrows").size());
    long[] second = runOnFreshServer(s3.endpoint());
    assertEquals(1, second[0], "answered from S3 after a restart");
    assertEquals(0, second[1]);
  }

  @Test
  void damagedAndHalfWrittenEntriesAreIgnoredAndWrittenAnew() throws Exception {
    createTable();
    runOnFreshServer(s3.endpoint());
    String data = objects(".arrows").get(0);
    // Damaged: the data object no longer matches its manifest.
    client.putObject(
        b -> b.bucket(BUCKET).key(data), RequestBody.fromString("not an Arrow stream at all"));
    long[] damaged = runOnFreshServer(s3.endpoint());
    assertEquals(0, damaged[0], "a damaged entry is not answered");
    assertEquals(1, damaged[1]);
    long[] rewritten = runOnFreshServer(s3.endpoint());
    assertEquals(1, rewritten[0], "the entry was written anew");

    // Half-written: a data object whose manifest never arrived is no entry.
    for (String manifest : objects(".manifest")) {
      client.deleteObject(b -> b.bucket(BUCKET).key(manifest));
    }
    long[] halfWritten = runOnFreshServer(s3.endpoint());
    assertEquals(0, halfWritten[0]);
    assertEquals(1, halfWritten[1]);
    assertEquals(1, runOnFreshServer(s3.endpoint())[0], "and it is written anew too");
  }

  @Test
  void withS3DownQueriesStillAnswer() throws Exception {
    createTable();
    // Nothing listens there: every request to the store fails.
    String down = "http://127.0.0.1:" + freePort();
    try (RunningServer server = RunningServer.start(dataDirectory, settings(down))) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        assertEquals(ROWS, ResultCacheEndToEndTest.rows(s, QUERY));
        assertEquals(ROWS, ResultCacheEndToEndTest.rows(s, QUERY));
      }
      ResultCache cache = ResultCacheEndToEndTest.cache(server);
      await("the store failure is counted", () -> cache.metrics().storeErrors() > 0);
      assertEquals(1, cache.metrics().hits(), "the memory tier still answers");
    }
    assertTrue(Files.exists(dataDirectory));
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
