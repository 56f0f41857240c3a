package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.objects.S3ProxyProcess;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A node writes a table in S3 (S3Proxy on loopback): the Parquet files end up as objects at the
 * table's location, reported with their S3 URIs; when S3 does not answer, the write fails and
 * leaves no local or remote file.
 */
class ObjectStoreTableWriterTest {
  @TempDir static Path root;
  private static S3ProxyProcess s3;
  private static S3Client client;
  private static DuckDbEngine engine;

  @BeforeAll
  static void start() throws Exception {
    S3ProxyProcess.useTestCredentials();
    s3 = S3ProxyProcess.start(Files.createDirectories(root.resolve("s3")));
    client = s3.client();
    client.createBucket(b -> b.bucket("lake"));
    engine =
        new DuckDbEngine(
            DuckDbEngineConfig.defaults(List.of(root.resolve("data")), root.resolve("tmp"))
                .withMemoryLimits(1L << 30, 256L << 20)
                .withThreads(1),
            Optional.empty());
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("aws.endpointUrl");
    System.clearProperty("aws.region");
    if (engine != null) {
      engine.close();
    }
    if (client != null) {
      client.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static WriteFragment write(String table) {
    return new WriteFragment(
        new QueryFragment("w-" + table, "SELECT range AS id FROM range(1000)", List.of()),
        URI.create("s3://lake/" + table),
        new TableSchema(List.of(Column.of("id", PrimitiveType.BIGINT))),
        1_000_000);
  }

  @Test
  void writtenFilesAreUploadedToTheTableLocation() throws Exception {
    System.setProperty("aws.endpointUrl", s3.endpoint());
    System.setProperty("aws.region", "us-east-1");
    List<NewDataFile> files = engine.write(write("ok"));
    assertEquals(1, files.size());
    assertEquals(1000, files.get(0).stats().numRecords());
    String uri = files.get(0).path().toString();
    assertTrue(uri.startsWith("s3://lake/ok/") && uri.endsWith(".parquet"), uri);
    List<S3Object> objects = client.listObjectsV2(b -> b.bucket("lake").prefix("ok/")).contents();
    assertEquals(1, objects.size());
    assertEquals("s3://lake/" + objects.get(0).key(), uri);
    assertEquals(files.get(0).size(), objects.get(0).size());
    assertEquals(0, localFiles());
  }

  @Test
  void withS3DownTheWriteFailsAndLeavesNoFile() throws Exception {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + s.getLocalPort());
    }
    System.setProperty("aws.region", "us-east-1");
    try {
      assertThrows(ExecException.class, () -> engine.write(write("down")));
    } finally {
      System.setProperty("aws.endpointUrl", s3.endpoint());
    }
    assertEquals(0, localFiles());
    assertEquals(0, client.listObjectsV2(b -> b.bucket("lake").prefix("down/")).contents().size());
  }

  /** Regular files left below the node's data directory. */
  private static long localFiles() throws Exception {
    try (Stream<Path> files = Files.walk(root.resolve("data"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
