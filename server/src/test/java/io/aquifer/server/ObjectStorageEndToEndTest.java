package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.cache.DiskCacheStats;
import io.aquifer.storage.objects.S3ProxyProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Managed tables in S3 ({@code --storage-root s3://...} on S3Proxy 4.1.0, loopback) through the
 * Arrow Flight SQL JDBC driver: the Delta log and the data files are objects in the bucket, the
 * node reads them through its disk cache, and with S3 down a write fails cleanly and leaves the
 * table as it was.
 */
class ObjectStorageEndToEndTest {
  private static final String BUCKET = "lake";

  @TempDir static Path s3Directory;
  private static S3ProxyProcess s3;
  private static int s3Port;
  private static S3Client client;

  @TempDir Path dataDirectory;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyProcess.start(s3Directory);
    s3Port = s3.port();
    // The SDK's standard chain, as in production: credentials and endpoint from system
    // properties (AWS_ENDPOINT_URL in the environment works the same); path-style follows.
    System.setProperty("aws.accessKeyId", "local");
    System.setProperty("aws.secretAccessKey", "local");
    System.setProperty("aws.endpointUrl", s3.endpoint());
    System.setProperty("aws.region", "us-east-1");
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

  @AfterEach
  void restartS3IfStopped() throws Exception {
    if (s3 == null) {
      s3 = S3ProxyProcess.start(s3Directory, s3Port);
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (client != null) {
      client.close();
    }
    if (s3 != null) {
      s3.close();
    }
    for (String p :
        List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrl", "aws.region")) {
      System.clearProperty(p);
    }
  }

  private Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put(ServerConfig.STORAGE_ROOT, "s3://" + BUCKET + "/" + dataDirectory.getFileName());
    return settings;
  }

  private List<String> objects(String suffix) {
    List<String> keys = new ArrayList<>();
    client
        .listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(dataDirectory.getFileName() + "/"))
        .contents()
        .forEach(
            (S3Object o) -> {
              if (o.key().endsWith(suffix)) {
                keys.add(o.key());
              }
            });
    return keys;
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? ":" : "").append(rs.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  @Test
  void tablesAreCreatedWrittenAndReadInS3() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, settings());
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA os");
      s.execute("CREATE TABLE os.t (id BIGINT, name STRING)");
      s.execute("INSERT INTO os.t VALUES (1, 'a'), (2, 'b')");
      s.execute("INSERT INTO os.t VALUES (3, 'c')");
      assertEquals(List.of("1:a", "2:b", "3:c"), rows(s, "SELECT id, name FROM os.t ORDER BY id"));
      s.execute("CREATE TABLE os.u AS SELECT id * 10 AS x FROM os.t WHERE id > 1");
      assertEquals(List.of("20", "30"), rows(s, "SELECT x FROM os.u ORDER BY x"));
      s.execute("DELETE FROM os.t WHERE id = 2");
      assertEquals(List.of("1:a", "3:c"), rows(s, "SELECT id, name FROM os.t ORDER BY id"));
    }
    // The tables are in the bucket: commits and data files; nothing below the local warehouse.
    assertTrue(objects(".json").size() >= 5, "commits: " + objects(".json"));
    assertTrue(objects(".parquet").size() >= 3, "data files: " + objects(".parquet"));
    assertTrue(
        objects("").stream()
            .allMatch(k -> k.startsWith(dataDirectory.getFileName() + "/warehouse/")),
        objects("").toString());
    assertFalse(hasParquetFiles(dataDirectory.resolve("warehouse")));
    // The node read them through its disk cache.
    DiskCacheStats stats =
        LocalWarehouseNode.diskCache(dataDirectory.resolve("disk-cache"), 1).stats();
    assertTrue(stats.misses() > 0, stats.toString());
    assertTrue(stats.downloadedBytes() > 0, stats.toString());
  }

  @Test
  void withS3StoppedAWriteFailsCleanlyAndLeavesTheTableAsItWas() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, settings());
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA down");
      s.execute("CREATE TABLE down.t (id BIGINT)");
      s.execute("INSERT INTO down.t VALUES (1), (2)");
      int commitsBefore = objects(".json").size();
      s3.close();
      s3 = null;
      SQLException e =
          assertThrows(SQLException.class, () -> s.execute("INSERT INTO down.t VALUES (3), (4)"));
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
      s3 = S3ProxyProcess.start(s3Directory, s3Port);
      assertEquals(List.of("1", "2"), rows(s, "SELECT id FROM down.t ORDER BY id"));
      assertEquals(commitsBefore, objects(".json").size(), "no commit was written");
      s.execute("INSERT INTO down.t VALUES (5)");
      assertEquals(List.of("1", "2", "5"), rows(s, "SELECT id FROM down.t ORDER BY id"));
    }
  }

  private static boolean hasParquetFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(p -> p.toString().endsWith(".parquet"));
    }
  }
}
