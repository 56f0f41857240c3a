package io.aquifer.storage.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads the Delta golden tables of delta-io/delta and delta-kernel-rs and checks each snapshot
 * against the rows in {@code expected/}, counted independently with DuckDB.
 */
class GoldenTablesTest {
  /**
   * One golden table and what reading it must give.
   *
   * @param expectedRows row count when the table has no {@code expected/} folder
   * @param keyColumn a column whose live values are compared with {@code expected/} (checks that
   *     deletion vectors remove the right rows)
   */
  record Golden(
      String name,
      List<String> partitionColumns,
      boolean deletionVectors,
      boolean columnMapping,
      Optional<Long> expectedRows,
      Optional<String> keyColumn,
      Optional<StorageErrorCode> error) {
    static Golden readable(String name) {
      return new Golden(
          name, List.of(), false, false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Golden failing(String name, StorageErrorCode error) {
      return new Golden(
          name, List.of(), false, false, Optional.empty(), Optional.empty(), Optional.of(error));
    }

    Golden partitionedBy(String... columns) {
      return new Golden(
          name, List.of(columns), deletionVectors, columnMapping, expectedRows, keyColumn, error);
    }

    Golden withDeletionVectors(String keyColumn) {
      return new Golden(
          name, partitionColumns, true, columnMapping, expectedRows, Optional.of(keyColumn), error);
    }

    Golden withColumnMapping() {
      return new Golden(
          name, partitionColumns, deletionVectors, true, expectedRows, keyColumn, error);
    }

    Golden withRows(long rows) {
      return new Golden(
          name,
          partitionColumns,
          deletionVectors,
          columnMapping,
          Optional.of(rows),
          keyColumn,
          error);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Golden> tables() {
    return Stream.of(
        Golden.readable("dv-with-columnmapping")
            .partitionedBy("part")
            .withDeletionVectors("col1")
            .withColumnMapping(),
        Golden.readable("dv-partitioned-with-checkpoint")
            .partitionedBy("part")
            .withDeletionVectors("col1"),
        Golden.readable("basic-dv-no-checkpoint").withDeletionVectors("id").withRows(8),
        Golden.readable("table-with-columnmapping-mode-name").withColumnMapping(),
        Golden.readable("multi-part-checkpoint"),
        Golden.readable("basic-with-inserts-deletes-checkpoint"),
        Golden.readable("snapshot-data2-deleted"),
        Golden.readable("time-travel-start-start20-start40"),
        Golden.readable("data-reader-primitives"),
        Golden.readable("basic-decimal-table").partitionedBy("part"),
        Golden.readable("type-widening").withRows(2),
        Golden.failing(
            "deltalog-invalid-protocol-version", StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL),
        Golden.failing("versions-not-contiguous", StorageErrorCode.DELTA_LOG_CORRUPT));
  }

  private static DuckDbFiles duckDb;
  private final KernelDeltaTables tables = new KernelDeltaTables();

  @BeforeAll
  static void startDuckDb() throws Exception {
    duckDb = new DuckDbFiles();
  }

  @AfterAll
  static void stopDuckDb() throws Exception {
    duckDb.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void readsGoldenTable(Golden golden) throws Exception {
    Path dir = TestFixtures.deltaGolden(golden.name());
    URI location = dir.resolve("delta").toUri();

    if (golden.error().isPresent()) {
      StorageException e = assertThrows(StorageException.class, () -> tables.latest(location));
      assertEquals(golden.error().get(), e.code(), e.getMessage());
      assertTrue(
          e.getMessage().contains(dir.resolve("delta").toString()),
          "message names the table: " + e.getMessage());
      return;
    }

    DeltaSnapshot snapshot = tables.latest(location);
    assertEquals(golden.partitionColumns(), snapshot.partitionColumns());
    assertFalse(snapshot.files().isEmpty());

    Optional<String> expected = expectedGlob(dir);
    if (expected.isPresent()) {
      Map<String, String> expectedColumns = duckDb.describe(expected.get());
      Map<String, String> actualColumns = new LinkedHashMap<>();
      for (Column column : snapshot.schema().columns()) {
        actualColumns.put(column.name(), DuckDbFiles.duckDbType(column.type()));
      }
      assertEquals(expectedColumns, actualColumns, "schema of " + golden.name());
    }

    long liveRows = 0;
    for (DataFile file : snapshot.files()) {
      assertTrue(Files.isRegularFile(Path.of(file.path())), "file exists: " + file.path());
      assertEquals(Files.size(Path.of(file.path())), file.size(), "size of " + file.pathInLog());
      assertEquals(
          Set.copyOf(golden.partitionColumns()),
          file.partitionValues().keySet(),
          "partition values of " + file.pathInLog());
      long physicalRows = duckDb.count(file.path());
      if (file.stats().isPresent()) {
        assertEquals(physicalRows, file.stats().get().numRecords(), "numRecords " + file.path());
        Set<String> logicalNames =
            snapshot.schema().columns().stream().map(Column::name).collect(Collectors.toSet());
        assertTrue(
            logicalNames.containsAll(file.stats().get().nullCounts().keySet()),
            "stats keyed by logical name: " + file.stats().get());
      }
      long[] deleted = file.deletedRowPositions();
      for (int i = 1; i < deleted.length; i++) {
        assertTrue(deleted[i - 1] < deleted[i], "deleted positions sorted and distinct");
      }
      liveRows += physicalRows - deleted.length;
    }

    long expectedRows =
        golden.expectedRows().isPresent()
            ? golden.expectedRows().get()
            : duckDb.count(expected.orElseThrow());
    assertEquals(expectedRows, liveRows, "live rows of " + golden.name());

    if (golden.deletionVectors()) {
      assertTrue(snapshot.files().stream().anyMatch(DataFile::hasDeletionVector));
      String key = golden.keyColumn().orElseThrow();
      String physicalKey = snapshot.schema().column(key).orElseThrow().physicalName();
      List<String> live = new ArrayList<>();
      for (DataFile file : snapshot.files()) {
        live.addAll(duckDb.columnValues(file.path(), physicalKey, file.deletedRowPositions()));
      }
      List<String> wanted =
          expected.isPresent()
              ? duckDb.columnValues(expected.get(), key)
              : LongStream.rangeClosed(2, 9).mapToObj(Long::toString).collect(Collectors.toList());
      Collections.sort(live);
      Collections.sort(wanted);
      assertEquals(wanted, live, "rows left after deletion vectors");
    }

    if (golden.columnMapping()) {
      Map<String, String> fileColumns =
          duckDb.describe(DuckDbFiles.literal(Path.of(snapshot.files().get(0).path()).toString()));
      for (Column column : snapshot.schema().columns()) {
        assertNotEquals(column.name(), column.physicalName());
        if (!golden.partitionColumns().contains(column.name())) {
          assertTrue(
              fileColumns.containsKey(column.physicalName()),
              "data file holds " + column.physicalName());
        }
      }
    }
  }

  @Test
  void readsOlderVersionsOfTimeTravelTable() throws Exception {
    URI location =
        TestFixtures.deltaGolden("time-travel-start-start20-start40").resolve("delta").toUri();
    List<Long> rowsPerVersion = new ArrayList<>();
    List<Set<String>> filesPerVersion = new ArrayList<>();
    for (long version = 0; version <= 2; version++) {
      DeltaSnapshot snapshot = tables.atVersion(location, version);
      assertEquals(version, snapshot.version());
      long rows = 0;
      for (DataFile file : snapshot.files()) {
        rows += duckDb.count(file.path());
      }
      rowsPerVersion.add(rows);
      filesPerVersion.add(
          snapshot.files().stream().map(DataFile::pathInLog).collect(Collectors.toSet()));
    }
    assertEquals(List.of(10L, 20L, 30L), rowsPerVersion);
    assertTrue(filesPerVersion.get(1).containsAll(filesPerVersion.get(0)));
    assertTrue(filesPerVersion.get(2).containsAll(filesPerVersion.get(1)));

    StorageException e = assertThrows(StorageException.class, () -> tables.atVersion(location, 3));
    assertEquals(StorageErrorCode.DELTA_VERSION_NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("0 to 2"), e.getMessage());
  }

  @Test
  void historyOfGoldenTableIsNewestFirst() {
    URI location =
        TestFixtures.deltaGolden("basic-with-inserts-deletes-checkpoint").resolve("delta").toUri();
    List<HistoryEntry> history = tables.history(location);
    assertEquals(14, history.size());
    for (int i = 0; i < history.size(); i++) {
      assertEquals(13 - i, history.get(i).version());
    }
    assertEquals("DELETE", history.get(0).operation());
    assertTrue(history.get(0).operationParameters().containsKey("predicate"));
    assertEquals("1", history.get(0).operationMetrics().get("numAddedFiles"));
  }

  @Test
  void statisticsFollowTypeWidening() {
    URI location = TestFixtures.deltaGolden("type-widening").resolve("delta").toUri();
    DeltaSnapshot snapshot = tables.latest(location);
    for (DataFile file : snapshot.files()) {
      FileStats stats = file.stats().orElseThrow();
      // Values are of the current (wider) type, whatever type the file was written with.
      assertTrue(stats.minValues().get("byte_long") instanceof Long, stats.toString());
      assertTrue(stats.minValues().get("int_decimal") instanceof java.math.BigDecimal);
      assertTrue(stats.minValues().get("date_timestamp_ntz") instanceof java.time.LocalDateTime);
      // A float's statistic is no bound for the widened double value: left out.
      assertFalse(stats.minValues().containsKey("float_double"));
      assertFalse(stats.maxValues().containsKey("float_double"));
      assertEquals(0L, stats.nullCounts().get("float_double"));
    }
    FileStats old =
        snapshot.files().stream()
            .filter(f -> f.pathInLog().contains("1045efe0"))
            .findFirst()
            .orElseThrow()
            .stats()
            .orElseThrow();
    assertEquals(
        java.time.LocalDateTime.of(2024, 9, 9, 0, 0), old.minValues().get("date_timestamp_ntz"));
    assertEquals(
        new java.math.BigDecimal("67.89000"), old.minValues().get("decimal_decimal_greater_scale"));
  }

  private static Optional<String> expectedGlob(Path dir) throws Exception {
    Path expected = dir.resolve("expected");
    if (!Files.isDirectory(expected)) {
      return Optional.empty();
    }
    return Optional.of(DuckDbFiles.literal(expected + "/**/*.parquet"));
  }
}
