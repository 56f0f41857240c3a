package io.aquifer.conformance.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes end to end: SQL through the Databricks JDBC driver (Thrift), files through the Files API
 * over plain HTTP. Create a managed volume, upload Parquet files, LIST them, COPY INTO a table
 * twice (and again after a restart) without duplicates, and refuse paths that leave the volume
 * without writing anything.
 */
class VolumesEndToEndTest {
  @TempDir Path dataDirectory;
  @TempDir Path outside;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void uploadListAndCopyIntoTwiceLoadEachFileOnceAndEscapesAreRefused() throws Exception {
    List<Path> parquet;
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = DriverManager.getConnection(jdbcUrl(server));
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA main.landing");
      s.execute("CREATE VOLUME main.landing.raw COMMENT 'drops'");
      assertEquals(List.of("landing|raw"), rows(s, "SHOW VOLUMES IN main.landing"));
      List<String> described = rows(s, "DESCRIBE VOLUME main.landing.raw");
      assertEquals(1, described.size());
      assertTrue(described.get(0).startsWith("raw|main|landing|admin|file:"), described.get(0));
      assertTrue(described.get(0).endsWith("|MANAGED|drops"), described.get(0));

      // Parquet files to load: those of a table the server wrote.
      s.execute("CREATE TABLE main.landing.src (id BIGINT, name STRING)");
      s.execute("INSERT INTO main.landing.src VALUES (1, 'a')");
      s.execute("INSERT INTO main.landing.src VALUES (2, 'b')");
      s.execute("INSERT INTO main.landing.src VALUES (3, 'c')");
      try (Stream<Path> walk = Files.walk(dataDirectory.resolve("warehouse"))) {
        parquet = walk.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
      }
      assertEquals(3, parquet.size());
      assertEquals(204, put(server, "/Volumes/main/landing/raw/in/one.parquet", parquet.get(0)));
      assertEquals(204, put(server, "/Volumes/main/landing/raw/in/two.parquet", parquet.get(1)));
      // Not overwritten without overwrite=true.
      assertEquals(409, put(server, "/Volumes/main/landing/raw/in/two.parquet", parquet.get(0)));

      List<String> listed = rows(s, "LIST '/Volumes/main/landing/raw/in'");
      assertEquals(
          List.of(
              "/Volumes/main/landing/raw/in/one.parquet|one.parquet|" + Files.size(parquet.get(0)),
              "/Volumes/main/landing/raw/in/two.parquet|two.parquet|" + Files.size(parquet.get(1))),
          listed.stream().map(r -> r.substring(0, r.lastIndexOf('|'))).toList());
      assertEquals(
          List.of("/Volumes/main/landing/raw/in/|in/"),
          rows(s, "LIST '/Volumes/main/landing/raw/'").stream()
              .map(r -> r.substring(0, r.indexOf('|', r.indexOf('|') + 1)))
              .toList());

      s.execute("CREATE TABLE main.landing.dst (name STRING, id BIGINT)");
      String copy =
          "COPY INTO main.landing.dst FROM '/Volumes/main/landing/raw/in' FILEFORMAT = PARQUET";
      long firstLoad = affected(s, copy);
      long expected = 2; // one row in each of two files; the third is not uploaded yet
      assertEquals(expected, firstLoad);
      assertEquals(expected, count(s, "main.landing.dst"));
      assertEquals(0, affected(s, copy), "files already loaded are skipped");
      assertEquals(expected, count(s, "main.landing.dst"));
      assertEquals(2, rows(s, "DESCRIBE HISTORY main.landing.dst").size());

      // Bad input: clear errors, nothing written.
      for (String bad :
          List.of(
              "COPY INTO main.landing.dst FROM '/Volumes/main/landing/raw/../raw/in' FILEFORMAT = PARQUET",
              "COPY INTO main.landing.dst FROM 'http://example.com/in' FILEFORMAT = PARQUET",
              "COPY INTO main.landing.dst FROM '/etc' FILEFORMAT = PARQUET",
              "COPY INTO main.landing.dst FROM '/Volumes/main/landing/nope/in' FILEFORMAT = PARQUET",
              "COPY INTO main.landing.dst FROM '/Volumes/main/landing/raw/in' FILEFORMAT = PARQUET"
                  + " COPY_OPTIONS ('mergeSchema' = 'maybe')",
              "COPY INTO main.landing.dst FROM '/Volumes/main/landing/raw/in' FILEFORMAT = PARQUET"
                  + " COPY_OPTIONS ('force' = 'maybe')",
              "COPY INTO main.landing.dst FROM '/Volumes/main/landing/raw/in' FILEFORMAT = JSON",
              "LIST '/Volumes/main/landing/raw/../../../..'",
              "LIST '/etc'",
              "LIST 'file:/etc'")) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(bad), bad);
        assertFalse(e.getMessage().contains("internal error"), bad + ": " + e.getMessage());
      }
      SQLException unsupported =
          assertThrows(
              SQLException.class,
              () ->
                  s.execute(
                      "COPY INTO main.landing.dst FROM '/Volumes/main/landing/raw/in'"
                          + " FILEFORMAT = YAML"));
      assertTrue(unsupported.getMessage().contains("42601"), unsupported.getMessage());
      SQLException dotDot =
          assertThrows(
              SQLException.class, () -> s.execute("LIST '/Volumes/main/landing/raw/in/..'"));
      assertTrue(dotDot.getMessage().contains("'..' parts are not allowed"), dotDot.getMessage());
      assertEquals(2, rows(s, "DESCRIBE HISTORY main.landing.dst").size());
      assertEquals(expected, count(s, "main.landing.dst"));

      // A symbolic link inside the volume that leads out of it is refused, by SQL and over HTTP.
      Files.writeString(outside.resolve("secret.txt"), "secret");
      Path volumeDir = managedVolumeDirectory();
      Files.createSymbolicLink(volumeDir.resolve("escape"), outside);
      SQLException link =
          assertThrows(
              SQLException.class, () -> s.execute("LIST '/Volumes/main/landing/raw/escape'"));
      assertTrue(link.getMessage().contains("leads out of its volume"), link.getMessage());
      assertEquals(
          400, get(server, "/api/2.0/fs/files/Volumes/main/landing/raw/escape/secret.txt"));
      assertEquals(
          400,
          send(
              server,
              HttpRequest.newBuilder(
                      URI.create(
                          base(server)
                              + "/api/2.0/fs/files/Volumes/main/landing/raw/escape/planted.txt"))
                  .PUT(HttpRequest.BodyPublishers.ofString("x"))));
      assertFalse(Files.exists(outside.resolve("planted.txt")));
      Files.delete(volumeDir.resolve("escape"));

      // A new file is loaded by the next COPY INTO, the old ones are not.
      assertEquals(204, put(server, "/Volumes/main/landing/raw/in/three.parquet", parquet.get(2)));
      assertEquals(1, affected(s, copy));
      assertEquals(expected + 1, count(s, "main.landing.dst"));
      // CSV with a header and another delimiter; columns matched by name.
      s.execute("CREATE TABLE main.landing.people (id BIGINT, name STRING, born DATE)");
      Path csv = outside.resolve("people.csv");
      Files.writeString(csv, "name;id;born\n\"Ada; L\";1;1815-12-10\nAlan;2;1912-06-23\n");
      assertEquals(204, put(server, "/Volumes/main/landing/raw/csv/people.csv", csv));
      String copyCsv =
          "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/csv' FILEFORMAT = CSV"
              + " FORMAT_OPTIONS ('header' = 'true', 'delimiter' = ';')";
      assertEquals(2, affected(s, copyCsv));
      assertEquals(
          List.of("1|Ada; L|1815-12-10", "2|Alan|1912-06-23"),
          rows(s, "SELECT id, name, born FROM main.landing.people ORDER BY id"));
      assertEquals(0, affected(s, copyCsv));
      // A value that is not a number fails the COPY; nothing is written.
      Files.writeString(csv, "name;id;born\nBad;x1;2000-01-01\n");
      assertEquals(204, put(server, "/Volumes/main/landing/raw/csv/bad.csv", csv));
      SQLException failFast = assertThrows(SQLException.class, () -> s.execute(copyCsv));
      assertTrue(
          failFast.getMessage().contains("/Volumes/main/landing/raw/csv/bad.csv line 2")
              && failFast.getMessage().contains("'x1' of column id"),
          failFast.getMessage());
      // The file is named as the user named it, never by where the server keeps it.
      assertFalse(failFast.getMessage().contains(dataDirectory.toString()), failFast.getMessage());
      // DROPMALFORMED leaves the bad row out; FILES picks the file.
      assertEquals(
          0,
          affected(
              s,
              "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/csv'"
                  + " FILEFORMAT = CSV FILES = ('bad.csv')"
                  + " FORMAT_OPTIONS ('header' = 'true', 'delimiter' = ';', 'mode' = 'DROPMALFORMED')"));
      assertEquals(2, count(s, "main.landing.people"));
      // PERMISSIVE reads the bad value as NULL (the file was loaded just now: force).
      assertEquals(
          1,
          affected(
              s,
              "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/csv'"
                  + " FILEFORMAT = CSV FILES = ('bad.csv')"
                  + " FORMAT_OPTIONS ('header' = 'true', 'delimiter' = ';', 'mode' = 'PERMISSIVE')"
                  + " COPY_OPTIONS ('force' = 'true')"));
      assertEquals(
          List.of("null|Bad|2000-01-01"),
          rows(s, "SELECT id, name, born FROM main.landing.people WHERE id IS NULL"));
      s.execute("DELETE FROM main.landing.people WHERE id IS NULL");
      // JSON lines and a multi-line JSON array, chosen by PATTERN; quote and escape for CSV.
      Files.writeString(csv, "{\"id\": 10, \"name\": \"Grace\", \"born\": \"1906-12-09\"}\n");
      assertEquals(204, put(server, "/Volumes/main/landing/raw/json/a/lines.json", csv));
      Files.writeString(csv, "[{\"id\": 11,\n  \"name\": \"Edsger\"}]\n");
      assertEquals(204, put(server, "/Volumes/main/landing/raw/json/b/array.json", csv));
      assertEquals(
          1,
          affected(
              s,
              "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/json'"
                  + " FILEFORMAT = JSON PATTERN = 'a/*.json'"));
      assertEquals(
          1,
          affected(
              s,
              "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/json'"
                  + " FILEFORMAT = JSON FORMAT_OPTIONS ('multiLine' = 'true')"));
      Files.writeString(csv, "12|~Barbara|\\~L\\~~|1939-11-19\n");
      assertEquals(204, put(server, "/Volumes/main/landing/raw/quoted/q.txt", csv));
      assertEquals(
          1,
          affected(
              s,
              "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/quoted'"
                  + " FILEFORMAT = CSV FILES = ('q.txt') FORMAT_OPTIONS ('sep' = '|',"
                  + " 'quote' = '~', 'escape' = '\\\\')"));
      assertEquals(
          List.of("10|Grace|1906-12-09", "11|Edsger|null", "12|Barbara|~L~|1939-11-19"),
          rows(s, "SELECT id, name, born FROM main.landing.people WHERE id >= 10 ORDER BY id"));
      for (String wrong :
          List.of(
              "FILEFORMAT = CSV FORMAT_OPTIONS ('mode' = 'LENIENT')",
              "FILEFORMAT = JSON FORMAT_OPTIONS ('multiLine' = 'perhaps')",
              "FILEFORMAT = CSV FORMAT_OPTIONS ('quote' = 'ab')")) {
        SQLException e =
            assertThrows(
                SQLException.class,
                () ->
                    s.execute(
                        "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/csv' "
                            + wrong));
        assertTrue(e.getMessage().contains("42K06"), wrong + ": " + e.getMessage());
      }
      SQLException escapes =
          assertThrows(
              SQLException.class,
              () ->
                  s.execute(
                      "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/csv'"
                          + " FILEFORMAT = CSV FILES = ('../in/one.parquet')"));
      assertTrue(escapes.getMessage().contains("42K05"), escapes.getMessage());
      s.execute("DELETE FROM main.landing.people WHERE id >= 10");
      SQLException option =
          assertThrows(
              SQLException.class,
              () ->
                  s.execute(
                      "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/csv'"
                          + " FILEFORMAT = CSV FORMAT_OPTIONS ('nullValue' = 'NA')"));
      assertTrue(option.getMessage().contains("0A000"), option.getMessage());
      assertEquals(2, count(s, "main.landing.people"));
      // CREATE, CSV, DROPMALFORMED (no rows, but the file is recorded as loaded), PERMISSIVE,
      // DELETE, two JSON loads, quoted CSV, DELETE; the failed COPYs wrote nothing.
      assertEquals(9, rows(s, "DESCRIBE HISTORY main.landing.people").size());
    }

    // The record of loaded files is in the table's Delta log: it survives a restart.
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = DriverManager.getConnection(jdbcUrl(server));
        Statement s = c.createStatement()) {
      long before = count(s, "main.landing.dst");
      assertEquals(
          0,
          affected(
              s,
              "COPY INTO main.landing.dst FROM '/Volumes/main/landing/raw/in' FILEFORMAT = PARQUET"));
      assertEquals(before, count(s, "main.landing.dst"));
      // force = true loads them again, as in Databricks.
      assertEquals(
          before,
          affected(
              s,
              "COPY INTO main.landing.dst FROM '/Volumes/main/landing/raw/in' FILEFORMAT = PARQUET"
                  + " COPY_OPTIONS ('force' = 'true')"));
      assertEquals(2 * before, count(s, "main.landing.dst"));

      // DROP VOLUME deletes a managed volume's files.
      Path volumeDir = managedVolumeDirectory();
      s.execute("DROP VOLUME main.landing.raw");
      assertFalse(Files.exists(volumeDir));
      assertEquals(List.of(), rows(s, "SHOW VOLUMES IN main.landing"));
      SQLException gone =
          assertThrows(SQLException.class, () -> s.execute("LIST '/Volumes/main/landing/raw'"));
      assertTrue(gone.getMessage().contains("does not exist"), gone.getMessage());
    }
  }

  private Path managedVolumeDirectory() throws Exception {
    try (Stream<Path> dirs = Files.list(dataDirectory.resolve("volumes/main/landing"))) {
      List<Path> all = dirs.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  private static String jdbcUrl(ConformanceServer server) {
    String rest = server.server().databricksRest().jdbcUrl();
    return rest.replace(";useThriftClient=0", "") + ";UID=token;PWD=" + server.token();
  }

  private static String base(ConformanceServer server) {
    return server.server().databricksRest().baseUrl();
  }

  private int put(ConformanceServer server, String volumePath, Path file) throws Exception {
    return send(
        server,
        HttpRequest.newBuilder(URI.create(base(server) + "/api/2.0/fs/files" + volumePath))
            .PUT(HttpRequest.BodyPublishers.ofFile(file)));
  }

  private int get(ConformanceServer server, String path) throws Exception {
    return send(server, HttpRequest.newBuilder(URI.create(base(server) + path)).GET());
  }

  private int send(ConformanceServer server, HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        http.send(
            request.header("Authorization", "Bearer " + server.token()).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  /**
   * The rows COPY INTO loaded: the Databricks JDBC driver runs COPY INTO as an update and answers
   * the result's num_affected_rows as the update count.
   */
  private static long affected(Statement s, String sql) throws SQLException {
    assertFalse(s.execute(sql), "the Databricks driver runs COPY INTO as an update: " + sql);
    return s.getUpdateCount();
  }

  private static long count(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          if (i > 1) {
            b.append('|');
          }
          b.append(rs.getString(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }
}
