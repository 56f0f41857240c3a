package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro files, written here by the Avro library, read with {@code read_files} and loaded with {@code
 * COPY INTO ... FILEFORMAT = AVRO} through the Arrow Flight SQL JDBC driver.
 */
class AvroIngestEndToEndTest {
  @TempDir Path dataDirectory;

  private static final Schema DECIMAL =
      LogicalTypes.decimal(10, 2).addToSchema(Schema.create(Schema.Type.BYTES));
  private static final Schema DATE =
      LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
  private static final Schema TS_MILLIS =
      LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
  private static final Schema TS_MICROS =
      LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));

  private static final Schema ADDRESS =
      SchemaBuilder.record("address")
          .fields()
          .requiredString("city")
          .optionalInt("zip")
          .endRecord();

  private static final Schema EVENT =
      SchemaBuilder.record("event")
          .fields()
          .requiredLong("id")
          .optionalString("name")
          .name("kind")
          .type()
          .enumeration("kind")
          .symbols("CLICK", "VIEW")
          .noDefault()
          .name("tags")
          .type()
          .array()
          .items()
          .stringType()
          .noDefault()
          .name("scores")
          .type()
          .map()
          .values()
          .intType()
          .noDefault()
          .name("address")
          .type()
          .optional()
          .type(ADDRESS)
          .name("price")
          .type(DECIMAL)
          .noDefault()
          .name("day")
          .type(DATE)
          .noDefault()
          .name("at_ms")
          .type(TS_MILLIS)
          .noDefault()
          .name("at_us")
          .type(TS_MICROS)
          .noDefault()
          .name("ratio")
          .type()
          .doubleType()
          .noDefault()
          .name("ok")
          .type()
          .booleanType()
          .noDefault()
          .endRecord();

  @Test
  void readsAndLoadsAvroFilesOnceAndRefusesABadFile() throws Exception {
    Path dir = dataDirectory.resolve("external").resolve("events");
    Files.createDirectories(dir);
    write(dir.resolve("a.avro"), List.of(event(1, "one", 0), event(2, null, 1)));
    write(dir.resolve("b.avro"), List.of(event(3, "three", 0)));
    try (RunningServer server = RunningServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      // read_files: the schema from the files' own, in Databricks' types.
      s.execute("CREATE SCHEMA c");
      s.execute("CREATE TABLE c.inferred AS SELECT * FROM read_files('" + dir + "')");
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE TABLE c.inferred")) {
        while (rs.next()) {
          columns.add(rs.getString(1) + " " + rs.getString(2));
        }
      }
      assertEquals(
          List.of(
              "id BIGINT",
              "name STRING",
              "kind STRING",
              "tags ARRAY<STRING>",
              "scores MAP<STRING, INT>",
              "address STRUCT<city: STRING, zip: INT>",
              "price DECIMAL(10,2)",
              "day DATE",
              "at_ms TIMESTAMP",
              "at_us TIMESTAMP",
              "ratio DOUBLE",
              "ok BOOLEAN"),
          columns);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, name, kind, tags[0], scores['x'], r.address.city, r.address.zip,"
                  + " price, CAST(day AS STRING), CAST(at_ms AS STRING), CAST(at_us AS STRING),"
                  + " ratio, ok, r._metadata.file_name"
                  + " FROM read_files('"
                  + dir
                  + "', format => 'avro') AS r ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
        assertEquals("one", rs.getString(2));
        assertEquals("CLICK", rs.getString(3));
        assertEquals("t1", rs.getString(4));
        assertEquals(1, rs.getInt(5));
        assertEquals("Oslo", rs.getString(6));
        assertEquals(1000, rs.getInt(7));
        assertEquals(new BigDecimal("12.34"), rs.getBigDecimal(8));
        assertEquals("2026-01-02", rs.getString(9));
        assertEquals("2026-01-02 03:04:05.678", rs.getString(10));
        assertEquals("2026-01-02 03:04:05.678901", rs.getString(11));
        assertEquals(0.5, rs.getDouble(12));
        assertTrue(rs.getBoolean(13));
        assertEquals("a.avro", rs.getString(14));
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
        assertEquals(null, rs.getString(2));
        assertEquals("VIEW", rs.getString(3));
        assertEquals(null, rs.getString(6), "a null record");
        assertTrue(rs.next());
        assertEquals("b.avro", rs.getString(14));
        assertFalse(rs.next());
      }

      // COPY INTO twice: the second skips the files loaded by the first.
      s.execute(
          "CREATE TABLE c.events (id BIGINT, name STRING, price DECIMAL(10,2), day DATE,"
              + " tags ARRAY<STRING>, address STRUCT<city: STRING, zip: INT>, extra STRING)");
      assertEquals(3, s.executeUpdate("COPY INTO c.events FROM '" + dir + "' FILEFORMAT = AVRO"));
      assertEquals(0, s.executeUpdate("COPY INTO c.events FROM '" + dir + "' FILEFORMAT = AVRO"));
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*), sum(id), sum(price), count(extra), max(e.address.city),"
                  + " max(size(tags)), CAST(min(day) AS STRING) FROM c.events AS e")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
        assertEquals(6, rs.getLong(2));
        assertEquals(new BigDecimal("37.02"), rs.getBigDecimal(3));
        assertEquals(0, rs.getLong(4));
        assertEquals("Oslo", rs.getString(5));
        assertEquals(2, rs.getInt(6));
        assertEquals("2026-01-02", rs.getString(7));
      }

      // A file that is not Avro: the COPY fails naming it, and writes nothing.
      Path bad = dataDirectory.resolve("external").resolve("bad");
      Files.createDirectories(bad);
      write(bad.resolve("good.avro"), List.of(event(7, "seven", 0)));
      Files.writeString(bad.resolve("broken.avro"), "not an avro file\n");
      SQLException copy =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("COPY INTO c.events FROM '" + bad + "' FILEFORMAT = AVRO"));
      assertTrue(copy.getMessage().contains("broken.avro"), copy.getMessage());
      SQLException read =
          assertThrows(
              SQLException.class,
              () -> s.executeQuery("SELECT * FROM read_files('" + bad + "')").close());
      assertTrue(read.getMessage().contains("broken.avro"), read.getMessage());
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM c.events")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
      }
      int commits = 0;
      try (ResultSet rs = s.executeQuery("DESCRIBE HISTORY c.events")) {
        while (rs.next()) {
          commits++;
        }
      }
      assertEquals(2, commits, "CREATE TABLE and one COPY INTO");

      // FORMAT_OPTIONS are not Avro's.
      SQLException option =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.events FROM '"
                          + dir
                          + "' FILEFORMAT = AVRO FORMAT_OPTIONS ('header' = 'true')"));
      assertTrue(option.getMessage().contains("0A000"), option.getMessage());
    }
  }

  private static GenericRecord event(long id, String name, int kind) {
    GenericRecord r = new GenericData.Record(EVENT);
    r.put("id", id);
    r.put("name", name);
    r.put(
        "kind",
        new GenericData.EnumSymbol(EVENT.getField("kind").schema(), kind == 0 ? "CLICK" : "VIEW"));
    r.put("tags", List.of("t" + id, "u"));
    r.put("scores", Map.of("x", (int) id));
    if (kind == 0) {
      GenericRecord a = new GenericData.Record(ADDRESS);
      a.put("city", "Oslo");
      a.put("zip", 1000);
      r.put("address", a);
    }
    ByteBuffer price =
        new Conversions.DecimalConversion()
            .toBytes(
                new BigDecimal("12.34"), DECIMAL, (LogicalTypes.Decimal) DECIMAL.getLogicalType());
    r.put("price", price);
    r.put("day", (int) java.time.LocalDate.of(2026, 1, 2).toEpochDay());
    java.time.Instant at = java.time.Instant.parse("2026-01-02T03:04:05.678901Z");
    r.put("at_ms", at.toEpochMilli());
    r.put("at_us", at.getEpochSecond() * 1_000_000 + at.getNano() / 1000);
    r.put("ratio", 0.5);
    r.put("ok", true);
    return r;
  }

  private static void write(Path file, List<GenericRecord> records) throws Exception {
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<>(EVENT))) {
      writer.create(EVENT, file.toFile());
      for (GenericRecord r : records) {
        writer.append(r);
      }
    }
  }
}
