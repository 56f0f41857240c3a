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

  @Test
  void managedVolumesAndTheResultCacheLiveInS3() throws Exception {
    Map<String, String> settings = settings();
    settings.put(ServerConfig.RESULT_CACHE, "true");
    String root = dataDirectory.getFileName().toString();
    try (RunningServer server = RunningServer.start(dataDirectory, settings);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA vol");
      s.execute("CREATE VOLUME vol.raw");
      List<String> described = rows(s, "DESCRIBE VOLUME vol.raw");
      assertTrue(
          described.get(0).contains("s3://" + BUCKET + "/" + root + "/volumes/main/vol/raw-"),
          described.toString());

      // Files API PUT and GET go through the S3 file store.
      String csv = "id,name\n1,a\n2,b\n3,c\n";
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String files = server.server().databricksRest().baseUrl() + "/api/2.0/fs/files";
      java.net.http.HttpResponse<String> put =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create(files + "/Volumes/main/vol/raw/in/people.csv"))
                  .header("Authorization", "Bearer " + server.token())
                  .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(csv))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(204, put.statusCode(), put.body());
      List<String> volumeObjects = objects("people.csv");
      assertEquals(1, volumeObjects.size(), volumeObjects.toString());
      assertTrue(
          volumeObjects.get(0).startsWith(root + "/volumes/main/vol/raw-"), volumeObjects.get(0));
      assertFalse(Files.exists(dataDirectory.resolve("volumes/main/vol")));
      java.net.http.HttpResponse<String> get =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create(files + "/Volumes/main/vol/raw/in/people.csv"))
                  .header("Authorization", "Bearer " + server.token())
                  .GET()
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, get.statusCode(), get.body());
      assertEquals(csv, get.body());

      // COPY INTO reads the volume's file from S3 through the node's disk cache.
      s.execute("CREATE TABLE vol.people (id BIGINT, name STRING)");
      s.execute(
          "COPY INTO vol.people FROM '/Volumes/main/vol/raw/in' FILEFORMAT = CSV"
              + " FORMAT_OPTIONS ('header' = 'true')");
      assertEquals(
          List.of("1:a", "2:b", "3:c"), rows(s, "SELECT id, name FROM vol.people ORDER BY id"));

      // A cacheable result's durable copy is an object below <storage root>/result-cache.
      assertEquals(List.of("6"), rows(s, "SELECT sum(id) FROM vol.people"));
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (client
          .listObjectsV2(b -> b.bucket(BUCKET).prefix(root + "/result-cache/"))
          .contents()
          .isEmpty()) {
        assertFalse(System.nanoTime() > deadline, "no result cache object in S3");
        Thread.sleep(20);
      }
      assertFalse(
          Files.exists(dataDirectory.resolve("result-cache"))
              && hasFiles(dataDirectory.resolve("result-cache")));

      // Dropping the managed volume deletes its objects.
      s.execute("DROP VOLUME vol.raw");
      assertEquals(List.of(), objects("people.csv"));
    }
  }

  private static boolean hasFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(Files::isRegularFile);
    }
  }

  @Test
  void aLaterStartWithAnotherStorageRootIsRefusedNamingBoth() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, settings())) {
      // first start: the root is recorded in the catalog
    }
    String recorded = "s3://" + BUCKET + "/" + dataDirectory.getFileName();
    Map<String, String> other = new HashMap<>();
    other.put(ServerConfig.STORAGE_ROOT, "s3://" + BUCKET + "/elsewhere");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RunningServer.start(dataDirectory, other));
    assertTrue(e.getMessage().contains(recorded), e.getMessage());
    assertTrue(e.getMessage().contains("s3://" + BUCKET + "/elsewhere"), e.getMessage());
    IllegalArgumentException local =
        assertThrows(
            IllegalArgumentException.class,
            () -> RunningServer.start(dataDirectory, new HashMap<>()));
    assertTrue(local.getMessage().contains(recorded), local.getMessage());
    assertTrue(local.getMessage().contains("no storage-root"), local.getMessage());
    // The same root, spelled with a trailing slash, starts.
    Map<String, String> same = new HashMap<>();
    same.put(ServerConfig.STORAGE_ROOT, recorded + "/");
    try (RunningServer server = RunningServer.start(dataDirectory, same);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      assertEquals(List.of("1"), rows(s, "SELECT 1"));
    }
  }

  @Test
  void diskCacheReadsAreInQueryHistoryAndMetrics() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory, settings());
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA dc");
      s.execute("CREATE TABLE dc.t (id BIGINT, name STRING)");
      s.execute("INSERT INTO dc.t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      String before = scrape(server);
      double hitsBefore = MetricsEndpointTest.value(before, "aquifer_disk_cache_hits_total");
      double missesBefore = MetricsEndpointTest.value(before, "aquifer_disk_cache_misses_total");

      // The first read fetches the table's file from S3; the second (another text, so not the
      // result cache) finds it in the disk cache.
      String cold = "SELECT id, name FROM dc.t ORDER BY id";
      String warm = "SELECT count(*) FROM dc.t WHERE name <> 'z'";
      assertEquals(List.of("1:a", "2:b", "3:c"), rows(s, cold));
      assertEquals(List.of("3"), rows(s, warm));

      long[] coldReads = awaitReads(s, cold);
      long[] warmReads = awaitReads(s, warm);
      assertEquals(0, coldReads[0], "read_cache_bytes of the cold read");
      assertTrue(coldReads[1] > 0, "read_remote_bytes of the cold read: " + coldReads[1]);
      assertEquals(coldReads[1], warmReads[0], "the warm read found the same bytes in the cache");
      assertEquals(0, warmReads[1], "read_remote_bytes of the warm read");
      assertEquals(
          List.of("100"),
          rows(
              s,
              "SELECT read_io_cache_percent FROM system.query.history"
                  + " WHERE statement_text = '"
                  + warm.replace("'", "''")
                  + "'"));

      String after = scrape(server);
      assertEquals(
          missesBefore + 1,
          MetricsEndpointTest.value(after, "aquifer_disk_cache_misses_total"),
          after);
      assertEquals(
          hitsBefore + 1, MetricsEndpointTest.value(after, "aquifer_disk_cache_hits_total"), after);
      assertTrue(
          MetricsEndpointTest.value(
                  after, "aquifer_disk_cache_read_bytes_total", "source=\"cache\"")
              >= coldReads[1],
          after);
      assertTrue(
          MetricsEndpointTest.value(
                  after, "aquifer_disk_cache_read_bytes_total", "source=\"storage\"")
              >= coldReads[1],
          after);
      assertTrue(MetricsEndpointTest.value(after, "aquifer_disk_cache_files") >= 1, after);
      assertEquals(0.0, MetricsEndpointTest.value(after, "aquifer_disk_cache_evictions_total"));

      // A write's reads are the statement's too: INSERT ... SELECT finds the file in the cache.
      String copy = "INSERT INTO dc.t SELECT id + 10, name FROM dc.t";
      s.execute(copy);
      long[] writeReads = awaitReads(s, copy);
      assertEquals(coldReads[1], writeReads[0], "read_cache_bytes of the INSERT ... SELECT");
      assertEquals(0, writeReads[1], "read_remote_bytes of the INSERT ... SELECT");
    }
  }

  /** read_cache_bytes and read_remote_bytes of the statement {@code sql}, once history has it. */
  private static long[] awaitReads(Statement s, String sql) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT read_cache_bytes, read_remote_bytes FROM system.query.history"
                  + " WHERE statement_text = '"
                  + sql.replace("'", "''")
                  + "'")) {
        if (rs.next()) {
          long cache = rs.getLong(1);
          assertFalse(rs.wasNull(), "read_cache_bytes of " + sql);
          long remote = rs.getLong(2);
          assertFalse(rs.wasNull(), "read_remote_bytes of " + sql);
          return new long[] {cache, remote};
        }
      }
      assertFalse(System.nanoTime() > deadline, "the history never showed " + sql);
      Thread.sleep(20);
    }
  }

  private static String scrape(RunningServer server) throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create(server.server().databricksRest().baseUrl() + "/metrics"))
                    .header("Authorization", "Bearer " + server.token())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private static boolean hasParquetFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(p -> p.toString().endsWith(".parquet"));
    }
  }

  /**
   * Warehouse nodes as processes on an S3 storage root: the node reads the tables through a disk
   * cache of its own and writes new files to the bucket, with the S3 settings the gateway was given
   * as system properties.
   */
  @Test
  void nodeProcessesReadAndWriteTablesInS3() throws Exception {
    Map<String, String> settings = settings();
    settings.put(WarehouseConfig.NODES, "process");
    settings.put(ServerConfig.NODE_THREADS, "1");
    try (RunningServer server = RunningServer.start(dataDirectory, settings);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA pn");
      s.execute("CREATE TABLE pn.t (id BIGINT, name STRING)");
      s.execute("INSERT INTO pn.t VALUES (1, 'a'), (2, 'b')");
      s.execute("INSERT INTO pn.t SELECT id + 10, name || '!' FROM pn.t");
      assertEquals(
          List.of("1:a", "2:b", "11:a!", "12:b!"),
          rows(s, "SELECT id, name FROM pn.t ORDER BY id"));
      assertEquals(List.of("4:26"), rows(s, "SELECT count(*), sum(id) FROM pn.t"));
      long pid =
          server.server().warehouses().runningClusters(defaultWarehouse(server)).stream()
              .findFirst()
              .orElseThrow()
              .pid()
              .orElseThrow();
      assertTrue(pid != ProcessHandle.current().pid(), "the node is a process of its own");
    }
    assertTrue(objects(".parquet").size() >= 2, "data files: " + objects(".parquet"));
    assertFalse(hasParquetFiles(dataDirectory.resolve("warehouse")));
    // The node process read them through its own disk cache.
    assertTrue(
        holdsFiles(ProcessClusterProvisioner.diskCacheDirectory(dataDirectory, 0)),
        "the node's disk cache holds the files it read");
  }

  /**
   * With an S3 storage root, stored statement results are objects below {@code <root>/results/}: a
   * Statement Execution API result with EXTERNAL_LINKS is read back from there through its links
   * and its chunks are deleted when the statement is closed.
   */
  @Test
  void storedStatementResultsLiveInS3() throws Exception {
    Map<String, String> settings = settings();
    settings.put(ServerConfig.RESULT_MEMORY, "0"); // every chunk goes to the bucket
    String root = dataDirectory.getFileName().toString();
    try (RunningServer server = RunningServer.start(dataDirectory, settings);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA res");
      s.execute("CREATE TABLE res.t AS SELECT id, 'row ' || id AS label FROM range(400000)");
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String statements = server.server().databricksRest().baseUrl() + "/api/2.0/sql/statements";
      String body =
          json.writeValueAsString(
              Map.of(
                  "warehouse_id", defaultWarehouse(server),
                  "statement", "SELECT id, label FROM res.t ORDER BY id",
                  "disposition", "EXTERNAL_LINKS",
                  "format", "ARROW_STREAM",
                  "wait_timeout", "30s"));
      com.fasterxml.jackson.databind.JsonNode response =
          json.readTree(
              http.send(
                      java.net.http.HttpRequest.newBuilder(URI.create(statements))
                          .header("Authorization", "Bearer " + server.token())
                          .header("Content-Type", "application/json")
                          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .body());
      assertEquals(
          "SUCCEEDED", response.path("status").path("state").asText(), response.toString());
      String id = response.path("statement_id").asText();
      int chunks = response.path("manifest").path("total_chunk_count").asInt();
      assertTrue(chunks > 1, "several chunks: " + response.path("manifest"));
      String prefix = root + "/results/" + id + "/";
      List<String> stored = objects(".arrows").stream().filter(k -> k.startsWith(prefix)).toList();
      assertEquals(chunks, stored.size(), objects(".arrows").toString());
      long rows = 0;
      try (org.apache.arrow.memory.RootAllocator allocator =
          new org.apache.arrow.memory.RootAllocator()) {
        for (int i = 0; i < chunks; i++) {
          com.fasterxml.jackson.databind.JsonNode chunk =
              i == 0
                  ? response.path("result")
                  : json.readTree(
                      http.send(
                              java.net.http.HttpRequest.newBuilder(
                                      URI.create(statements + "/" + id + "/result/chunks/" + i))
                                  .header("Authorization", "Bearer " + server.token())
                                  .build(),
                              java.net.http.HttpResponse.BodyHandlers.ofString())
                          .body());
          String link = chunk.path("external_links").get(0).path("external_link").asText();
          java.net.http.HttpResponse<byte[]> download =
              http.send(
                  java.net.http.HttpRequest.newBuilder(URI.create(link)).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofByteArray());
          assertEquals(200, download.statusCode());
          try (org.apache.arrow.vector.ipc.ArrowStreamReader reader =
              new org.apache.arrow.vector.ipc.ArrowStreamReader(
                  new java.io.ByteArrayInputStream(download.body()), allocator)) {
            while (reader.loadNextBatch()) {
              org.apache.arrow.vector.BigIntVector ids =
                  (org.apache.arrow.vector.BigIntVector)
                      reader.getVectorSchemaRoot().getVector("id");
              assertEquals(rows, ids.get(0));
              rows += reader.getVectorSchemaRoot().getRowCount();
            }
          }
        }
      }
      assertEquals(400000, rows);
      java.net.http.HttpResponse<String> closed =
          http.send(
              java.net.http.HttpRequest.newBuilder(URI.create(statements + "/" + id))
                  .header("Authorization", "Bearer " + server.token())
                  .DELETE()
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, closed.statusCode(), closed.body());
      assertEquals(
          List.of(),
          objects(".arrows").stream().filter(k -> k.startsWith(prefix)).toList(),
          "closing the statement deletes its chunks");
    }
    assertFalse(holdsFiles(dataDirectory.resolve("results")), "nothing under <data dir>/results");
  }

  private static String defaultWarehouse(RunningServer server) {
    return server.server().warehouseStore().list().get(0).id();
  }

  private static boolean holdsFiles(Path directory) throws java.io.IOException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files.anyMatch(Files::isRegularFile);
    }
  }
}
