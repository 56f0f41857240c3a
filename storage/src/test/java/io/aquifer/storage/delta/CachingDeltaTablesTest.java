package io.aquifer.storage.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot cache answers what Kernel would: commits by other writers are seen, time travel
 * returns the old versions, a log written anew at the same place is noticed, and the cache stays
 * within its bound. (The data files named in these logs are never read, so none is written.)
 */
class CachingDeltaTablesTest {
  private static final TableSchema SCHEMA =
      new TableSchema(List.of(Column.of("id", PrimitiveType.BIGINT)));

  @TempDir Path dir;

  private final CachingDeltaTables cached = new CachingDeltaTables(new KernelDeltaTables());

  /** Another writer: its own instance, as another gateway or tool would have. */
  private final KernelDeltaTables other = new KernelDeltaTables();

  @Test
  void commitFilesAreNamedAsKernelNamesThem() {
    for (long version : List.of(0L, 1L, 12L, 99_999L, 12_345_678_901L, Long.MAX_VALUE)) {
      String kernel =
          io.delta.kernel.internal.util.FileNames.deltaFile(
              new io.delta.kernel.internal.fs.Path("file:/t/_delta_log"), version);
      assertEquals(kernel, "file:/t/_delta_log/" + DeltaLogListing.commitFileName(version));
    }
  }

  @Test
  void latestSeesCommitsOfAnotherWriter() {
    URI location = dir.resolve("t").toUri();
    other.create(location, SCHEMA, List.of(), Map.of(), List.of(file(location, "a")));
    DeltaSnapshot v0 = cached.latest(location);
    assertEquals(0, v0.version());
    assertEquals(Set.of("a.parquet"), paths(v0));
    assertSame(v0, cached.latest(location), "an unchanged log is not read again");

    other.commit(location, append(0, file(location, "b")));
    DeltaSnapshot v1 = cached.latest(location);
    assertEquals(1, v1.version());
    assertEquals(Set.of("a.parquet", "b.parquet"), paths(v1));

    other.commit(
        location,
        new CommitRequest(1, "DELETE", Map.of(), List.of(file(location, "c")), v0.files()));
    DeltaSnapshot v2 = cached.latest(location);
    assertEquals(2, v2.version());
    assertEquals(Set.of("b.parquet", "c.parquet"), paths(v2));
    assertEquals(paths(other.latest(location)), paths(v2));

    // Several commits between two reads: the newest one counts.
    other.commit(location, append(2, file(location, "d")));
    other.commit(location, append(3, file(location, "e")));
    DeltaSnapshot v4 = cached.latest(location);
    assertEquals(4, v4.version());
    assertEquals(Set.of("b.parquet", "c.parquet", "d.parquet", "e.parquet"), paths(v4));
    assertSame(v4, cached.latest(location));
  }

  /**
   * A local commit file's one-stat probe answers exactly what the log's listing through Kernel's
   * (Hadoop) file system says of the same file, or the cache would take every probe for a log
   * written anew.
   */
  @Test
  void localCommitFileProbeMatchesTheListing() {
    URI location = dir.resolve("t").toUri();
    other.create(location, SCHEMA, List.of(), Map.of(), List.of(file(location, "a")));
    other.commit(location, append(0, file(location, "b")));
    TableLocation table = TableLocation.of(location);
    String kernelPath = table.kernelPath() + "/_delta_log/00000000000000000001.json";
    assertTrue(DeltaLogListing.localFile(kernelPath).isPresent());
    assertEquals(other.newestCommit(location, 0), other.commitFile(location, 1));
    assertEquals(1, other.commitFile(location, 1).orElseThrow().version());
    assertTrue(other.commitFile(location, 2).isEmpty());
    // Paths the fast probe does not take go through Kernel's file system.
    assertTrue(DeltaLogListing.localFile("s3://bucket/t/_delta_log/0.json").isEmpty());
    assertTrue(DeltaLogListing.localFile("file:/tmp/a%20b/_delta_log/0.json").isEmpty());
  }

  @Test
  void latestSeesCommitsThroughTheCacheItself() {
    URI location = dir.resolve("t").toUri();
    cached.create(location, SCHEMA, List.of(), Map.of(), List.of());
    assertEquals(Set.of(), paths(cached.latest(location)));
    assertEquals(1, cached.commit(location, append(0, file(location, "a"))));
    assertEquals(Set.of("a.parquet"), paths(cached.latest(location)));
    assertEquals(2, cached.commit(location, append(1, file(location, "b"))));
    assertEquals(2, cached.latest(location).version());
    assertEquals(3, cached.history(location).size());
  }

  @Test
  void timeTravelReturnsOldVersions() throws Exception {
    URI location = dir.resolve("t").toUri();
    other.create(location, SCHEMA, List.of(), Map.of(), List.of(file(location, "a")));
    DeltaSnapshot v0 = cached.latest(location);
    other.commit(location, append(0, file(location, "b")));
    other.commit(location, new CommitRequest(1, "DELETE", Map.of(), List.of(), v0.files()));
    // Delta time travel goes by commit file time; space the commits a minute apart.
    Instant base = Instant.parse("2024-03-01T10:00:00Z");
    for (int version = 0; version <= 2; version++) {
      Files.setLastModifiedTime(
          location(location).resolve("_delta_log").resolve(String.format("%020d.json", version)),
          FileTime.from(base.plusSeconds(60L * version)));
    }

    assertEquals(Set.of("b.parquet"), paths(cached.latest(location)));
    assertEquals(Set.of("a.parquet"), paths(cached.atVersion(location, 0)));
    assertEquals(Set.of("a.parquet", "b.parquet"), paths(cached.atVersion(location, 1)));
    assertSame(cached.atVersion(location, 1), cached.atVersion(location, 1));

    DeltaSnapshot between = cached.atTimestamp(location, base.plusSeconds(90).toEpochMilli());
    assertEquals(1, between.version());
    assertEquals(Set.of("a.parquet", "b.parquet"), paths(between));
    assertEquals(2, cached.atTimestamp(location, base.plusSeconds(120).toEpochMilli()).version());
    assertEquals(
        base.plusSeconds(120).toEpochMilli(),
        cached.latest(location).timestampMillis(),
        "the latest snapshot carries the commit time it has now");

    StorageException tooLate =
        assertThrows(
            StorageException.class,
            () -> cached.atTimestamp(location, base.plusSeconds(3600).toEpochMilli()));
    assertEquals(StorageErrorCode.DELTA_VERSION_NOT_FOUND, tooLate.code());
    StorageException noVersion =
        assertThrows(StorageException.class, () -> cached.atVersion(location, 7));
    assertEquals(StorageErrorCode.DELTA_VERSION_NOT_FOUND, noVersion.code());
    assertTrue(noVersion.getMessage().contains("0 to 2"), noVersion.getMessage());

    // A version that failed is not remembered as missing once it exists.
    other.commit(location, append(2, file(location, "c")));
    other.commit(location, append(3, file(location, "d")));
    other.commit(location, append(4, file(location, "e")));
    other.commit(location, append(5, file(location, "f")));
    other.commit(location, append(6, file(location, "g")));
    assertEquals(7, cached.atVersion(location, 7).version());
  }

  @Test
  void aLogWrittenAnewAtTheSameLocationIsNoticed() throws Exception {
    URI location = dir.resolve("t").toUri();
    other.create(location, SCHEMA, List.of(), Map.of(), List.of(file(location, "old-0")));
    other.commit(location, append(0, file(location, "old-1")));
    assertEquals(Set.of("old-0.parquet", "old-1.parquet"), paths(cached.latest(location)));
    assertEquals(Set.of("old-0.parquet"), paths(cached.atVersion(location, 0)));

    // Another process drops the table and creates a new one in the same place.
    deleteTree(location(location));
    other.create(location, SCHEMA, List.of(), Map.of(), List.of(file(location, "new-0")));

    DeltaSnapshot latest = cached.latest(location);
    assertEquals(0, latest.version());
    assertEquals(Set.of("new-0.parquet"), paths(latest));
    assertEquals(Set.of("new-0.parquet"), paths(cached.atVersion(location, 0)));

    // Written anew up to the very version seen before: the commit file is not the same one.
    other.commit(location, append(0, file(location, "new-1")));
    assertEquals(Set.of("new-0.parquet", "new-1.parquet"), paths(cached.latest(location)));
    deleteTree(location(location));
    other.create(location, SCHEMA, List.of(), Map.of(), List.of(file(location, "newer-0")));
    other.commit(location, append(0, file(location, "newer-1"), file(location, "newer-2")));
    assertEquals(
        Set.of("newer-0.parquet", "newer-1.parquet", "newer-2.parquet"),
        paths(cached.latest(location)));
    assertEquals(Set.of("newer-0.parquet"), paths(cached.atVersion(location, 0)));

    // And gone altogether: the cache answers as Kernel does.
    deleteTree(location(location));
    StorageException gone = assertThrows(StorageException.class, () -> cached.latest(location));
    assertEquals(StorageErrorCode.DELTA_TABLE_NOT_FOUND, gone.code());
  }

  @Test
  void cacheStaysWithinItsBound() {
    // Each snapshot weighs 1 + its files; with a bound of 10, at most a few versions stay.
    CachingDeltaTables small = new CachingDeltaTables(new KernelDeltaTables(), 10);
    URI location = dir.resolve("t").toUri();
    other.create(location, SCHEMA, List.of(), Map.of(), List.of(file(location, "f0")));
    for (int version = 1; version < 8; version++) {
      other.commit(location, append(version - 1, file(location, "f" + version)));
    }
    for (int version = 0; version < 8; version++) {
      assertEquals(version + 1, small.atVersion(location, version).files().size());
      assertTrue(small.cachedSnapshotCount() <= 5, "kept " + small.cachedSnapshotCount());
    }
    assertEquals(8, small.latest(location).files().size());
    // Evicted versions read again, correctly.
    for (int version = 0; version < 8; version++) {
      assertEquals(version, small.atVersion(location, version).version());
      assertEquals(version + 1, small.atVersion(location, version).files().size());
    }
    assertTrue(small.cachedSnapshotCount() <= 5, "kept " + small.cachedSnapshotCount());

    // A snapshot heavier than the whole bound is read but not kept.
    CachingDeltaTables none = new CachingDeltaTables(new KernelDeltaTables(), 0);
    assertEquals(8, none.latest(location).files().size());
    assertEquals(0, none.cachedSnapshotCount());
  }

  @Test
  void noTableIsReportedAsKernelReportsIt() {
    URI location = dir.resolve("missing").toUri();
    StorageException e = assertThrows(StorageException.class, () -> cached.latest(location));
    assertEquals(StorageErrorCode.DELTA_TABLE_NOT_FOUND, e.code());
    // Created afterwards: found.
    other.create(location, SCHEMA, List.of(), Map.of(), List.of(file(location, "a")));
    assertEquals(Set.of("a.parquet"), paths(cached.latest(location)));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static NewDataFile file(URI table, String name) {
    return new NewDataFile(
        location(table).resolve(name + ".parquet").toUri(),
        100,
        1_700_000_000_000L,
        Map.of(),
        new FileStats(10, Map.of("id", 1L), Map.of("id", 10L), Map.of("id", 0L)));
  }

  private static CommitRequest append(long readVersion, NewDataFile... files) {
    return new CommitRequest(readVersion, "WRITE", Map.of(), List.of(files), List.of());
  }

  private static Set<String> paths(DeltaSnapshot snapshot) {
    return snapshot.files().stream().map(DataFile::pathInLog).collect(Collectors.toSet());
  }

  private static Path location(URI table) {
    return Path.of(table);
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
