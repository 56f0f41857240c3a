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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.StructType;
import io.aquifer.storage.types.TableSchema;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Delta stats JSON as Spark, Kernel and Aquifer write it, read into typed values. */
class DeltaStatsJsonTest {
  private static final TableLocation TABLE = TableLocation.of(URI.create("file:/tmp/t"));
  private static final TableSchema SCHEMA =
      new TableSchema(
          List.of(
              Column.of("flag", BOOLEAN),
              Column.of("tiny", TINYINT),
              Column.of("small", SMALLINT),
              Column.of("num", INT),
              Column.of("big", BIGINT),
              Column.of("real", FLOAT),
              Column.of("dbl", DOUBLE),
              Column.of("price", new DecimalType(6, 2)),
              Column.of("text", STRING),
              Column.of("bytes", BINARY),
              Column.of("day", DATE),
              Column.of("ts", TIMESTAMP),
              Column.of("ts_ntz", TIMESTAMP_NTZ),
              new Column("renamed", INT, true, "col-5", Optional.empty()),
              Column.of("nested", new StructType(List.of(Column.of("a", INT)))),
              Column.of("part", STRING)));

  private final DeltaStatsParser parser = new DeltaStatsParser(TABLE, SCHEMA, Set.of());

  @Test
  void readsTimestampsInEveryOffsetSpelling() {
    FileStats stats =
        parse(
            "{\"numRecords\":2,\"minValues\":{\"ts\":\"2021-09-08T11:11:11.000-07:00\","
                + "\"ts_ntz\":\"2021-09-08T11:11:11\"},"
                + "\"maxValues\":{\"ts\":\"2021-09-08T11:11:11.5+0530\",\"ts_ntz\":\"2021-09-08T11:11:11.123\"}}");
    assertEquals(Instant.parse("2021-09-08T18:11:11Z"), stats.minValues().get("ts"));
    assertEquals(Instant.parse("2021-09-08T05:41:11.500Z"), stats.maxValues().get("ts"));
    assertEquals(LocalDateTime.parse("2021-09-08T11:11:11"), stats.minValues().get("ts_ntz"));
    assertEquals(LocalDateTime.parse("2021-09-08T11:11:11.123"), stats.maxValues().get("ts_ntz"));
    assertEquals(
        Instant.parse("2024-01-01T00:00:00.123Z"),
        parse("{\"numRecords\":1,\"minValues\":{\"ts\":\"2024-01-01T00:00:00.123Z\"}}")
            .minValues()
            .get("ts"));
  }

  @Test
  void keepsOnlyValuesThatFitTheColumnType() {
    FileStats stats =
        parse(
            "{\"numRecords\":5,\"minValues\":{\"tiny\":300,\"small\":-7,\"num\":\"x\","
                + "\"real\":\"NaN\",\"dbl\":\"-Infinity\",\"price\":12345.678,\"text\":\"abc\","
                + "\"bytes\":\"AAE=\",\"day\":\"not a date\",\"col-5\":9,\"renamed\":1,"
                + "\"nested\":{\"a\":1},\"unknown\":4,\"big\":null},"
                + "\"maxValues\":{\"price\":-1.005,\"day\":\"2024-02-29\"},"
                + "\"nullCount\":{\"nested\":{\"a\":0},\"num\":2,\"col-5\":1}}");
    Map<String, Object> min = stats.minValues();
    assertFalse(min.containsKey("tiny"), "300 is no TINYINT");
    assertEquals((short) -7, min.get("small"));
    assertFalse(min.containsKey("num"));
    assertTrue(Float.isNaN((Float) min.get("real")));
    assertEquals(Double.NEGATIVE_INFINITY, min.get("dbl"));
    // 12345.67 needs 7 digits: no DECIMAL(6,2) value, so no bound.
    assertFalse(min.containsKey("price"));
    assertEquals(new BigDecimal("-1.00"), stats.maxValues().get("price"), "max rounds up");
    assertEquals("abc", min.get("text"));
    assertFalse(min.containsKey("bytes"));
    assertFalse(min.containsKey("day"));
    assertEquals(LocalDate.of(2024, 2, 29), stats.maxValues().get("day"));
    assertEquals(9, min.get("renamed"), "keyed by physical name in the log, logical in FileStats");
    assertFalse(min.containsKey("nested"));
    assertFalse(min.containsKey("big"));
    assertEquals(Map.of("num", 2L, "renamed", 1L), stats.nullCounts());
  }

  @Test
  void minRoundsDecimalsDown() {
    FileStats stats = parse("{\"numRecords\":1,\"minValues\":{\"price\":-1.005}}");
    assertEquals(new BigDecimal("-1.01"), stats.minValues().get("price"));
  }

  @Test
  void statsWithoutNumRecordsAreNoStats() {
    assertEquals(Optional.empty(), parser.parse("{\"minValues\":{\"num\":1}}", "f.parquet"));
  }

  @Test
  void malformedStatsAreALogCorruption() {
    StorageException e =
        assertThrows(StorageException.class, () -> parser.parse("{\"numRecords\":", "f.parquet"));
    assertEquals(StorageErrorCode.DELTA_LOG_CORRUPT, e.code());
    assertTrue(e.getMessage().contains("file:/tmp/t") && e.getMessage().contains("f.parquet"));
  }

  @Test
  void writtenStatsReadBackEqual() {
    Map<String, Object> min = new LinkedHashMap<>();
    min.put("flag", false);
    min.put("tiny", (byte) -3);
    min.put("small", (short) 300);
    min.put("num", Integer.MIN_VALUE);
    min.put("big", Long.MAX_VALUE);
    min.put("real", 3.4f);
    min.put("dbl", Double.NaN);
    min.put("price", new BigDecimal("-9999.99"));
    min.put("text", "ünï \"quoted\"");
    min.put("day", LocalDate.of(1969, 12, 31));
    min.put("ts", Instant.parse("1969-12-31T23:59:59.999Z"));
    min.put("ts_ntz", LocalDateTime.parse("2024-05-06T07:08:09.010"));
    min.put("renamed", 5);
    Map<String, Object> max =
        Map.of("real", Float.POSITIVE_INFINITY, "price", new BigDecimal("1.00"));
    FileStats stats = new FileStats(7, min, max, Map.of("num", 3L, "nested", 0L, "renamed", 1L));

    String json = new DeltaStatsSerializer(SCHEMA, List.of("part")).toJson(stats);

    assertTrue(json.contains("\"col-5\":5"), json);
    assertTrue(json.contains("\"ts\":\"1969-12-31T23:59:59.999Z\""), json);
    assertTrue(json.contains("\"price\":-9999.99"), json);
    assertEquals(stats, parser.parse(json, "f.parquet").orElseThrow());
  }

  @Test
  void writtenTimestampsAreTruncatedToMillisecondsAsDeltaDoes() {
    FileStats stats =
        new FileStats(
            1,
            Map.of(
                "ts", Instant.parse("2024-01-01T00:00:00.123999Z"),
                "ts_ntz", LocalDateTime.parse("2024-01-01T00:00:00.000999")),
            Map.of(),
            Map.of());
    String json = new DeltaStatsSerializer(SCHEMA, List.of()).toJson(stats);
    assertTrue(json.contains("\"ts\":\"2024-01-01T00:00:00.123Z\""), json);
    assertTrue(json.contains("\"ts_ntz\":\"2024-01-01T00:00:00.000\""), json);
  }

  @Test
  void partitionColumnStatisticsAreNotWritten() {
    String json =
        new DeltaStatsSerializer(SCHEMA, List.of("part"))
            .toJson(new FileStats(1, Map.of("part", "a"), Map.of("part", "a"), Map.of("part", 0L)));
    assertFalse(json.contains("part"), json);
  }

  @Test
  void widenedFloatColumnsHaveNoMinMax() {
    DeltaStatsParser widened = new DeltaStatsParser(TABLE, SCHEMA, Set.of("dbl"));
    FileStats stats =
        widened
            .parse(
                "{\"numRecords\":1,\"minValues\":{\"dbl\":3.4},\"maxValues\":{\"dbl\":3.4},\"nullCount\":{\"dbl\":0}}",
                "f.parquet")
            .orElseThrow();
    assertEquals(Map.of(), stats.minValues());
    assertEquals(Map.of(), stats.maxValues());
    assertEquals(Map.of("dbl", 0L), stats.nullCounts());
  }

  private FileStats parse(String json) {
    return parser.parse(json, "f.parquet").orElseThrow();
  }
}
