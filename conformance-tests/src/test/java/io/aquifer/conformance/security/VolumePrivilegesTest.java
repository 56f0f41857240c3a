package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * READ VOLUME, WRITE VOLUME and CREATE VOLUME, granted on a schema, through SQL (Flight SQL JDBC)
 * and the Files API.
 */
class VolumePrivilegesTest {
  @TempDir Path dataDirectory;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void volumeFilesNeedReadOrWriteVolumeOnTheSchema() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA main.s");
      execute(admin, "CREATE VOLUME main.s.v");
      String file = "/api/2.0/fs/files/Volumes/main/s/v/a.txt";
      assertEquals(204, call(server, server.token(), "PUT", file, "hello"));
      String bobToken = SecurityServer.userToken(dataDirectory, "bob");
      try (Connection bob = connect(server.jdbcUrl(), bobToken)) {
        // No privilege at all: the volume does not exist for bob.
        assertFails("VOLUME_NOT_FOUND", "42704", () -> execute(bob, "LIST '/Volumes/main/s/v'"));
        assertEquals(404, call(server, bobToken, "GET", file, null));

        execute(admin, "GRANT USE CATALOG ON CATALOG main TO bob");
        execute(admin, "GRANT USE SCHEMA, READ VOLUME ON SCHEMA main.s TO bob");
        try (Statement s = bob.createStatement();
            ResultSet rs = s.executeQuery("LIST '/Volumes/main/s/v'")) {
          assertTrue(rs.next());
          assertEquals("a.txt", rs.getString("name"));
          assertEquals(5, rs.getLong("size"));
        }
        assertEquals(200, call(server, bobToken, "GET", file, null));
        assertEquals(403, call(server, bobToken, "PUT", file, "bob was here"));
        assertEquals(403, call(server, bobToken, "DELETE", file, null));
        assertFails("PERMISSION_DENIED", "42501", () -> execute(bob, "DROP VOLUME main.s.v"));
        assertFails("PERMISSION_DENIED", "42501", () -> execute(bob, "CREATE VOLUME main.s.w"));

        execute(admin, "GRANT WRITE VOLUME, CREATE VOLUME ON SCHEMA main.s TO bob");
        assertEquals(204, call(server, bobToken, "PUT", file + "?overwrite=true", "bob was here"));
        execute(bob, "CREATE VOLUME main.s.w");
        // bob owns the new volume: he may drop it.
        execute(bob, "DROP VOLUME main.s.w");
        assertFails("PERMISSION_DENIED", "42501", () -> execute(bob, "DROP VOLUME main.s.v"));
      }
    }
  }

  private int call(ConformanceServer server, String token, String method, String path, String body)
      throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.server().databricksRest().baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, publisher)
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
