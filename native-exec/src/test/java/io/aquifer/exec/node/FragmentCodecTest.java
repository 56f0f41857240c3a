package io.aquifer.exec.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import io.aquifer.storage.types.TableSchema;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FragmentCodecTest {
  private final FragmentCodec codec = new FragmentCodec();

  private static final StructType NESTED =
      new StructType(
          List.of(
              new Column("name", PrimitiveType.STRING, false, "col-1", Optional.of("the name")),
              Column.of("tags", new ArrayType(PrimitiveType.STRING, false)),
              Column.of(
                  "attrs", new MapType(PrimitiveType.STRING, new DecimalType(38, 10), true))));

  @Test
  void queryFragmentsRoundTripWithEveryType() {
    Map<String, String> partitions = new HashMap<>();
    partitions.put("day", "2024-01-01");
    partitions.put("region", null);
    List<ScanColumn> columns = new java.util.ArrayList<>();
    for (PrimitiveType p : PrimitiveType.values()) {
      columns.add(new ScanColumn("c_" + p.name(), "phys_" + p.name(), p, false));
    }
    columns.add(new ScanColumn("nested", "col-n", NESTED, false));
    columns.add(new ScanColumn("day", "day", PrimitiveType.DATE, true));
    QueryFragment fragment =
        new QueryFragment(
            "q-1",
            "SELECT * FROM \"t\" WHERE x = 'it''s'",
            List.of(
                new ScanSpec(
                    "t",
                    columns,
                    List.of(
                        new ScanFile(
                            "file:/data/t/part-0.parquet", partitions, new long[] {1, 5})))));

    QueryFragment back = codec.decodeQuery(codec.encode(fragment));
    assertEquals(fragment.queryId(), back.queryId());
    assertEquals(fragment.engineSql(), back.engineSql());
    ScanSpec scan = back.scans().get(0);
    assertEquals(fragment.scans().get(0).columns(), scan.columns());
    assertEquals(partitions, scan.files().get(0).partitionValues());
    assertArrayEquals(new long[] {1, 5}, scan.files().get(0).deletedRowPositions());
    assertEquals(false, back.profile());
    assertEquals(true, codec.decodeQuery(codec.encode(fragment.forProfile())).profile());
  }

  @Test
  void fileSourceFormatsRoundTripWithTheirOptionsAndFiles() {
    io.aquifer.exec.SourceFormat format =
        new io.aquifer.exec.SourceFormat(
            io.aquifer.exec.SourceFormat.Kind.CSV,
            io.aquifer.exec.SourceFormat.Mode.DROPMALFORMED,
            true,
            new io.aquifer.exec.SourceFormat.TextOptions(
                true, ';', '\'', '\\', false, false, "%d/%m/%Y", null, "latin-1", null),
            new io.aquifer.exec.SourceFormat.FileList(
                List.of("/Volumes/c/s/v/a.csv"), List.of(42L), List.of(1_700_000_000_000L)));
    QueryFragment fragment =
        new QueryFragment(
            "q-2",
            "SELECT 1",
            List.of(
                new ScanSpec(
                    "t",
                    List.of(),
                    List.of(new ScanFile("file:/v/a.csv", Map.of(), new long[0])),
                    format)));

    assertEquals(format, codec.decodeQuery(codec.encode(fragment)).scans().get(0).format());
  }

  @Test
  void writeFragmentsRoundTrip() {
    WriteFragment write =
        new WriteFragment(
            new QueryFragment("w-1", "SELECT 1", List.of()),
            URI.create("file:///data/orders"),
            new TableSchema(List.of(Column.of("n", NESTED), Column.of("id", PrimitiveType.BIGINT))),
            1_000_000,
            List.of("id"));
    assertEquals(write, codec.decodeWrite(codec.encode(write)));
    assertEquals(write.targetSchema(), codec.decodeWrite(codec.encode(write)).targetSchema());
    assertEquals(write.targetDirectory(), codec.decodeWrite(codec.encode(write)).targetDirectory());
  }

  @Test
  void statisticsKeepTheirJavaTypes() {
    Map<String, Object> values = new HashMap<>();
    values.put("b", true);
    values.put("i1", (byte) 1);
    values.put("i2", (short) 2);
    values.put("i4", 3);
    values.put("i8", 4L);
    values.put("f4", 1.1f);
    values.put("f8", 2.2d);
    values.put("d", new BigDecimal("12.340"));
    values.put("s", "it's \"quoted\"");
    values.put("dt", LocalDate.of(2024, 2, 29));
    values.put("ts", Instant.parse("2024-01-01T12:00:00.123456Z"));
    values.put("ntz", LocalDateTime.of(2024, 1, 1, 12, 0, 0, 123_456_000));
    NewDataFile file =
        new NewDataFile(
            URI.create("file:///data/t/part-1.parquet"),
            1234,
            1_700_000_000_000L,
            Map.of("day", "2024-01-01"),
            new FileStats(10, values, values, Map.of("s", 2L)));
    List<NewDataFile> back = codec.decodeFiles(codec.encodeFiles(List.of(file)));
    assertEquals(List.of(file), back);
    back.get(0)
        .stats()
        .minValues()
        .forEach((k, v) -> assertEquals(values.get(k).getClass(), v.getClass(), k));
  }

  @Test
  void malformedJsonIsAnInvalidRequest() {
    for (String json :
        Arrays.asList(
            "{",
            "{\"queryId\": \"q\"}",
            "{\"queryId\": \"q\", \"engineSql\": \"x\", \"scans\": [{\"relationName\": \"t\", \"columns\": [{\"name\": \"c\", \"physicalName\": \"c\", \"type\": \"NOPE\"}], \"files\": []}]}")) {
      ExecException e =
          assertThrows(
              ExecException.class, () -> codec.decodeQuery(json.getBytes(StandardCharsets.UTF_8)));
      assertEquals(ExecErrorCode.INVALID_REQUEST, e.code(), json);
    }
  }
}
