package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code read_files} over files uploaded to a volume with the Files API, through the Flight SQL
 * JDBC driver: CSV, JSON lines and Parquet, CREATE TABLE AS, and the caller's READ VOLUME.
 */
class ReadFilesVolumeTest {
  @TempDir Path dataDirectory;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readsVolumeFilesWithReadVolume() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA main.s");
      execute(admin, "CREATE VOLUME main.s.v");
      String files = "/api/2.0/fs/files/Volumes/main/s/v/";
      put(server, files + "people/a.csv", "id,name\n1,ann\n2,bob\n".getBytes());
      put(server, files + "people/b.csv", "id,name,age\n3,cy,40\n".getBytes());
      put(server, files + "events/1.jsonl", "{\"id\": 1, \"ok\": true}\n{\"id\": 2}\n".getBytes());
      // A Parquet file written by the server itself, uploaded like any other file.
      execute(admin, "CREATE TABLE main.s.src AS SELECT 7 AS n, 'seven' AS word");
      Path parquet;
      java.net.URI table =
          io.aquifer.storage.objects.S3TestStorage.localCopy(
              server.server().gateway().tableLocation("main", "s", "src").orElseThrow());
      try (Stream<Path> walk = Files.walk(Path.of(table))) {
        parquet = walk.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      }
      put(server, files + "pq/part-0.parquet", Files.readAllBytes(parquet));

      assertEquals(
          List.of("1|ann|null", "2|bob|null", "3|cy|40"),
          rows(
              admin,
              "SELECT id, name, age FROM read_files('/Volumes/main/s/v/people', header => true)"
                  + " ORDER BY id"));
      assertEquals(
          List.of("1|true", "2|null"),
          rows(admin, "SELECT id, ok FROM read_files('/Volumes/main/s/v/events') ORDER BY id"));
      execute(
          admin,
          "CREATE TABLE main.s.copied AS SELECT * FROM read_files('/Volumes/main/s/v/pq',"
              + " format => 'parquet')");
      assertEquals(List.of("7|seven"), rows(admin, "SELECT n, word FROM main.s.copied"));
      assertFails(
          "PATH_NOT_FOUND",
          "42K03",
          () -> execute(admin, "SELECT * FROM read_files('/Volumes/main/s/v/none.csv')"));
      assertFails(
          "INVALID_VOLUME_PATH",
          "42K05",
          () -> execute(admin, "SELECT * FROM read_files('/Volumes/main/s/v/../x.csv')"));

      String bobToken = SecurityServer.userToken(dataDirectory, "bob");
      try (Connection bob = connect(server.jdbcUrl(), bobToken)) {
        String query =
            "SELECT count(*) FROM read_files('/Volumes/main/s/v/people', header => true)";
        assertFails("VOLUME_NOT_FOUND", "42704", () -> execute(bob, query));
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO bob");
        execute(admin, "GRANT USE SCHEMA ON SCHEMA main.s TO bob");
        assertFails("PERMISSION_DENIED", "42501", () -> execute(bob, query));
        execute(admin, "GRANT READ VOLUME ON VOLUME main.s.v TO bob");
        assertEquals(List.of("3"), rows(bob, query));
      }
    }
  }

  private static List<String> rows(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      java.util.ArrayList<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(row.toString());
      }
      assertFalse(out.isEmpty() && n == 0);
      return out;
    }
  }

  private void put(ConformanceServer server, String path, byte[] body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.server().databricksRest().baseUrl() + path))
            .header("Authorization", "Bearer " + server.token())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    int status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    assertTrue(status == 204, path + " answered " + status);
  }
}
