package io.aquifer.storage.delta;

import static io.aquifer.storage.types.PrimitiveType.BIGINT;
import static io.aquifer.storage.types.PrimitiveType.STRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.objects.ObjectStoreFileIO;
import io.aquifer.storage.objects.S3KernelFileIO;
import io.aquifer.storage.objects.S3ProxyProcess;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Delta tables in S3 (S3Proxy 4.1.0 on loopback) through Kernel on {@link S3KernelFileIO}: two
 * writers, each with its own engine and no lock in common, commit appends at once and no commit is
 * lost; Kernel's checkpoint (Parquet, read back with ranged GETs) works there too.
 */
class KernelDeltaTablesS3Test {
  private static final String BUCKET = "tables";
  private static final TableSchema SCHEMA =
      new TableSchema(List.of(Column.of("id", BIGINT), Column.of("name", STRING)));

  @TempDir static Path s3Directory;
  private static S3ProxyProcess s3;
  private static S3Client client;

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

  /** A writer as a second gateway would be: its own engine, its own file system objects. */
  private static KernelDeltaTables writer() {
    return new KernelDeltaTables(
        DefaultEngine.create(
            new ObjectStoreFileIO(
                new HadoopFileIO(new Configuration()), new S3KernelFileIO(() -> client))));
  }

  @Test
  void twoWritersCommittingAtOnceLoseNoCommit() throws Exception {
    URI table = URI.create("s3://" + BUCKET + "/warehouse/two_writers");
    KernelDeltaTables first = writer();
    DeltaSnapshot created = first.create(table, SCHEMA, List.of(), Map.of(), List.of());
    assertEquals(0, created.version());

    int perWriter = 8;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<List<Long>>> results = new ArrayList<>();
    try {
      for (String name : List.of("a", "b")) {
        KernelDeltaTables tables = name.equals("a") ? first : writer();
        Callable<List<Long>> appends =
            () -> {
              List<Long> versions = new ArrayList<>();
              for (int i = 0; i < perWriter; i++) {
                long read = tables.latest(table).version();
                versions.add(
                    tables.commit(
                        table,
                        new CommitRequest(
                            read, "WRITE", Map.of(), List.of(file(table, name + i)), List.of())));
              }
              return versions;
            };
        results.add(pool.submit(appends));
      }
      Set<Long> versions = new TreeSet<>();
      for (Future<List<Long>> f : results) {
        versions.addAll(f.get());
      }
      // Every commit got its own version: none overwrote another.
      assertEquals(2 * perWriter, versions.size(), "versions " + versions);
    } finally {
      pool.shutdownNow();
    }

    DeltaSnapshot latest = writer().latest(table);
    assertEquals(2 * perWriter, latest.version());
    Set<String> names =
        latest.files().stream()
            .map(f -> f.path().getPath().substring(f.path().getPath().lastIndexOf('/') + 1))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = new TreeSet<>();
    for (String w : List.of("a", "b")) {
      for (int i = 0; i < perWriter; i++) {
        expected.add("part-" + w + i + ".parquet");
      }
    }
    assertEquals(expected, names);
    // Kernel checkpointed at version 10 (its default interval) into S3, and read it back.
    List<String> log =
        client
            .listObjectsV2(b -> b.bucket(BUCKET).prefix("warehouse/two_writers/_delta_log/"))
            .contents()
            .stream()
            .map(S3Object::key)
            .toList();
    assertTrue(
        log.contains("warehouse/two_writers/_delta_log/00000000000000000010.checkpoint.parquet"),
        log.toString());
  }

  @Test
  void aStaleReadModifyWriteFailsWithAConflictAndWritesNothing() {
    URI table = URI.create("s3://" + BUCKET + "/warehouse/stale");
    KernelDeltaTables tables = writer();
    tables.create(table, SCHEMA, List.of(), Map.of(), List.of());
    tables.commit(
        table, new CommitRequest(0, "WRITE", Map.of(), List.of(file(table, "x")), List.of()));
    StorageException e =
        assertThrows(
            StorageException.class,
            () ->
                writer()
                    .commit(
                        table,
                        new CommitRequest(
                            0, "WRITE", Map.of(), List.of(file(table, "y")), List.of(), true)));
    assertEquals(StorageErrorCode.DELTA_COMMIT_CONFLICT, e.code());
    assertEquals(1, tables.latest(table).version());
    assertEquals(1, tables.latest(table).files().size());
  }

  @Test
  void creatingATableWhereOneExistsFails() {
    URI table = URI.create("s3://" + BUCKET + "/warehouse/twice");
    writer().create(table, SCHEMA, List.of(), Map.of(), List.of());
    StorageException e =
        assertThrows(
            StorageException.class,
            () -> writer().create(table, SCHEMA, List.of(), Map.of(), List.of()));
    assertEquals(StorageErrorCode.DELTA_TABLE_ALREADY_EXISTS, e.code());
  }

  @Test
  void aMissingTableIsReportedAsSuch() {
    StorageException e =
        assertThrows(
            StorageException.class,
            () -> writer().latest(URI.create("s3://" + BUCKET + "/warehouse/nothing_here")));
    assertEquals(StorageErrorCode.DELTA_TABLE_NOT_FOUND, e.code());
  }

  private static NewDataFile file(URI table, String name) {
    return new NewDataFile(
        URI.create(table + "/part-" + name + ".parquet"),
        100,
        System.currentTimeMillis(),
        Map.of(),
        new FileStats(1, Map.of("id", 1L), Map.of("id", 1L), Map.of("id", 0L)));
  }
}
