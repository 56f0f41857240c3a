package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code COPY INTO ... FILEFORMAT = PARQUET | JSON} through the Arrow Flight SQL JDBC driver. */
class CopyIntoEndToEndTest {
  @TempDir Path dataDirectory;

  @Test
  void appendsTheParquetFilesOfADirectoryInOneCommitAndRefusesBadSources() throws Exception {
    try (RunningServer server = RunningServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA c");
      s.execute("CREATE TABLE c.src (id BIGINT, name STRING)");
      s.executeUpdate("INSERT INTO c.src VALUES (1, 'a'), (2, 'b')");
      s.executeUpdate("INSERT INTO c.src VALUES (3, 'c')");
      // Stage the source table's Parquet files below the external location.
      Path staged = dataDirectory.resolve("external").resolve("staged");
      Files.createDirectories(staged.resolve("_ignored"));
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dataDirectory.resolve("warehouse"))) {
        files = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
      }
      assertEquals(2, files.size());
      for (Path f : files) {
        Files.copy(f, staged.resolve(f.getFileName()));
      }
      Files.copy(files.get(0), staged.resolve("_ignored").resolve("skipped.parquet"));

      s.execute("CREATE TABLE c.dst (name STRING, id BIGINT)");
      assertEquals(
          3, s.executeUpdate("COPY INTO c.dst FROM '" + staged + "' FILEFORMAT = PARQUET"));
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(id), min(name) FROM c.dst")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
        assertEquals(6, rs.getLong(2));
        assertEquals("a", rs.getString(3));
      }
      try (ResultSet rs = s.executeQuery("DESCRIBE HISTORY c.dst")) {
        int commits = 0;
        while (rs.next()) {
          commits++;
        }
        assertEquals(2, commits, "CREATE TABLE, then one COPY INTO commit");
      }

      SQLException outside =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.dst FROM '"
                          + dataDirectory.resolve("warehouse")
                          + "' FILEFORMAT = PARQUET"));
      assertTrue(outside.getMessage().contains("42501"), outside.getMessage());
      Files.createDirectories(dataDirectory.resolve("external").resolve("empty"));
      SQLException empty =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.dst FROM '"
                          + dataDirectory.resolve("external").resolve("empty")
                          + "' FILEFORMAT = PARQUET"));
      assertTrue(empty.getMessage().contains("COPY_INTO_NO_FILES"), empty.getMessage());
      SQLException yaml =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("COPY INTO c.dst FROM '" + staged + "' FILEFORMAT = YAML"));
      assertTrue(yaml.getMessage().contains("42601"), yaml.getMessage());
      // JSON lines below the external location, chosen by FILES; the count as the update count.
      Path json = dataDirectory.resolve("external").resolve("json");
      Files.createDirectories(json.resolve("day=1"));
      Files.writeString(
          json.resolve("day=1/x.jsonl"), "{\"id\": 4, \"name\": \"d\"}\n{\"id\": 5}\n");
      Files.writeString(json.resolve("other.jsonl"), "{\"id\": 99}\n");
      assertEquals(
          2,
          s.executeUpdate(
              "COPY INTO c.dst FROM '" + json + "' FILEFORMAT = JSON FILES = ('day=1/x.jsonl')"));
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(id), count(name) FROM c.dst")) {
        assertTrue(rs.next());
        assertEquals(5, rs.getLong(1));
        assertEquals(15, rs.getLong(2));
        assertEquals(4, rs.getLong(3));
      }
    }
  }
}
