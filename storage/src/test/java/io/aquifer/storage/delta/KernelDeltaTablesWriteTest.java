package io.aquifer.storage.delta;

import static io.aquifer.storage.types.PrimitiveType.BIGINT;
import static io.aquifer.storage.types.PrimitiveType.BINARY;
import static io.aquifer.storage.types.PrimitiveType.BOOLEAN;
import static io.aquifer.storage.types.PrimitiveType.DATE;
import static io.aquifer.storage.types.PrimitiveType.DOUBLE;
import static io.aquifer.storage.types.PrimitiveType.FLOAT;
import static io.aquifer.storage.types.PrimitiveType.INT;
import static io.aquifer.storage.types.PrimitiveType.SMALLINT;
import static io.aquifer.storage.types.PrimitiveType.STRING;
import static io.aquifer.storage.types.PrimitiveType.TIMESTAMP;
import static io.aquifer.storage.types.PrimitiveType.TIMESTAMP_NTZ;
import static io.aquifer.storage.types.PrimitiveType.TINYINT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.StructType;
import io.aquifer.storage.types.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating tables and committing appends, deletes and overwrites, read back through Kernel. */
class KernelDeltaTablesWriteTest {
  private static final TableSchema EVERY_TYPE =
      new TableSchema(
          List.of(
              Column.of("flag", BOOLEAN),
              Column.of("tiny", TINYINT),
              Column.of("small", SMALLINT),
              Column.of("num", INT),
              new Column("big", BIGINT, false, "big", Optional.of("the primary key")),
              Column.of("real", FLOAT),
              Column.of("dbl", DOUBLE),
              Column.of("price", new DecimalType(12, 3)),
              Column.of("wide", new DecimalType(38, 10)),
              Column.of("text", STRING),
              Column.of("bytes", BINARY),
              Column.of("day", DATE),
              Column.of("ts", TIMESTAMP),
              Column.of("ts_ntz", TIMESTAMP_NTZ),
              new Column("tags", new ArrayType(STRING, false), true, "tags", Optional.empty()),
              Column.of("props", new MapType(STRING, new ArrayType(INT, true), true)),
              Column.of(
                  "address",
                  new StructType(
                      List.of(
                          Column.of("street", STRING),
                          Column.of(
                              "geo",
                              new StructType(
                                  List.of(
                                      new Column("lat", DOUBLE, false, "lat", Optional.empty()),
                                      Column.of("lon", DOUBLE))))))),
              Column.of(
                  "items",
                  new ArrayType(
                      new StructType(List.of(Column.of("sku", STRING), Column.of("qty", INT))),
                      true)),
              Column.of("region", STRING)));

  private static final TableSchema SALES =
      new TableSchema(
          List.of(
              Column.of("id", BIGINT),
              Column.of("name", STRING),
              Column.of("amount", new DecimalType(10, 2)),
              Column.of("day", DATE),
              Column.of("ts", TIMESTAMP),
              Column.of("ts_ntz", TIMESTAMP_NTZ),
              Column.of("score", DOUBLE),
              Column.of("region", STRING)));

  private static final Instant EPOCH_2024 = Instant.parse("2024-01-01T00:00:00Z");

  private static DuckDbFiles duckDb;
  private final KernelDeltaTables tables = new KernelDeltaTables();

  @TempDir Path dir;

  @BeforeAll
  static void startDuckDb() throws Exception {
    duckDb = new DuckDbFiles();
  }

  @AfterAll
  static void stopDuckDb() throws Exception {
    duckDb.close();
  }

  @Test
  void createdSchemaReadsBackIdentically() {
    URI location = dir.resolve("every_type").toUri();
    DeltaSnapshot created =
        tables.create(location, EVERY_TYPE, List.of("region"), Map.of(), List.of());

    assertEquals(0, created.version());
    assertEquals(EVERY_TYPE, created.schema());
    assertEquals(List.of("region"), created.partitionColumns());
    assertTrue(created.files().isEmpty());

    DeltaSnapshot latest = tables.latest(location);
    assertEquals(EVERY_TYPE, latest.schema());
    assertEquals(List.of("region"), latest.partitionColumns());

    HistoryEntry create = tables.history(location).get(0);
    assertEquals("CREATE TABLE", create.operation());
    assertEquals("[\"region\"]", create.operationParameters().get("partitionBy"));
    assertTrue(create.engineInfo().contains("Aquifer"), create.engineInfo());
  }

  @Test
  void appendedFilesReadBackWithStatistics() throws Exception {
    URI location = createSales();
    NewDataFile eu = writeSales("region=eu/part-0.parquet", "eu", 1, 5);
    NewDataFile us = writeSales("region=us/part-0.parquet", "us", 6, 8);

    long version = tables.commit(location, append(0, eu, us));

    assertEquals(1, version);
    DeltaSnapshot snapshot = tables.latest(location);
    assertEquals(1, snapshot.version());
    Map<String, DataFile> files = byPathInLog(snapshot);
    assertEquals(Set.of("region=eu/part-0.parquet", "region=us/part-0.parquet"), files.keySet());
    for (NewDataFile written : List.of(eu, us)) {
      DataFile read = files.get(dir.resolve("sales").toUri().relativize(written.path()).toString());
      assertEquals(Path.of(written.path()), Path.of(read.path()));
      assertEquals(written.size(), read.size());
      assertEquals(written.modificationTime(), read.modificationTime());
      assertEquals(written.partitionValues(), read.partitionValues());
      assertEquals(Optional.of(written.stats()), read.stats());
      assertFalse(read.hasDeletionVector());
    }
    assertEquals(8, liveRows(snapshot));

    String commit = commitJson(location, 1);
    assertTrue(commit.contains("\"path\":\"region=eu/part-0.parquet\""), commit);
    assertTrue(commit.contains("\"operation\":\"WRITE\""), commit);
    assertTrue(commit.contains("\"mode\":\"Append\""), commit);
  }

  @Test
  void copyOnWriteDeleteRemovesAndAddsInOneCommit() throws Exception {
    URI location = createSales();
    tables.commit(
        location,
        append(
            0,
            writeSales("region=eu/part-0.parquet", "eu", 1, 5),
            writeSales("region=us/part-0.parquet", "us", 6, 8)));
    DeltaSnapshot before = tables.latest(location);
    DataFile eu = byPathInLog(before).get("region=eu/part-0.parquet");
    NewDataFile rewritten = writeSales("region=eu/part-1.parquet", "eu", 1, 2);

    long version =
        tables.commit(
            location,
            new CommitRequest(
                before.version(),
                "DELETE",
                Map.of("predicate", "[\"(id > 2)\"]"),
                List.of(rewritten),
                List.of(eu)));

    assertEquals(2, version);
    DeltaSnapshot after = tables.latest(location);
    assertEquals(
        Set.of("region=eu/part-1.parquet", "region=us/part-0.parquet"),
        byPathInLog(after).keySet());
    assertEquals(5, liveRows(after));
    List<String> actions = commitActions(location, 2);
    assertEquals(
        1, actions.stream().filter(a -> a.startsWith("{\"remove\"")).count(), actions.toString());
    assertEquals(
        1, actions.stream().filter(a -> a.startsWith("{\"add\"")).count(), actions.toString());
    String remove =
        actions.stream().filter(a -> a.startsWith("{\"remove\"")).findFirst().orElseThrow();
    assertTrue(remove.contains("\"path\":\"region=eu/part-0.parquet\""), remove);
    assertTrue(remove.contains("\"dataChange\":true"), remove);

    HistoryEntry delete = tables.history(location).get(0);
    assertEquals("DELETE", delete.operation());
    assertEquals("[\"(id > 2)\"]", delete.operationParameters().get("predicate"));
    assertEquals("1", delete.operationMetrics().get("numRemovedFiles"));
    assertEquals("1", delete.operationMetrics().get("numAddedFiles"));
    assertEquals("2", delete.operationMetrics().get("numOutputRows"));
  }

  @Test
  void overwriteReplacesEveryFileInOneCommit() throws Exception {
    URI location = createSales();
    tables.commit(
        location,
        append(
            0,
            writeSales("region=eu/part-0.parquet", "eu", 1, 5),
            writeSales("region=us/part-0.parquet", "us", 6, 8)));
    DeltaSnapshot before = tables.latest(location);
    NewDataFile replacement = writeSales("region=eu/part-9.parquet", "eu", 100, 102);

    long version =
        tables.commit(
            location,
            new CommitRequest(
                before.version(),
                "WRITE",
                Map.of("mode", "Overwrite"),
                List.of(replacement),
                before.files()));

    assertEquals(2, version);
    DeltaSnapshot after = tables.latest(location);
    assertEquals(Set.of("region=eu/part-9.parquet"), byPathInLog(after).keySet());
    assertEquals(3, liveRows(after));
    assertEquals(
        3,
        commitActions(location, 2).stream().filter(a -> !a.startsWith("{\"commitInfo\"")).count());
  }

  @Test
  void historyListsOperationsNewestFirst() throws Exception {
    URI location = createSales();
    tables.commit(location, append(0, writeSales("region=eu/part-0.parquet", "eu", 1, 5)));
    DeltaSnapshot v1 = tables.latest(location);
    tables.commit(
        location,
        new CommitRequest(1, "DELETE", Map.of("predicate", "true"), List.of(), v1.files()));
    tables.commit(
        location,
        new CommitRequest(
            2,
            "MERGE",
            Map.of(),
            List.of(writeSales("region=us/part-0.parquet", "us", 1, 1)),
            List.of()));

    List<HistoryEntry> history = tables.history(location);

    assertEquals(List.of(3L, 2L, 1L, 0L), history.stream().map(HistoryEntry::version).toList());
    assertEquals(
        List.of("MERGE", "DELETE", "WRITE", "CREATE TABLE"),
        history.stream().map(HistoryEntry::operation).toList());
    assertEquals("5", history.get(2).operationMetrics().get("numOutputRows"));
    for (int i = 1; i < history.size(); i++) {
      assertTrue(history.get(i - 1).timestampMillis() >= history.get(i).timestampMillis());
    }
  }

  @Test
  void timeTravelReturnsOldFileSets() throws Exception {
    URI location = createSales();
    tables.commit(location, append(0, writeSales("region=eu/part-0.parquet", "eu", 1, 5)));
    tables.commit(location, append(1, writeSales("region=us/part-0.parquet", "us", 6, 8)));
    DeltaSnapshot v2 = tables.latest(location);
    tables.commit(
        location,
        new CommitRequest(
            2,
            "DELETE",
            Map.of(),
            List.of(),
            List.of(byPathInLog(v2).get("region=eu/part-0.parquet"))));
    // Delta time travel goes by commit file time; space the commits a minute apart.
    Instant base = Instant.parse("2024-03-01T10:00:00Z");
    for (int version = 0; version <= 3; version++) {
      Files.setLastModifiedTime(
          commitFile(location, version), FileTime.from(base.plusSeconds(60L * version)));
    }

    assertEquals(
        Set.of("region=eu/part-0.parquet"), byPathInLog(tables.atVersion(location, 1)).keySet());
    assertEquals(
        Set.of("region=eu/part-0.parquet", "region=us/part-0.parquet"),
        byPathInLog(tables.atVersion(location, 2)).keySet());
    assertEquals(Set.of("region=us/part-0.parquet"), byPathInLog(tables.latest(location)).keySet());

    DeltaSnapshot between = tables.atTimestamp(location, base.plusSeconds(90).toEpochMilli());
    assertEquals(1, between.version());
    assertEquals(base.plusSeconds(60).toEpochMilli(), between.timestampMillis());
    assertEquals(2, tables.atTimestamp(location, base.plusSeconds(120).toEpochMilli()).version());
    assertEquals(3, tables.atTimestamp(location, base.plusSeconds(180).toEpochMilli()).version());
    assertEquals(
        base.plusSeconds(120).toEpochMilli(), tables.history(location).get(1).timestampMillis());

    StorageException tooEarly =
        assertThrows(
            StorageException.class,
            () -> tables.atTimestamp(location, base.minusSeconds(1).toEpochMilli()));
    assertEquals(StorageErrorCode.DELTA_VERSION_NOT_FOUND, tooEarly.code());
    assertTrue(
        tooEarly.getMessage().contains("2024-03-01T10:00:00Z (version 0)"), tooEarly.getMessage());
    StorageException tooLate =
        assertThrows(
            StorageException.class,
            () -> tables.atTimestamp(location, base.plusSeconds(3600).toEpochMilli()));
    assertEquals(StorageErrorCode.DELTA_VERSION_NOT_FOUND, tooLate.code());
    assertTrue(tooLate.getMessage().contains("(version 3)"), tooLate.getMessage());
    StorageException noVersion =
        assertThrows(StorageException.class, () -> tables.atVersion(location, 7));
    assertEquals(StorageErrorCode.DELTA_VERSION_NOT_FOUND, noVersion.code());
    assertTrue(noVersion.getMessage().contains("0 to 3"), noVersion.getMessage());
    assertEquals(
        StorageErrorCode.DELTA_VERSION_NOT_FOUND,
        assertThrows(StorageException.class, () -> tables.atVersion(location, -1)).code());
  }

  @Test
  void concurrentRemoveOfTheSameFileConflictsAndWritesNothing() throws Exception {
    URI location = createSales();
    tables.commit(
        location,
        append(
            0,
            writeSales("region=eu/part-0.parquet", "eu", 1, 5),
            writeSales("region=us/part-0.parquet", "us", 6, 8)));
    DeltaSnapshot read = tables.latest(location);
    DataFile eu = byPathInLog(read).get("region=eu/part-0.parquet");
    CommitRequest first =
        new CommitRequest(
            read.version(),
            "DELETE",
            Map.of(),
            List.of(writeSales("region=eu/part-1.parquet", "eu", 1, 1)),
            List.of(eu));
    CommitRequest second =
        new CommitRequest(
            read.version(),
            "UPDATE",
            Map.of(),
            List.of(writeSales("region=eu/part-2.parquet", "eu", 2, 2)),
            List.of(eu));

    assertEquals(2, tables.commit(location, first));
    Set<String> logBefore = logFiles(location);
    StorageException e =
        assertThrows(StorageException.class, () -> tables.commit(location, second));

    assertEquals(StorageErrorCode.DELTA_COMMIT_CONFLICT, e.code());
    assertTrue(e.getMessage().contains(Path.of(location).toString()), e.getMessage());
    assertEquals(logBefore, logFiles(location));
    DeltaSnapshot after = tables.latest(location);
    assertEquals(2, after.version());
    assertEquals(
        Set.of("region=eu/part-1.parquet", "region=us/part-0.parquet"),
        byPathInLog(after).keySet());
  }

  @Test
  void aStaleAppendThatReadItsTableConflictsAndWritesNothing() throws Exception {
    URI location = createSales();
    tables.commit(location, append(0, writeSales("region=eu/part-0.parquet", "eu", 1, 5)));
    // A blind append computed from version 1 is rebased over version 2 ...
    assertEquals(
        2, tables.commit(location, append(1, writeSales("region=eu/part-1.parquet", "eu", 6, 6))));
    Set<String> logBefore = logFiles(location);
    // ... but rows read from version 1 of the table itself may be stale at version 2.
    CommitRequest readsTable =
        new CommitRequest(
            1,
            "WRITE",
            Map.of(),
            List.of(writeSales("region=eu/part-2.parquet", "eu", 7, 7)),
            List.of(),
            true);
    StorageException e =
        assertThrows(StorageException.class, () -> tables.commit(location, readsTable));
    assertEquals(StorageErrorCode.DELTA_COMMIT_CONFLICT, e.code());
    assertTrue(e.getMessage().contains("read version 1"), e.getMessage());
    assertEquals(logBefore, logFiles(location));
    // From the newest version it commits.
    CommitRequest fresh =
        new CommitRequest(
            2,
            "WRITE",
            Map.of(),
            List.of(writeSales("region=eu/part-3.parquet", "eu", 8, 8)),
            List.of(),
            true);
    assertEquals(3, tables.commit(location, fresh));
  }

  @Test
  void staleAppendsAndDisjointRemovesAreRebased() throws Exception {
    URI location = createSales();
    tables.commit(
        location,
        append(
            0,
            writeSales("region=eu/part-0.parquet", "eu", 1, 5),
            writeSales("region=us/part-0.parquet", "us", 6, 8)));
    DeltaSnapshot read = tables.latest(location);
    Map<String, DataFile> files = byPathInLog(read);
    tables.commit(
        location,
        new CommitRequest(
            1, "DELETE", Map.of(), List.of(), List.of(files.get("region=eu/part-0.parquet"))));

    // Both were computed from version 1; neither touches what version 2 removed.
    assertEquals(
        3, tables.commit(location, append(1, writeSales("region=eu/part-7.parquet", "eu", 9, 9))));
    assertEquals(
        4,
        tables.commit(
            location,
            new CommitRequest(
                1, "DELETE", Map.of(), List.of(), List.of(files.get("region=us/part-0.parquet")))));
    assertEquals(Set.of("region=eu/part-7.parquet"), byPathInLog(tables.latest(location)).keySet());
  }

  @Test
  void concurrentAppendsAllLand() throws Exception {
    URI location = createSales();
    List<NewDataFile> files = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      files.add(writeSales("region=eu/part-" + i + ".parquet", "eu", i, i));
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<Long>> versions = new java.util.ArrayList<>();
      for (NewDataFile file : files) {
        // Separate instances, as two gateway components might hold.
        versions.add(pool.submit(() -> new KernelDeltaTables().commit(location, append(0, file))));
      }
      Set<Long> committed = new TreeSet<>();
      for (var version : versions) {
        committed.add(version.get());
      }
      assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L), committed);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(6, tables.latest(location).files().size());
  }

  @Test
  void createOnAnExistingTableFails() throws Exception {
    URI location = createSales();
    Set<String> logBefore = logFiles(location);

    StorageException e =
        assertThrows(
            StorageException.class,
            () -> tables.create(location, SALES, List.of(), Map.of(), List.of()));

    assertEquals(StorageErrorCode.DELTA_TABLE_ALREADY_EXISTS, e.code());
    assertTrue(e.getMessage().contains(Path.of(location).toString()), e.getMessage());
    assertEquals(logBefore, logFiles(location));
  }

  @Test
  void createTableAsSelectCommitsFilesInVersionZero() throws Exception {
    URI location = dir.resolve("sales").toUri();
    NewDataFile eu = writeSales("region=eu/part-0.parquet", "eu", 1, 4);

    DeltaSnapshot created =
        tables.create(location, SALES, List.of("region"), Map.of(), List.of(eu));

    assertEquals(0, created.version());
    assertEquals(Set.of("region=eu/part-0.parquet"), byPathInLog(created).keySet());
    assertEquals(4, liveRows(created));
    HistoryEntry entry = tables.history(location).get(0);
    assertEquals("CREATE TABLE AS SELECT", entry.operation());
    assertEquals("1", entry.operationMetrics().get("numAddedFiles"));
  }

  @Test
  void missingTableIsReportedWithItsLocation() {
    URI location = dir.resolve("nothing-here").toUri();
    for (var call :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> tables.latest(location),
            () -> tables.atVersion(location, 0),
            () -> tables.history(location),
            () ->
                tables.commit(
                    location, new CommitRequest(0, "WRITE", Map.of(), List.of(), List.of())))) {
      StorageException e = assertThrows(StorageException.class, call);
      assertEquals(StorageErrorCode.DELTA_TABLE_NOT_FOUND, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(Path.of(location).toString()), e.getMessage());
    }
  }

  @Test
  void removingAFileWithADeletionVectorRemovesIt() throws Exception {
    Path copy = dir.resolve("dv");
    copyTree(TestFixtures.deltaGolden("basic-dv-no-checkpoint").resolve("delta"), copy);
    URI location = copy.toUri();
    DeltaSnapshot read = tables.latest(location);
    DataFile withDv =
        read.files().stream().filter(DataFile::hasDeletionVector).findFirst().orElseThrow();
    assertArrayEquals(new long[] {0, 1}, withDv.deletedRowPositions());

    tables.commit(
        location,
        new CommitRequest(read.version(), "DELETE", Map.of(), List.of(), List.of(withDv)));

    DeltaSnapshot after = tables.latest(location);
    assertEquals(1, after.files().size());
    assertFalse(after.files().get(0).hasDeletionVector());
    String remove =
        commitActions(location, read.version() + 1).stream()
            .filter(a -> a.startsWith("{\"remove\""))
            .findFirst()
            .orElseThrow();
    assertTrue(remove.contains("\"deletionVector\""), remove);
  }

  @Test
  void columnMappingKeysLogByPhysicalNames() throws Exception {
    URI location = dir.resolve("mapped").toUri();
    TableSchema schema =
        new TableSchema(
            List.of(
                Column.of("id", BIGINT),
                Column.of("Customer Name", STRING),
                Column.of("region", STRING)));
    DeltaSnapshot created =
        tables.create(
            location,
            schema,
            List.of("region"),
            Map.of("delta.columnMapping.mode", "name"),
            List.of());
    Column id = created.schema().column("id").orElseThrow();
    Column name = created.schema().column("Customer Name").orElseThrow();
    Column region = created.schema().column("region").orElseThrow();
    assertNotEquals("id", id.physicalName());
    assertNotEquals("Customer Name", name.physicalName());

    Path file = dir.resolve("mapped/part-0.parquet");
    duckDb.writeParquet(
        file,
        "SELECT i::BIGINT AS "
            + DuckDbFiles.identifier(id.physicalName())
            + ", 'c' || i AS "
            + DuckDbFiles.identifier(name.physicalName())
            + " FROM range(1, 4) t(i)");
    FileStats stats =
        new FileStats(
            3,
            Map.of("id", 1L, "Customer Name", "c1"),
            Map.of("id", 3L, "Customer Name", "c3"),
            Map.of("id", 0L, "Customer Name", 0L));
    tables.commit(location, append(0, newDataFile(file, Map.of("region", "eu"), stats)));

    DataFile read = tables.latest(location).files().get(0);
    assertEquals(Optional.of(stats), read.stats());
    assertEquals(Map.of("region", "eu"), read.partitionValues());
    String add =
        commitActions(location, 1).stream()
            .filter(a -> a.startsWith("{\"add\""))
            .findFirst()
            .orElseThrow();
    assertTrue(add.contains(id.physicalName()), add);
    assertTrue(add.contains("\"" + region.physicalName() + "\":\"eu\""), add);
    assertFalse(add.contains("Customer Name"), add);
  }

  @Test
  void nullPartitionValueRoundTrips() throws Exception {
    URI location = createSales();
    Map<String, String> nullRegion = new HashMap<>();
    nullRegion.put("region", null);
    NewDataFile file =
        writeSales("region=__HIVE_DEFAULT_PARTITION__/part-0.parquet", nullRegion, 1, 2);

    tables.commit(location, append(0, file));

    DataFile read = tables.latest(location).files().get(0);
    assertTrue(read.partitionValues().containsKey("region"));
    assertNull(read.partitionValues().get("region"));
  }

  @Test
  void tenthCommitWritesACheckpointThatReadsBack() throws Exception {
    URI location = createSales();
    for (int i = 1; i <= 10; i++) {
      tables.commit(
          location, append(i - 1, writeSales("region=eu/part-" + i + ".parquet", "eu", i, i)));
    }

    assertTrue(
        logFiles(location).contains("00000000000000000010.checkpoint.parquet"),
        logFiles(location).toString());
    DeltaSnapshot snapshot = tables.latest(location);
    assertEquals(10, snapshot.version());
    assertEquals(10, snapshot.files().size());
    assertTrue(snapshot.files().stream().allMatch(f -> f.stats().isPresent()));
    assertEquals(SALES, snapshot.schema());
  }

  @Test
  void invalidRequestsWriteNothing() throws Exception {
    URI location = createSales();
    Set<String> logBefore = logFiles(location);
    NewDataFile good = writeSales("region=eu/part-0.parquet", "eu", 1, 2);
    NewDataFile unknownColumn =
        new NewDataFile(
            good.path(),
            good.size(),
            good.modificationTime(),
            good.partitionValues(),
            new FileStats(2, Map.of("nope", 1L), Map.of(), Map.of()));
    NewDataFile wrongType =
        new NewDataFile(
            good.path(),
            good.size(),
            good.modificationTime(),
            good.partitionValues(),
            new FileStats(2, Map.of("id", 1), Map.of(), Map.of()));
    NewDataFile noPartition =
        new NewDataFile(good.path(), good.size(), good.modificationTime(), Map.of(), good.stats());

    for (NewDataFile bad : List.of(unknownColumn, wrongType, noPartition)) {
      assertThrows(
          InvalidCommitRequestException.class, () -> tables.commit(location, append(0, bad)));
    }
    StorageException badProperty =
        assertThrows(
            StorageException.class,
            () ->
                tables.create(
                    dir.resolve("other").toUri(),
                    SALES,
                    List.of(),
                    Map.of("delta.noSuchProperty", "1"),
                    List.of()));
    assertEquals(
        StorageErrorCode.DELTA_CHANGE_REJECTED, badProperty.code(), badProperty.getMessage());
    StorageException badPartition =
        assertThrows(
            StorageException.class,
            () ->
                tables.create(
                    dir.resolve("other").toUri(), SALES, List.of("nope"), Map.of(), List.of()));
    assertEquals(StorageErrorCode.DELTA_CHANGE_REJECTED, badPartition.code());
    assertEquals(logBefore, logFiles(location));
  }

  // ---- helpers --------------------------------------------------------------------------------

  // ---- tables with CHECK constraints: commits written by DeltaLogWriter ----------------------

  @Test
  void checkConstraintUpgradesTheProtocolAndItsCommitsReadBack() throws Exception {
    URI location = createSales();
    tables.commit(location, append(0, writeSales("region=eu/part-0.parquet", "eu", 1, 5)));

    assertEquals(
        2, tables.alter(location, new TableChange.AddCheckConstraint("Positive_Id", "id > 0", 1)));

    List<String> actions = commitActions(location, 2);
    assertTrue(actions.get(0).startsWith("{\"commitInfo\""), actions.toString());
    assertTrue(actions.get(0).contains("\"operation\":\"ADD CONSTRAINT\""), actions.toString());
    assertTrue(actions.get(0).contains("\"expr\":\"id > 0\""), actions.toString());
    assertTrue(
        actions.stream()
            .anyMatch(
                a ->
                    a.startsWith("{\"protocol\"")
                        && a.contains("\"minWriterVersion\":7")
                        && a.contains("\"checkConstraints\"")),
        actions.toString());
    // a legacy protocol goes to writer version 3, as Delta upgrades it
    URI legacy = dir.resolve("legacy").toUri();
    tables.create(
        legacy, new TableSchema(List.of(Column.of("id", BIGINT))), List.of(), Map.of(), List.of());
    tables.alter(legacy, new TableChange.AddCheckConstraint("c", "id > 0", -1));
    assertTrue(
        commitJson(legacy, 1)
            .contains("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":3}}"),
        commitJson(legacy, 1));
    assertEquals("id > 0", tables.properties(location).get("delta.constraints.positive_id"));
    // each version's own properties, also through the cache that keeps them
    assertNull(tables.properties(location, 1).get("delta.constraints.positive_id"));
    CachingDeltaTables cached = new CachingDeltaTables(tables);
    assertEquals("id > 0", cached.properties(location, 2).get("delta.constraints.positive_id"));
    assertNull(cached.properties(location, 1).get("delta.constraints.positive_id"));
    assertTrue(tables.tableFeatures(location).contains("checkConstraints"));
    // Kernel itself refuses to write such a table: why DeltaLogWriter exists.
    io.delta.kernel.engine.Engine engine =
        io.delta.kernel.defaults.engine.DefaultEngine.create(
            new org.apache.hadoop.conf.Configuration());
    assertThrows(
        io.delta.kernel.exceptions.KernelException.class,
        () ->
            io.delta.kernel.TableManager.loadSnapshot(Path.of(location).toString())
                .build(engine)
                .buildUpdateTableTransaction("test", io.delta.kernel.Operation.WRITE)
                .build(engine));

    assertEquals(
        3, tables.commit(location, append(2, writeSales("region=us/part-0.parquet", "us", 6, 8))));
    DeltaSnapshot read = tables.latest(location);
    DataFile eu = byPathInLog(read).get("region=eu/part-0.parquet");
    assertEquals(
        4,
        tables.commit(
            location,
            new CommitRequest(
                3,
                "DELETE",
                Map.of("predicate", "[\"(id > 2)\"]"),
                List.of(writeSales("region=eu/part-1.parquet", "eu", 1, 2)),
                List.of(eu))));

    DeltaSnapshot after = tables.latest(location);
    assertEquals(4, after.version());
    assertEquals(
        Set.of("region=eu/part-1.parquet", "region=us/part-0.parquet"),
        byPathInLog(after).keySet());
    assertEquals(5, liveRows(after));
    // statistics and partition values as Kernel writes them
    String add =
        commitActions(location, 3).stream()
            .filter(a -> a.startsWith("{\"add\""))
            .findFirst()
            .orElseThrow();
    assertTrue(add.contains("\"partitionValues\":{\"region\":\"us\"}"), add);
    assertTrue(add.contains("\\\"numRecords\\\":3"), add);
    assertEquals(
        List.of("DELETE", "WRITE", "ADD CONSTRAINT", "WRITE", "CREATE TABLE"),
        tables.history(location).stream().map(HistoryEntry::operation).toList());
    assertEquals("2", tables.history(location).get(0).operationMetrics().get("numOutputRows"));
    // an earlier version still reads (time travel over Aquifer's commits)
    assertEquals(8, liveRows(tables.atVersion(location, 3)));

    assertEquals(5, tables.alter(location, new TableChange.DropCheckConstraint("positive_id")));
    assertNull(tables.properties(location).get("delta.constraints.positive_id"));
    assertTrue(tables.tableFeatures(location).contains("checkConstraints"));
    assertEquals("true", tables.history(location).get(0).operationParameters().get("existed"));
    assertEquals(
        6, tables.commit(location, append(5, writeSales("region=us/part-1.parquet", "us", 9, 9))));
    assertEquals(6, liveRows(tables.latest(location)));
  }

  @Test
  void checkConstraintTablesKeepKernelsConflictRules() throws Exception {
    URI location = createSales();
    tables.commit(
        location,
        append(
            0,
            writeSales("region=eu/part-0.parquet", "eu", 1, 5),
            writeSales("region=us/part-0.parquet", "us", 6, 8)));
    tables.alter(location, new TableChange.AddCheckConstraint("c", "id > 0", -1));
    // a stale ADD CONSTRAINT (its check read version 1) conflicts
    StorageException stale =
        assertThrows(
            StorageException.class,
            () -> tables.alter(location, new TableChange.AddCheckConstraint("d", "id < 99", 1)));
    assertEquals(StorageErrorCode.DELTA_COMMIT_CONFLICT, stale.code());

    DeltaSnapshot read = tables.latest(location);
    DataFile eu = byPathInLog(read).get("region=eu/part-0.parquet");
    DataFile us = byPathInLog(read).get("region=us/part-0.parquet");
    assertEquals(
        3,
        tables.commit(
            location,
            new CommitRequest(
                2,
                "DELETE",
                Map.of(),
                List.of(writeSales("region=eu/part-1.parquet", "eu", 1, 1)),
                List.of(eu))));
    Set<String> logBefore = logFiles(location);
    // the same file removed again from version 2: conflict, nothing written
    StorageException twice =
        assertThrows(
            StorageException.class,
            () ->
                tables.commit(
                    location,
                    new CommitRequest(
                        2,
                        "UPDATE",
                        Map.of(),
                        List.of(writeSales("region=eu/part-2.parquet", "eu", 2, 2)),
                        List.of(eu))));
    assertEquals(StorageErrorCode.DELTA_COMMIT_CONFLICT, twice.code());
    assertEquals(logBefore, logFiles(location));
    // rows read from version 2 of the table itself: conflict
    StorageException readsTable =
        assertThrows(
            StorageException.class,
            () ->
                tables.commit(
                    location,
                    new CommitRequest(
                        2,
                        "WRITE",
                        Map.of(),
                        List.of(writeSales("region=eu/part-3.parquet", "eu", 3, 3)),
                        List.of(),
                        true)));
    assertEquals(StorageErrorCode.DELTA_COMMIT_CONFLICT, readsTable.code());
    // a disjoint remove and a blind append from version 2 are rebased
    assertEquals(
        4,
        tables.commit(location, new CommitRequest(2, "DELETE", Map.of(), List.of(), List.of(us))));
    assertEquals(
        5, tables.commit(location, append(2, writeSales("region=us/part-5.parquet", "us", 5, 5))));

    // concurrent blind appends from separate instances all land, each at its own version
    List<NewDataFile> files = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      files.add(writeSales("region=eu/part-c" + i + ".parquet", "eu", 10 + i, 10 + i));
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<Long>> versions = new java.util.ArrayList<>();
      for (NewDataFile file : files) {
        versions.add(pool.submit(() -> new KernelDeltaTables().commit(location, append(5, file))));
      }
      Set<Long> committed = new TreeSet<>();
      for (var version : versions) {
        committed.add(version.get());
      }
      assertEquals(Set.of(6L, 7L, 8L, 9L, 10L, 11L), committed);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1 + 1 + 6, liveRows(tables.latest(location)));
  }

  private URI createSales() {
    URI location = dir.resolve("sales").toUri();
    tables.create(location, SALES, List.of("region"), Map.of(), List.of());
    return location;
  }

  private static CommitRequest append(long readVersion, NewDataFile... files) {
    return new CommitRequest(
        readVersion, "WRITE", Map.of("mode", "Append"), List.of(files), List.of());
  }

  private NewDataFile writeSales(String relativePath, String region, int from, int to)
      throws Exception {
    return writeSales(relativePath, Map.of("region", region), from, to);
  }

  /** Writes ids from..to with DuckDB and returns the file with its exact statistics. */
  private NewDataFile writeSales(
      String relativePath, Map<String, String> partition, int from, int to) throws Exception {
    Path file = dir.resolve("sales").resolve(relativePath);
    Files.createDirectories(file.getParent());
    duckDb.writeParquet(
        file,
        "SELECT i::BIGINT AS id, 'name-' || i AS name, (i * 1.25)::DECIMAL(10,2) AS amount,"
            + " DATE '2024-01-01' + i::INTEGER AS day,"
            + " epoch_ms("
            + EPOCH_2024.toEpochMilli()
            + " + i * 1007)::TIMESTAMPTZ AS ts,"
            + " epoch_ms("
            + EPOCH_2024.toEpochMilli()
            + " + i * 1007) AS ts_ntz,"
            + " i / 4.0 AS score"
            + " FROM range("
            + from
            + ", "
            + (to + 1)
            + ") t(i)");
    List<Integer> ids = IntStream.rangeClosed(from, to).boxed().toList();
    TreeSet<String> names =
        ids.stream().map(i -> "name-" + i).collect(Collectors.toCollection(TreeSet::new));
    Map<String, Object> min =
        Map.of(
            "id", (long) from,
            "name", names.first(),
            "amount", amount(from),
            "day", LocalDate.of(2024, 1, 1).plusDays(from),
            "ts", ts(from),
            "ts_ntz", LocalDateTime.ofInstant(ts(from), ZoneOffset.UTC),
            "score", from / 4.0);
    Map<String, Object> max =
        Map.of(
            "id", (long) to,
            "name", names.last(),
            "amount", amount(to),
            "day", LocalDate.of(2024, 1, 1).plusDays(to),
            "ts", ts(to),
            "ts_ntz", LocalDateTime.ofInstant(ts(to), ZoneOffset.UTC),
            "score", to / 4.0);
    Map<String, Long> nulls =
        Stream.of("id", "name", "amount", "day", "ts", "ts_ntz", "score")
            .collect(Collectors.toMap(c -> c, c -> 0L));
    return newDataFile(file, partition, new FileStats(ids.size(), min, max, nulls));
  }

  private static BigDecimal amount(int i) {
    return new BigDecimal("1.25").multiply(BigDecimal.valueOf(i)).setScale(2);
  }

  private static Instant ts(int i) {
    return EPOCH_2024.plusMillis(i * 1007L);
  }

  private static NewDataFile newDataFile(Path file, Map<String, String> partition, FileStats stats)
      throws IOException {
    return new NewDataFile(
        file.toUri(),
        Files.size(file),
        Files.getLastModifiedTime(file).toMillis(),
        partition,
        stats);
  }

  private long liveRows(DeltaSnapshot snapshot) throws Exception {
    long rows = 0;
    for (DataFile file : snapshot.files()) {
      rows += duckDb.count(file.path()) - file.deletedRowPositions().length;
    }
    return rows;
  }

  private static Map<String, DataFile> byPathInLog(DeltaSnapshot snapshot) {
    return snapshot.files().stream().collect(Collectors.toMap(DataFile::pathInLog, f -> f));
  }

  private static Path commitFile(URI location, long version) {
    return Path.of(location).resolve("_delta_log").resolve(String.format("%020d.json", version));
  }

  private static String commitJson(URI location, long version) throws IOException {
    return Files.readString(commitFile(location, version));
  }

  private static List<String> commitActions(URI location, long version) throws IOException {
    return commitJson(location, version).lines().filter(l -> !l.isBlank()).toList();
  }

  private static Set<String> logFiles(URI location) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(location).resolve("_delta_log"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
          target.toFile().setWritable(true);
        }
      }
    }
  }
}
