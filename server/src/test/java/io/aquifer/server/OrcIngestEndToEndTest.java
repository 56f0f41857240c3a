package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hive.common.type.HiveDecimal;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DecimalColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ListColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.StructColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.TimestampColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcFile;
import org.apache.orc.TypeDescription;
import org.apache.orc.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ORC files, written here by the ORC library, read with {@code read_files} and loaded with {@code
 * COPY INTO ... FILEFORMAT = ORC} through the Arrow Flight SQL JDBC driver.
 */
class OrcIngestEndToEndTest {
  @TempDir Path dataDirectory;

  private static final TypeDescription A =
      TypeDescription.fromString(
          "struct<id:bigint,name:string,n:int,ratio:double,price:decimal(10,2),day:date,"
              + "at:timestamp,ok:boolean,tags:array<string>,address:struct<city:string,zip:int>,"
              + "small:smallint,tiny:tinyint,f:float>");
  // Another file: n wider, no ok, and a column of its own.
  private static final TypeDescription B =
      TypeDescription.fromString(
          "struct<id:bigint,name:string,n:bigint,ratio:double,price:decimal(10,2),day:date,"
              + "at:timestamp,tags:array<string>,address:struct<city:string,zip:int>,"
              + "small:smallint,tiny:tinyint,f:float,extra:string>");

  @Test
  void readsAndLoadsOrcFilesOnceAndRefusesABadFile() throws Exception {
    Path dir = dataDirectory.resolve("external").resolve("events");
    Files.createDirectories(dir);
    write(dir.resolve("a.orc"), A, List.of(1L, 2L), CompressionKind.SNAPPY);
    write(dir.resolve("b.orc"), B, List.of(3L), CompressionKind.ZSTD);
    try (RunningServer server = RunningServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      // read_files: the schema from the files' own, combined by name, in Databricks' types.
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
              "n BIGINT",
              "ratio DOUBLE",
              "price DECIMAL(10,2)",
              "day DATE",
              "at TIMESTAMP",
              "ok BOOLEAN",
              "tags ARRAY<STRING>",
              "address STRUCT<city: STRING, zip: INT>",
              "small SMALLINT",
              "tiny TINYINT",
              "f FLOAT",
              "extra STRING"),
          columns);
      try (ResultSet rs =
          s.executeQuery("SELECT count(*), sum(id), count(extra) FROM c.inferred")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
        assertEquals(6, rs.getLong(2));
        assertEquals(1, rs.getLong(3));
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, name, n, ratio, price, CAST(day AS STRING), CAST(at AS STRING), ok,"
                  + " tags[0], size(tags), r.address.city, r.address.zip, small, tiny, f, extra,"
                  + " r._metadata.file_name"
                  + " FROM read_files('"
                  + dir
                  + "', format => 'orc') AS r ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
        assertEquals("name1", rs.getString(2));
        assertEquals(10, rs.getLong(3));
        assertEquals(0.5, rs.getDouble(4));
        assertEquals(new BigDecimal("12.34"), rs.getBigDecimal(5));
        assertEquals("2026-01-02", rs.getString(6));
        assertEquals("2026-01-02 03:04:05.678901", rs.getString(7));
        assertTrue(rs.getBoolean(8));
        assertEquals("t1", rs.getString(9));
        assertEquals(2, rs.getInt(10));
        assertEquals("Oslo", rs.getString(11));
        assertEquals(1000, rs.getInt(12));
        assertEquals(7, rs.getInt(13));
        assertEquals(-3, rs.getInt(14));
        assertEquals(1.5f, rs.getFloat(15));
        assertEquals(null, rs.getString(16), "a.orc has no extra");
        assertEquals("a.orc", rs.getString(17));
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
        assertEquals(null, rs.getString(2), "a null string");
        assertFalse(rs.getBoolean(8));
        assertEquals(null, rs.getString(11), "a null struct");
        assertEquals(0, rs.getInt(10), "an empty list");
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
        assertEquals(30, rs.getLong(3));
        assertEquals(null, rs.getObject(8), "b.orc has no ok");
        assertEquals("x3", rs.getString(16));
        assertEquals("b.orc", rs.getString(17));
        assertFalse(rs.next());
      }

      // COPY INTO twice: the second skips the files loaded by the first.
      s.execute(
          "CREATE TABLE c.events (id BIGINT, name STRING, price DECIMAL(10,2), day DATE,"
              + " at TIMESTAMP, tags ARRAY<STRING>, address STRUCT<city: STRING, zip: INT>,"
              + " other STRING)");
      assertEquals(3, s.executeUpdate("COPY INTO c.events FROM '" + dir + "' FILEFORMAT = ORC"));
      assertEquals(0, s.executeUpdate("COPY INTO c.events FROM '" + dir + "' FILEFORMAT = ORC"));
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*), sum(id), sum(price), count(other), max(e.address.city),"
                  + " max(size(tags)), CAST(min(day) AS STRING), CAST(max(at) AS STRING)"
                  + " FROM c.events AS e")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
        assertEquals(6, rs.getLong(2));
        assertEquals(new BigDecimal("37.02"), rs.getBigDecimal(3));
        assertEquals(0, rs.getLong(4));
        assertEquals("Oslo", rs.getString(5));
        assertEquals(2, rs.getInt(6));
        assertEquals("2026-01-02", rs.getString(7));
        assertEquals("2026-01-02 03:04:05.678901", rs.getString(8));
      }

      // A file that is not ORC: the COPY fails naming it, and writes nothing.
      Path bad = dataDirectory.resolve("external").resolve("bad");
      Files.createDirectories(bad);
      write(bad.resolve("good.orc"), A, List.of(7L), CompressionKind.LZ4);
      Files.writeString(bad.resolve("broken.orc"), "not an orc file\n");
      SQLException copy =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("COPY INTO c.events FROM '" + bad + "' FILEFORMAT = ORC"));
      assertTrue(copy.getMessage().contains("broken.orc"), copy.getMessage());
      assertTrue(copy.getMessage().contains("XX001"), copy.getMessage());
      SQLException read =
          assertThrows(
              SQLException.class,
              () -> s.executeQuery("SELECT * FROM read_files('" + bad + "')").close());
      assertTrue(read.getMessage().contains("broken.orc"), read.getMessage());
      // A file cut short after its header: still named, still nothing written.
      Path cut = dataDirectory.resolve("external").resolve("cut");
      Files.createDirectories(cut);
      write(cut.resolve("whole.orc"), A, List.of(8L), CompressionKind.ZLIB);
      byte[] bytes = Files.readAllBytes(cut.resolve("whole.orc"));
      Files.write(cut.resolve("cut.orc"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
      SQLException truncated =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("COPY INTO c.events FROM '" + cut + "' FILEFORMAT = ORC"));
      assertTrue(truncated.getMessage().contains("cut.orc"), truncated.getMessage());
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

      // FORMAT_OPTIONS are not ORC's.
      SQLException option =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.events FROM '"
                          + dir
                          + "' FILEFORMAT = ORC FORMAT_OPTIONS ('header' = 'true')"));
      assertTrue(option.getMessage().contains("0A000"), option.getMessage());
      SQLException rescued =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeQuery(
                          "SELECT * FROM read_files('"
                              + dir
                              + "', format => 'orc', rescuedDataColumn => '_r')")
                      .close());
      assertTrue(rescued.getMessage().contains("42K06"), rescued.getMessage());
    }
  }

  /** Rows with the given ids; id 2 has nulls and an empty list, odd ids a city. */
  private static void write(
      Path file, TypeDescription schema, List<Long> ids, CompressionKind compression)
      throws Exception {
    Configuration conf = new Configuration(false);
    FileSystem local = FileSystem.getLocal(conf).getRaw();
    try (Writer writer =
        OrcFile.createWriter(
            new org.apache.hadoop.fs.Path(file.toUri()),
            OrcFile.writerOptions(conf)
                .setSchema(schema)
                .fileSystem(local)
                .useUTCTimestamp(true))) {
      VectorizedRowBatch batch = schema.createRowBatch();
      List<String> names = schema.getFieldNames();
      for (long id : ids) {
        int row = batch.size++;
        for (int c = 0; c < names.size(); c++) {
          String name = names.get(c);
          var vector = batch.cols[c];
          switch (name) {
            case "id" -> ((LongColumnVector) vector).vector[row] = id;
            case "name" -> {
              if (id == 2) {
                vector.noNulls = false;
                vector.isNull[row] = true;
              } else {
                ((BytesColumnVector) vector)
                    .setRef(row, bytes("name" + id), 0, bytes("name" + id).length);
              }
            }
            case "n" -> ((LongColumnVector) vector).vector[row] = id * 10;
            case "ratio" -> ((DoubleColumnVector) vector).vector[row] = 0.5;
            case "price" ->
                ((DecimalColumnVector) vector)
                    .set(row, HiveDecimal.create(new BigDecimal("12.34")));
            case "day" ->
                ((LongColumnVector) vector).vector[row] = LocalDate.of(2026, 1, 2).toEpochDay();
            case "at" ->
                ((TimestampColumnVector) vector)
                    .set(row, Timestamp.from(Instant.parse("2026-01-02T03:04:05.678901Z")));
            case "ok" -> ((LongColumnVector) vector).vector[row] = id == 1 ? 1 : 0;
            case "tags" -> {
              ListColumnVector list = (ListColumnVector) vector;
              int size = id == 2 ? 0 : 2;
              list.offsets[row] = list.childCount;
              list.lengths[row] = size;
              list.child.ensureSize(list.childCount + size, true);
              for (int k = 0; k < size; k++) {
                ((BytesColumnVector) list.child)
                    .setRef(
                        list.childCount + k,
                        bytes(k == 0 ? "t" + id : "u"),
                        0,
                        bytes(k == 0 ? "t" + id : "u").length);
              }
              list.childCount += size;
            }
            case "address" -> {
              StructColumnVector struct = (StructColumnVector) vector;
              if (id == 2) {
                struct.noNulls = false;
                struct.isNull[row] = true;
              } else {
                ((BytesColumnVector) struct.fields[0])
                    .setRef(row, bytes("Oslo"), 0, bytes("Oslo").length);
                ((LongColumnVector) struct.fields[1]).vector[row] = 1000;
              }
            }
            case "small" -> ((LongColumnVector) vector).vector[row] = 7;
            case "tiny" -> ((LongColumnVector) vector).vector[row] = -3;
            case "f" -> ((DoubleColumnVector) vector).vector[row] = 1.5;
            case "extra" ->
                ((BytesColumnVector) vector)
                    .setRef(row, bytes("x" + id), 0, bytes("x" + id).length);
            default -> throw new IllegalArgumentException(name);
          }
        }
      }
      writer.addRowBatch(batch);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
