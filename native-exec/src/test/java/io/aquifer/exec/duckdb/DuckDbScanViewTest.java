package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.TestParquet;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans as temporary views over real Parquet files: types, partitions, deletes, renames. */
class DuckDbScanViewTest {
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

  private static ScanColumn column(String name, DataType type) {
    return new ScanColumn(name, name, type, false);
  }

  private static ScanColumn partition(String name, DataType type) {
    return new ScanColumn(name, name, type, true);
  }

  private static ScanFile file(String uri) {
    return new ScanFile(uri, Map.of(), new long[0]);
  }

  private static Path dataFile(String name) throws Exception {
    Path file = fixture.dataDirectory.resolve(name);
    Files.createDirectories(file.getParent());
    return file;
  }

  @Test
  void csvFilesAreReadByHeaderNameOrByPositionAndCastToTheColumnTypes() throws Exception {
    Path a = dataFile("csv/a.csv");
    Files.writeString(a, "name;id\n\"x; \"\"y\"\"\";1\nz;2\n");
    Path b = dataFile("csv/b.csv");
    Files.writeString(b, "id;name;extra\n3;w;ignored\n");
    List<ScanColumn> columns =
        List.of(
            column("id", PrimitiveType.BIGINT),
            column("name", PrimitiveType.STRING),
            column("missing", PrimitiveType.DATE));
    ScanSpec byName =
        new ScanSpec(
            "c",
            columns,
            List.of(file(a.toUri().toString()), file(b.toUri().toString())),
            io.aquifer.exec.SourceFormat.csv(true, ';'));
    assertEquals(
        List.of(
            Arrays.asList(1L, "x; \"y\"", null),
            Arrays.asList(2L, "z", null),
            Arrays.asList(3L, "w", null)),
        fixture.rows("SELECT * FROM c ORDER BY id", byName));

    Path plain = dataFile("csv/plain.csv");
    Files.writeString(plain, "7,seven,2024-02-29\n");
    ScanSpec byPosition =
        new ScanSpec(
            "p",
            columns,
            List.of(file(plain.toUri().toString())),
            io.aquifer.exec.SourceFormat.csv(false, ','));
    List<Object> row =
        fixture.rows("SELECT id, name, CAST(missing AS VARCHAR) FROM p", byPosition).get(0);
    assertEquals(Arrays.asList(7L, "seven", "2024-02-29"), row);

    Path bad = dataFile("csv/bad.csv");
    Files.writeString(bad, "id;name\nnot-a-number;x\n");
    ScanSpec failing =
        new ScanSpec(
            "f",
            columns.subList(0, 2),
            List.of(file(bad.toUri().toString())),
            io.aquifer.exec.SourceFormat.csv(true, ';'));
    assertThrows(Exception.class, () -> fixture.rows("SELECT * FROM f", failing));
  }

  @Test
  void badRecordModesQuotesAndJsonLines() throws Exception {
    List<ScanColumn> columns =
        List.of(column("id", PrimitiveType.BIGINT), column("name", PrimitiveType.STRING));
    Path bad = dataFile("modes/bad.csv");
    Files.writeString(bad, "id,name\n1,a\nx2,b\n3,c\n");
    String uri = bad.toUri().toString();
    ScanSpec failFast =
        new ScanSpec(
            "ff",
            columns,
            List.of(file(uri)),
            io.aquifer.exec.SourceFormat.csv(
                true, ',', '"', '"', io.aquifer.exec.SourceFormat.Mode.FAILFAST));
    Exception e = assertThrows(Exception.class, () -> fixture.rows("SELECT * FROM ff", failFast));
    assertTrue(e.getMessage().contains("bad.csv line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("'x2' of column id"), e.getMessage());
    ScanSpec drop =
        new ScanSpec(
            "dm",
            columns,
            List.of(file(uri)),
            io.aquifer.exec.SourceFormat.csv(
                true, ',', '"', '"', io.aquifer.exec.SourceFormat.Mode.DROPMALFORMED));
    assertEquals(
        List.of(Arrays.asList(1L, "a"), Arrays.asList(3L, "c")),
        fixture.rows("SELECT * FROM dm ORDER BY id", drop));
    ScanSpec permissive =
        new ScanSpec(
            "pm",
            columns,
            List.of(file(uri)),
            io.aquifer.exec.SourceFormat.csv(
                true, ',', '"', '"', io.aquifer.exec.SourceFormat.Mode.PERMISSIVE));
    assertEquals(
        List.of(Arrays.asList(1L, "a"), Arrays.asList(3L, "c"), Arrays.asList(null, "b")),
        fixture.rows("SELECT * FROM pm ORDER BY id NULLS LAST", permissive));

    Path quoted = dataFile("modes/quoted.csv");
    Files.writeString(quoted, "id|name\n5|'it\\'s|here'\n");
    ScanSpec quotes =
        new ScanSpec(
            "q",
            columns,
            List.of(file(quoted.toUri().toString())),
            io.aquifer.exec.SourceFormat.csv(
                true, '|', '\'', '\\', io.aquifer.exec.SourceFormat.Mode.FAILFAST));
    assertEquals(List.of(Arrays.asList(5L, "it's|here")), fixture.rows("SELECT * FROM q", quotes));

    Path lines = dataFile("modes/people.json");
    Files.writeString(lines, "{\"name\": \"Ada\", \"id\": 1}\n{\"id\": 2}\n");
    ScanSpec json =
        new ScanSpec(
            "j",
            columns,
            List.of(file(lines.toUri().toString())),
            io.aquifer.exec.SourceFormat.json(false, io.aquifer.exec.SourceFormat.Mode.FAILFAST));
    assertEquals(
        List.of(Arrays.asList(1L, "Ada"), Arrays.asList(2L, null)),
        fixture.rows("SELECT * FROM j ORDER BY id", json));
    Path array = dataFile("modes/array.json");
    Files.writeString(array, "[\n  {\"id\": 7,\n   \"name\": \"x\"},\n  {\"id\": 8}\n]\n");
    ScanSpec multiLine =
        new ScanSpec(
            "m",
            columns,
            List.of(file(array.toUri().toString())),
            io.aquifer.exec.SourceFormat.json(true, io.aquifer.exec.SourceFormat.Mode.FAILFAST));
    assertEquals(
        List.of(Arrays.asList(7L, "x"), Arrays.asList(8L, null)),
        fixture.rows("SELECT * FROM m ORDER BY id", multiLine));
  }

  @Test
  void csvValuesBeyondTheColumnsAreRescuedOrMakeTheRowMalformed() throws Exception {
    ScanColumn rescued =
        new ScanColumn(
            "_rescued_data",
            io.aquifer.exec.SourceFormat.RESCUED_DATA_COLUMN,
            PrimitiveType.STRING,
            false);
    List<ScanColumn> plain =
        List.of(column("id", PrimitiveType.BIGINT), column("name", PrimitiveType.STRING));
    List<ScanColumn> withRescued = new java.util.ArrayList<>(plain);
    withRescued.add(rescued);
    Path noHeader = dataFile("extras/wide.csv");
    Files.writeString(noHeader, "1,a\n2,b,x,y\n3\n");
    String uri = noHeader.toUri().toString();
    io.aquifer.exec.SourceFormat permissive =
        io.aquifer.exec.SourceFormat.csv(
            false, ',', '"', '"', io.aquifer.exec.SourceFormat.Mode.PERMISSIVE);
    List<List<Object>> rows =
        fixture.rows(
            "SELECT * FROM w ORDER BY id",
            new ScanSpec("w", withRescued, List.of(file(uri)), permissive));
    assertEquals(3, rows.size(), rows.toString());
    assertEquals(Arrays.asList(1L, "a", null), rows.get(0));
    assertEquals(2L, rows.get(1).get(0));
    assertTrue(
        String.valueOf(rows.get(1).get(2))
            .startsWith("{\"_c2\":\"x\",\"_c3\":\"y\",\"_file_path\":"),
        rows.toString());
    assertEquals(Arrays.asList(3L, null, null), rows.get(2));
    // Without a rescued data column PERMISSIVE keeps the row and drops the extra values.
    assertEquals(
        List.of(Arrays.asList(1L, "a"), Arrays.asList(2L, "b"), Arrays.asList(3L, null)),
        fixture.rows(
            "SELECT * FROM p ORDER BY id",
            new ScanSpec("p", plain, List.of(file(uri)), permissive)));
    io.aquifer.exec.SourceFormat drop =
        io.aquifer.exec.SourceFormat.csv(
            false, ',', '"', '"', io.aquifer.exec.SourceFormat.Mode.DROPMALFORMED);
    assertEquals(
        List.of(Arrays.asList(1L, "a"), Arrays.asList(3L, null)),
        fixture.rows(
            "SELECT * FROM d ORDER BY id", new ScanSpec("d", plain, List.of(file(uri)), drop)));
    assertEquals(
        List.of(Arrays.asList(1L, "a", null), Arrays.asList(3L, null, null)),
        fixture.rows(
            "SELECT * FROM dr ORDER BY id",
            new ScanSpec("dr", withRescued, List.of(file(uri)), drop)));
    io.aquifer.exec.SourceFormat failFast =
        io.aquifer.exec.SourceFormat.csv(
            false, ',', '"', '"', io.aquifer.exec.SourceFormat.Mode.FAILFAST);
    assertThrows(
        Exception.class,
        () ->
            fixture.rows(
                "SELECT * FROM f", new ScanSpec("f", plain, List.of(file(uri)), failFast)));

    Path header = dataFile("extras/header.csv");
    Files.writeString(header, "id,name\n1,a\n2,b,z\n");
    List<List<Object>> named =
        fixture.rows(
            "SELECT * FROM h ORDER BY id",
            new ScanSpec(
                "h",
                withRescued,
                List.of(file(header.toUri().toString())),
                io.aquifer.exec.SourceFormat.csv(
                    true, ',', '"', '"', io.aquifer.exec.SourceFormat.Mode.PERMISSIVE)));
    assertEquals(Arrays.asList(1L, "a", null), named.get(0));
    assertTrue(
        String.valueOf(named.get(1).get(2)).startsWith("{\"_c2\":\"z\",\"_file_path\":"),
        named.toString());
  }

  @Test
  void aHeaderColumnNamedLikeTheEnginesNamesForExtraValuesIsKept() throws Exception {
    Path file = dataFile("extras/column1.csv");
    Files.writeString(file, "a,column1,b\n1,2,3\n4,5,6,7\n");
    String uri = file.toUri().toString();
    io.aquifer.exec.SourceFormat permissive =
        io.aquifer.exec.SourceFormat.csv(
            true, ',', '"', '"', io.aquifer.exec.SourceFormat.Mode.PERMISSIVE);
    Schema inferred =
        fixture.schema(
            "SELECT * FROM i",
            new ScanSpec("i", List.of(), List.of(file(uri)), permissive.inferring()));
    assertEquals(
        List.of("a", "column1", "b"),
        inferred.getFields().stream().map(f -> f.getName()).toList(),
        inferred.toString());
    List<ScanColumn> columns =
        List.of(
            column("a", PrimitiveType.BIGINT),
            column("column1", PrimitiveType.BIGINT),
            column("b", PrimitiveType.BIGINT),
            new ScanColumn(
                "_rescued_data",
                io.aquifer.exec.SourceFormat.RESCUED_DATA_COLUMN,
                PrimitiveType.STRING,
                false));
    List<List<Object>> rows =
        fixture.rows(
            "SELECT * FROM c ORDER BY a",
            new ScanSpec("c", columns, List.of(file(uri)), permissive));
    assertEquals(Arrays.asList(1L, 2L, 3L, null), rows.get(0), rows.toString());
    assertEquals(Arrays.asList(4L, 5L, 6L), rows.get(1).subList(0, 3), rows.toString());
    assertTrue(
        String.valueOf(rows.get(1).get(3)).startsWith("{\"_c3\":\"7\",\"_file_path\":"),
        rows.toString());
    // A header column named so that is no column of the scan is left out, not rescued.
    List<List<Object>> without =
        fixture.rows(
            "SELECT * FROM c2 ORDER BY a",
            new ScanSpec(
                "c2",
                List.of(columns.get(0), columns.get(2), columns.get(3)),
                List.of(file(uri)),
                permissive));
    assertEquals(Arrays.asList(1L, 3L, null), without.get(0), without.toString());
    assertTrue(
        String.valueOf(without.get(1).get(2)).startsWith("{\"_c3\":\"7\",\"_file_path\":"),
        without.toString());
  }

  @Test
  void everyTypeRoundTripsWithItsArrowType() throws Exception {
    String uri =
        TestParquet.write(
            dataFile("types/part-0.parquet"),
            "SELECT true AS b, 1::TINYINT AS i1, 2::SMALLINT AS i2, 3::INTEGER AS i4,"
                + " 4::BIGINT AS i8, 1.5::FLOAT AS f4, 2.25::DOUBLE AS f8,"
                + " 12.34::DECIMAL(10,2) AS d, 'héllo' AS s, '\\xAA\\xBB'::BLOB AS bin,"
                + " DATE '2024-02-29' AS dt, TIMESTAMPTZ '2024-01-01 12:00:00.123456+00' AS ts,"
                + " TIMESTAMP '2024-01-01 12:00:00' AS ntz, [1, NULL, 3] AS arr,"
                + " MAP(['a'], [1]) AS m, {'x': 7, 'y': 'z'} AS st");
    StructType struct =
        new StructType(
            List.of(Column.of("x", PrimitiveType.INT), Column.of("y", PrimitiveType.STRING)));
    ScanSpec scan =
        new ScanSpec(
            "t",
            List.of(
                column("b", PrimitiveType.BOOLEAN),
                column("i1", PrimitiveType.TINYINT),
                column("i2", PrimitiveType.SMALLINT),
                column("i4", PrimitiveType.INT),
                column("i8", PrimitiveType.BIGINT),
                column("f4", PrimitiveType.FLOAT),
                column("f8", PrimitiveType.DOUBLE),
                column("d", new DecimalType(10, 2)),
                column("s", PrimitiveType.STRING),
                column("bin", PrimitiveType.BINARY),
                column("dt", PrimitiveType.DATE),
                column("ts", PrimitiveType.TIMESTAMP),
                column("ntz", PrimitiveType.TIMESTAMP_NTZ),
                column("arr", new ArrayType(PrimitiveType.INT, true)),
                column("m", new MapType(PrimitiveType.STRING, PrimitiveType.INT, true)),
                column("st", struct)),
            List.of(file(uri)));

    Schema schema = fixture.schema("SELECT * FROM t", scan);
    assertEquals(ArrowType.Bool.INSTANCE, schema.getFields().get(0).getType());
    assertEquals(new ArrowType.Int(8, true), schema.getFields().get(1).getType());
    assertEquals(new ArrowType.Int(16, true), schema.getFields().get(2).getType());
    assertEquals(new ArrowType.Int(32, true), schema.getFields().get(3).getType());
    assertEquals(new ArrowType.Int(64, true), schema.getFields().get(4).getType());
    assertEquals(
        new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE),
        schema.getFields().get(5).getType());
    assertEquals(new ArrowType.Decimal(10, 2, 128), schema.getFields().get(7).getType());
    assertEquals(ArrowType.Utf8.INSTANCE, schema.getFields().get(8).getType());
    assertEquals(ArrowType.Binary.INSTANCE, schema.getFields().get(9).getType());
    assertEquals(new ArrowType.Date(DateUnit.DAY), schema.getFields().get(10).getType());
    ArrowType.Timestamp ts = (ArrowType.Timestamp) schema.getFields().get(11).getType();
    assertEquals(TimeUnit.MICROSECOND, ts.getUnit());
    assertEquals("UTC", ts.getTimezone());
    assertEquals(
        new ArrowType.Timestamp(TimeUnit.MICROSECOND, null), schema.getFields().get(12).getType());
    assertEquals(
        ArrowType.List.INSTANCE.getTypeID(), schema.getFields().get(13).getType().getTypeID());
    assertEquals(ArrowType.ArrowTypeID.Map, schema.getFields().get(14).getType().getTypeID());
    assertEquals(ArrowType.ArrowTypeID.Struct, schema.getFields().get(15).getType().getTypeID());

    List<Object> row = fixture.rows("SELECT * FROM t", scan).get(0);
    assertEquals(true, row.get(0));
    assertEquals((byte) 1, row.get(1));
    assertEquals((short) 2, row.get(2));
    assertEquals(3, row.get(3));
    assertEquals(4L, row.get(4));
    assertEquals(1.5f, row.get(5));
    assertEquals(2.25d, row.get(6));
    assertEquals(new BigDecimal("12.34"), row.get(7));
    assertEquals("héllo", row.get(8));
    assertArrayEquals(new byte[] {(byte) 0xAA, (byte) 0xBB}, (byte[]) row.get(9));
    assertEquals((int) java.time.LocalDate.of(2024, 2, 29).toEpochDay(), row.get(10));
    assertEquals(1_704_110_400_123_456L, row.get(11));
    assertEquals(LocalDateTime.of(2024, 1, 1, 12, 0), row.get(12));
    assertEquals(Arrays.asList(1, null, 3), row.get(13));
    assertEquals(List.of(Map.of("key", "a", "value", 1)), row.get(14));
    assertEquals(Map.of("x", 7, "y", "z"), row.get(15));
  }

  @Test
  void castsFileTypesToTheColumnTypes() throws Exception {
    String uri =
        TestParquet.write(
            dataFile("widen/part-0.parquet"),
            "SELECT 5::INTEGER AS n, 1.5::FLOAT AS f, TIMESTAMP '2024-01-01 00:00:00' AS ts");
    ScanSpec scan =
        new ScanSpec(
            "w",
            List.of(
                column("n", PrimitiveType.BIGINT),
                column("f", PrimitiveType.DOUBLE),
                column("ts", PrimitiveType.TIMESTAMP)),
            List.of(file(uri)));
    assertEquals(
        List.of(List.of(5L, 1.5d, 1_704_067_200_000_000L)), fixture.rows("SELECT * FROM w", scan));
  }

  @Test
  void partitionColumnsComeFromTheFilesPartitionValues() throws Exception {
    String eu =
        TestParquet.write(dataFile("p/region=EU/a.parquet"), "SELECT 1 AS id UNION ALL SELECT 2");
    String eu2 = TestParquet.write(dataFile("p/region=EU/b.parquet"), "SELECT 3 AS id");
    String none = TestParquet.write(dataFile("p/region=null/c.parquet"), "SELECT 4 AS id");
    Map<String, String> euValues =
        Map.of(
            "region", "EU",
            "day", "2024-01-31",
            "bucket", "7",
            "at", "2024-01-31 10:00:00",
            "amount", "1.50",
            "flag", "true");
    Map<String, String> nullValues = new HashMap<>();
    nullValues.put("region", null);
    nullValues.put("day", "");
    nullValues.put("bucket", null);
    nullValues.put("at", null);
    nullValues.put("amount", null);
    nullValues.put("flag", null);
    ScanSpec scan =
        new ScanSpec(
            "p",
            List.of(
                column("id", PrimitiveType.INT),
                partition("region", PrimitiveType.STRING),
                partition("day", PrimitiveType.DATE),
                partition("bucket", PrimitiveType.INT),
                partition("at", PrimitiveType.TIMESTAMP),
                partition("amount", new DecimalType(5, 2)),
                partition("flag", PrimitiveType.BOOLEAN)),
            List.of(
                new ScanFile(eu, euValues, new long[0]),
                new ScanFile(eu2, euValues, new long[0]),
                new ScanFile(none, nullValues, new long[0])));

    List<List<Object>> rows =
        fixture.rows(
            "SELECT id, region, CAST(day AS VARCHAR), bucket, epoch_us(\"at\"), amount, flag"
                + " FROM p ORDER BY id",
            scan);
    List<Object> expectedEu =
        List.of("EU", "2024-01-31", 7, 1_706_695_200_000_000L, new BigDecimal("1.50"), true);
    for (int i = 0; i < 3; i++) {
      assertEquals(i + 1, rows.get(i).get(0));
      assertEquals(expectedEu, rows.get(i).subList(1, 7));
    }
    assertEquals(Arrays.asList(4, null, null, null, null, null, null), rows.get(3));
    assertEquals(
        List.of(List.of("EU", 3L)),
        fixture.rows("SELECT region, count(*) FROM p WHERE region = 'EU' GROUP BY region", scan));
  }

  @Test
  void deletedRowPositionsAreSkipped() throws Exception {
    String first =
        TestParquet.write(dataFile("del/a.parquet"), "SELECT range AS id FROM range(10)");
    String second =
        TestParquet.write(dataFile("del/b.parquet"), "SELECT range + 100 AS id FROM range(3)");
    ScanSpec scan =
        new ScanSpec(
            "d",
            List.of(column("id", PrimitiveType.BIGINT)),
            List.of(
                new ScanFile(first, Map.of(), new long[] {0, 3, 9}),
                new ScanFile(second, Map.of(), new long[0])));
    List<Object> ids =
        fixture.rows("SELECT id FROM d ORDER BY id", scan).stream().map(r -> r.get(0)).toList();
    assertEquals(List.of(1L, 2L, 4L, 5L, 6L, 7L, 8L, 100L, 101L, 102L), ids);
  }

  @Test
  void columnMappingReadsPhysicalNamesAndShowsLogicalOnes() throws Exception {
    String uri =
        TestParquet.write(
            dataFile("mapped/part-0.parquet"),
            "SELECT 1 AS \"col-a1\", {'col-f1': 'ann', 'col-f2': 30} AS \"col-b2\","
                + " [{'col-f3': 5}] AS \"col-c3\", MAP([1], [{'col-f4': 'v'}]) AS \"col-d4\"");
    StructType person =
        new StructType(
            List.of(
                new Column("name", PrimitiveType.STRING, true, "col-f1", Optional.empty()),
                new Column("age", PrimitiveType.BIGINT, true, "col-f2", Optional.empty())));
    StructType item =
        new StructType(
            List.of(new Column("qty", PrimitiveType.INT, true, "col-f3", Optional.empty())));
    StructType label =
        new StructType(
            List.of(new Column("text", PrimitiveType.STRING, true, "col-f4", Optional.empty())));
    ScanSpec scan =
        new ScanSpec(
            "m",
            List.of(
                new ScanColumn("id", "col-a1", PrimitiveType.INT, false),
                new ScanColumn("person", "col-b2", person, false),
                new ScanColumn("items", "col-c3", new ArrayType(item, true), false),
                new ScanColumn(
                    "labels", "col-d4", new MapType(PrimitiveType.INT, label, true), false)),
            List.of(file(uri)));
    List<List<Object>> rows =
        fixture.rows(
            "SELECT id, person.name, person.age, items[1].qty, labels[1].text, person FROM m",
            scan);
    assertEquals(List.of(List.of(1, "ann", 30L, 5, "v", Map.of("name", "ann", "age", 30L))), rows);
  }

  @Test
  void columnsAddedAfterAFileWasWrittenReadAsNull() throws Exception {
    String old =
        TestParquet.write(dataFile("added/old.parquet"), "SELECT 1 AS \"id\", 'a' AS \"col-n\"");
    String newer =
        TestParquet.write(
            dataFile("added/new.parquet"),
            "SELECT 2 AS \"id\", 'b' AS \"col-n\", 7::BIGINT AS \"col-p\"");
    ScanColumn id = new ScanColumn("id", "id", PrimitiveType.INT, false);
    ScanColumn label = new ScanColumn("label", "col-n", PrimitiveType.STRING, false);
    ScanColumn price = new ScanColumn("price", "col-p", PrimitiveType.BIGINT, false);
    ScanColumn tag = new ScanColumn("tag", "col-t", PrimitiveType.TIMESTAMP, false);
    ScanSpec both =
        new ScanSpec("a1", List.of(id, label, price, tag), List.of(file(old), file(newer)));
    assertEquals(
        java.util.Arrays.asList(
            java.util.Arrays.asList(1, "a", null, null), java.util.Arrays.asList(2, "b", 7L, null)),
        fixture.rows("SELECT id, label, price, tag FROM a1 ORDER BY id", both));
    String stamped =
        TestParquet.write(
            dataFile("added/stamped.parquet"),
            "SELECT 3 AS \"id\", TIMESTAMPTZ '2024-01-01 12:00:00+00' AS \"col-t\"");
    assertEquals(
        List.of(java.util.Arrays.asList(3, 1_704_110_400_000_000L)),
        fixture.rows(
            "SELECT id, tag FROM a4",
            new ScanSpec("a4", List.of(id, tag), List.of(file(stamped)))));
    ScanSpec oldOnly = new ScanSpec("a2", List.of(id, price), List.of(file(old)));
    assertEquals(
        List.of(java.util.Arrays.asList(1, null)),
        fixture.rows("SELECT id, price FROM a2", oldOnly));
    ScanSpec withDeletes =
        new ScanSpec(
            "a3", List.of(id, price), List.of(new ScanFile(old, Map.of(), new long[] {5})));
    assertEquals(
        List.of(java.util.Arrays.asList(1, null)),
        fixture.rows("SELECT id, price FROM a3", withDeletes));
  }

  @Test
  void anEmptyFileListIsAnEmptyTypedRelation() throws Exception {
    ScanSpec scan =
        new ScanSpec(
            "e",
            List.of(
                column("n", PrimitiveType.INT),
                column("s", PrimitiveType.STRING),
                partition("d", new DecimalType(12, 3))),
            List.of());
    assertEquals(List.of(), fixture.rows("SELECT * FROM e", scan));
    Schema schema = fixture.schema("SELECT * FROM e", scan);
    assertEquals(new ArrowType.Int(32, true), schema.getFields().get(0).getType());
    assertEquals(ArrowType.Utf8.INSTANCE, schema.getFields().get(1).getType());
    assertEquals(new ArrowType.Decimal(12, 3, 128), schema.getFields().get(2).getType());
    assertEquals(List.of(List.of(0L)), fixture.rows("SELECT count(*) FROM e", scan));
  }

  @Test
  void aScanWithoutColumnsStillCountsRows() throws Exception {
    String uri =
        TestParquet.write(dataFile("count/a.parquet"), "SELECT range AS id FROM range(42)");
    ScanSpec scan = new ScanSpec("c", List.of(), List.of(file(uri)));
    assertEquals(List.of(List.of(42L)), fixture.rows("SELECT count(*) FROM c", scan));
  }

  @Test
  void namesAndPathsAreQuoted() throws Exception {
    String uri =
        TestParquet.write(dataFile("it's \"odd\"/part 0.parquet"), "SELECT 1 AS \"we\"\"ird col\"");
    ScanSpec scan =
        new ScanSpec(
            "rel \"x\"",
            List.of(new ScanColumn("log'ical", "we\"ird col", PrimitiveType.INT, false)),
            List.of(file(uri)));
    assertEquals(
        List.of(List.of(1)), fixture.rows("SELECT \"log'ical\" FROM \"rel \"\"x\"\"\"", scan));
  }

  @Test
  void aMissingDataFileIsReportedAsSuch() {
    ScanSpec scan =
        new ScanSpec(
            "gone",
            List.of(column("id", PrimitiveType.INT)),
            List.of(file(fixture.dataDirectory.resolve("gone/part-0.parquet").toUri().toString())));
    ExecException e =
        assertThrows(ExecException.class, () -> fixture.rows("SELECT * FROM gone", scan));
    assertEquals(ExecErrorCode.DATA_FILE_NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("part-0.parquet"), e.getMessage());
    assertFalse(e.getMessage().contains("LINE"), e.getMessage());
  }
}
