package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.WriteFragment;
import io.aquifer.storage.delta.FileStats;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import io.aquifer.storage.types.TableSchema;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes Parquet files for DML: statistics, roll-over, and no trace when a write fails. */
class DuckDbParquetWriterTest {
  @TempDir static Path root;
  static DuckDbEngineFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new DuckDbEngineFixture(root);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Path newTable() throws Exception {
    return Files.createDirectories(fixture.dataDirectory.resolve("t-" + UUID.randomUUID()));
  }

  private static WriteFragment write(Path table, String sql, long fileRows, Column... columns) {
    return new WriteFragment(
        new QueryFragment(UUID.randomUUID().toString(), sql, List.of()),
        table.toUri(),
        new TableSchema(List.of(columns)),
        fileRows);
  }

  private static Column mapped(String name, String physical, DataType type) {
    return new Column(name, type, true, physical, Optional.empty());
  }

  private static List<Path> filesBelow(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(dir)).toList();
    }
  }

  /**
   * A partitioned write: one file per combination of values, in Spark-escaped Hive directories
   * named by physical column, partition values as Delta serializes them, no partition column in the
   * file, statistics of the other columns only.
   */
  @Test
  void writesPartitionedFilesIntoHiveDirectories() throws Exception {
    Path table = newTable();
    String sql =
        "SELECT * FROM (VALUES (1, 'a', TIMESTAMPTZ '2024-01-01 10:30:00.5+00'),"
            + " (2, 'a', TIMESTAMPTZ '2024-01-01 10:30:00.5+00'), (3, 'x/y=%z', NULL),"
            + " (4, '', NULL)) t(id, kind, ts)";
    List<NewDataFile> files =
        fixture.engine.write(
            new WriteFragment(
                new QueryFragment(UUID.randomUUID().toString(), sql, List.of()),
                table.toUri(),
                new TableSchema(
                    List.of(
                        Column.of("id", PrimitiveType.INT),
                        mapped("kind", "col-k", PrimitiveType.STRING),
                        Column.of("at", PrimitiveType.TIMESTAMP))),
                1_000_000,
                List.of("kind", "at")));
    Map<Map<String, String>, NewDataFile> byValues = new java.util.HashMap<>();
    files.forEach(f -> byValues.put(f.partitionValues(), f));
    assertEquals(3, files.size(), files.toString());
    Map<String, String> a = new java.util.LinkedHashMap<>();
    a.put("kind", "a");
    a.put("at", "2024-01-01 10:30:00.500000");
    Map<String, String> escaped = new java.util.LinkedHashMap<>();
    escaped.put("kind", "x/y=%z");
    escaped.put("at", null);
    Map<String, String> nulls = new java.util.LinkedHashMap<>();
    nulls.put("kind", null);
    nulls.put("at", null);
    assertEquals(
        table.resolve("col-k=a").resolve("at=2024-01-01 10%3A30%3A00.500000"),
        Paths.get(byValues.get(a).path()).getParent());
    assertEquals(2, byValues.get(a).stats().numRecords());
    assertEquals(
        table.resolve("col-k=x%2Fy%3D%25z").resolve("at=__HIVE_DEFAULT_PARTITION__"),
        Paths.get(byValues.get(escaped).path()).getParent());
    assertEquals(
        table.resolve("col-k=__HIVE_DEFAULT_PARTITION__").resolve("at=__HIVE_DEFAULT_PARTITION__"),
        Paths.get(byValues.get(nulls).path()).getParent(),
        "an empty string is NULL, as Spark writes it");
    assertEquals(java.util.Set.of("id"), byValues.get(a).stats().minValues().keySet());
    try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT string_agg(name, ',' ORDER BY name) FROM parquet_schema('"
                    + Paths.get(byValues.get(a).path())
                    + "') WHERE name <> 'duckdb_schema'")) {
      rs.next();
      assertEquals("id", rs.getString(1), "partition columns are not in the file");
    }
    assertEquals(
        List.of(),
        filesBelow(table).stream()
            .filter(p -> p.toString().contains("_aquifer_staging_"))
            .toList());
  }

  @Test
  void writesOneFileWithDeltaStatistics() throws Exception {
    Path table = newTable();
    String sql =
        "SELECT range::INTEGER AS id,"
            + " CASE WHEN range % 10 = 0 THEN NULL ELSE 'name-' || range END AS name,"
            + " (range / 4)::DECIMAL(10,2) AS amount, range % 2 = 0 AS even,"
            + " DATE '2024-01-01' + range::INTEGER AS day,"
            + " TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(range) AS at,"
            + " TIMESTAMP '2024-01-01 00:00:00' + to_seconds(range) AS local_at,"
            + " range::TINYINT AS small, range::DOUBLE / 2 AS half, 1.5::FLOAT AS f,"
            + " [range] AS tags, '\\xAA'::BLOB AS raw"
            + " FROM range(100)";
    List<NewDataFile> files =
        fixture.engine.write(
            write(
                table,
                sql,
                1_000_000,
                mapped("id", "col-1", PrimitiveType.INT),
                mapped("name", "col-2", PrimitiveType.STRING),
                Column.of("amount", new DecimalType(10, 2)),
                Column.of("even", PrimitiveType.BOOLEAN),
                Column.of("day", PrimitiveType.DATE),
                Column.of("at", PrimitiveType.TIMESTAMP),
                Column.of("local_at", PrimitiveType.TIMESTAMP_NTZ),
                Column.of("small", PrimitiveType.TINYINT),
                Column.of("half", PrimitiveType.DOUBLE),
                Column.of("f", PrimitiveType.FLOAT),
                Column.of("tags", new ArrayType(PrimitiveType.BIGINT, true)),
                Column.of("raw", PrimitiveType.BINARY)));

    assertEquals(1, files.size());
    NewDataFile file = files.get(0);
    Path path = Paths.get(file.path());
    assertEquals(table, path.getParent());
    assertTrue(
        path.getFileName().toString().matches("part-[0-9a-f-]{36}\\.parquet"), path.toString());
    assertEquals(Files.size(path), file.size());
    assertEquals(Files.getLastModifiedTime(path).toMillis(), file.modificationTime());
    assertEquals(Map.of(), file.partitionValues());
    assertEquals(List.of(path), filesBelow(table), "only the data file is left");

    FileStats stats = file.stats();
    assertEquals(100, stats.numRecords());
    assertEquals(0, stats.minValues().get("id"));
    assertEquals(99, stats.maxValues().get("id"));
    assertEquals("name-1", stats.minValues().get("name"));
    assertEquals("name-99", stats.maxValues().get("name"));
    assertEquals(10L, stats.nullCounts().get("name"));
    assertEquals(0L, stats.nullCounts().get("id"));
    assertEquals(new BigDecimal("0.00"), stats.minValues().get("amount"));
    assertEquals(new BigDecimal("24.75"), stats.maxValues().get("amount"));
    assertEquals(false, stats.minValues().get("even"));
    assertEquals(true, stats.maxValues().get("even"));
    assertEquals(LocalDate.of(2024, 1, 1), stats.minValues().get("day"));
    assertEquals(LocalDate.of(2024, 4, 9), stats.maxValues().get("day"));
    assertEquals(Instant.parse("2024-01-01T00:01:39Z"), stats.maxValues().get("at"));
    assertEquals(LocalDateTime.of(2024, 1, 1, 0, 0), stats.minValues().get("local_at"));
    assertEquals((byte) 99, stats.maxValues().get("small"));
    assertEquals(49.5d, stats.maxValues().get("half"));
    assertEquals(1.5f, stats.minValues().get("f"));
    assertFalse(stats.minValues().containsKey("tags"), "no stats for nested columns");
    assertFalse(stats.minValues().containsKey("raw"), "no min/max for binary");
    assertEquals(0L, stats.nullCounts().get("raw"));

    ScanSpec scan =
        new ScanSpec(
            "written",
            List.of(
                new ScanColumn("id", "col-1", PrimitiveType.INT, false),
                new ScanColumn("name", "col-2", PrimitiveType.STRING, false)),
            List.of(new ScanFile(file.path().toString(), Map.of(), new long[0])));
    assertEquals(
        List.of(List.of(100L, 4950L, 90L)),
        fixture.rows("SELECT count(*), sum(id)::BIGINT, count(name) FROM written", scan));
  }

  @Test
  void nestedFieldsAreWrittenWithPhysicalNames() throws Exception {
    Path table = newTable();
    StructType person = new StructType(List.of(mapped("name", "col-f1", PrimitiveType.STRING)));
    List<NewDataFile> files =
        fixture.engine.write(
            write(table, "SELECT {'name': 'ann'} AS p", 1000, mapped("person", "col-p", person)));
    Object physical =
        io.aquifer.exec.TestParquet.queryValue(
            "SELECT \"col-p\".\"col-f1\" FROM read_parquet('"
                + Paths.get(files.get(0).path())
                + "')");
    assertEquals("ann", physical);
  }

  @Test
  void rollsOverToANewFileEveryTargetFileRows() throws Exception {
    Path table = newTable();
    List<NewDataFile> files =
        fixture.engine.write(
            write(
                table,
                "SELECT range AS id FROM range(25000)",
                10_000,
                Column.of("id", PrimitiveType.BIGINT)));
    assertTrue(files.size() >= 3, "files: " + files.size());
    assertEquals(25_000, files.stream().mapToLong(f -> f.stats().numRecords()).sum());
    assertEquals(files.size(), filesBelow(table).size());
  }

  @Test
  void writingZeroRowsReturnsNoFile() throws Exception {
    Path table = newTable();
    List<NewDataFile> files =
        fixture.engine.write(
            write(
                table,
                "SELECT range AS id FROM range(0)",
                1000,
                Column.of("id", PrimitiveType.BIGINT)));
    assertEquals(List.of(), files);
    assertEquals(List.of(), filesBelow(table));
  }

  @Test
  void aFailedWriteLeavesNoFiles() throws Exception {
    Path table = newTable();
    ExecException e =
        assertThrows(
            ExecException.class,
            () ->
                fixture.engine.write(
                    write(
                        table,
                        "SELECT CASE WHEN range = 150000 THEN 'oops' ELSE range::VARCHAR END AS id"
                            + " FROM range(200000)",
                        10_000,
                        Column.of("id", PrimitiveType.INT))));
    assertEquals(ExecErrorCode.CAST_INVALID_INPUT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("oops"), e.getMessage());
    assertEquals(List.of(), filesBelow(table));
  }

  @Test
  void aNullInANotNullColumnFailsTheWrite() throws Exception {
    Path table = newTable();
    Column id = new Column("id", PrimitiveType.INT, false, "id", Optional.empty());
    ExecException e =
        assertThrows(
            ExecException.class,
            () ->
                fixture.engine.write(
                    write(table, "SELECT NULLIF(range, 5)::INTEGER FROM range(10)", 1000, id)));
    assertEquals(ExecErrorCode.NOT_NULL_VIOLATION, e.code());
    assertEquals("NOT NULL constraint violated for column: id.", e.getMessage());
    assertEquals("DELTA_NOT_NULL_CONSTRAINT_VIOLATED", e.code().errorClass());
    assertEquals(List.of(), filesBelow(table));
  }

  @Test
  void aCanceledWriteLeavesNoFiles() throws Exception {
    Path table = newTable();
    WriteFragment fragment =
        write(
            table,
            "SELECT range AS id, md5(range::VARCHAR) AS h FROM range(2000000000)",
            50_000,
            Column.of("id", PrimitiveType.BIGINT),
            Column.of("h", PrimitiveType.STRING));
    CompletableFuture<ExecException> failure =
        CompletableFuture.supplyAsync(
            () -> assertThrows(ExecException.class, () -> fixture.engine.write(fragment)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (countParquet(table) < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(countParquet(table) >= 2, "the write produced files before the cancel");
    fixture.engine.cancel(fragment.query().queryId());
    ExecException e = failure.get(30, TimeUnit.SECONDS);
    assertEquals(ExecErrorCode.QUERY_CANCELED, e.code(), e.getMessage());
    assertEquals(List.of(), filesBelow(table));
    assertEquals(0, fixture.engine.runningQueries());
  }

  @Test
  void onlyASelectMayFeedAWrite() throws Exception {
    Path table = newTable();
    ExecException e =
        assertThrows(
            ExecException.class,
            () ->
                fixture.engine.write(
                    write(
                        table,
                        "ATTACH ':memory:' AS x",
                        1000,
                        Column.of("id", PrimitiveType.INT))));
    assertEquals(ExecErrorCode.ACCESS_DENIED, e.code());
    assertEquals(List.of(), filesBelow(table));
  }

  private static long countParquet(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }
}
