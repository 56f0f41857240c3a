package io.aquifer.conformance.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.iam.MeRequest;
import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal access tokens made with {@code aquifer token create --lifetime} and revoked with {@code
 * aquifer token revoke} while the server runs: an expired or revoked token is refused by the Flight
 * SQL JDBC driver and the REST API (401), each saying why, and by the Databricks JDBC driver
 * (Thrift); {@code aquifer token list} shows the state.
 */
class TokenLifecycleTest {
  @TempDir Path dataDirectory;

  @Test
  void expiredAndRevokedTokensAreRefusedEverywhereSayingWhy() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      String host = server.server().databricksRest().baseUrl();
      String lasting = cli("token", "create", "--user", "dora", "--lifetime", "1h").strip();
      String shortLived = cli("token", "create", "--user", "dora", "--lifetime", "1s").strip();
      String revoked = cli("token", "create", "--user", "dora", "--comment", "to revoke").strip();

      // a token with a lifetime works until then
      try (Connection c = SecurityServer.connect(server.jdbcUrl(), lasting)) {
        assertEquals(1, single(c, "SELECT 1"));
      }
      assertEquals("dora", sdk(host, lasting).currentUser().me(new MeRequest()).getUserName());

      // revoke by id (from the listing) and the token is refused by every front end
      String revokedId = AdminCli.tokenId(cli("token", "list", "--user", "dora"), "to revoke");
      cli("token", "revoke", revokedId);
      String flight = flightRefusal(server, revoked);
      assertTrue(flight.contains("was revoked at"), flight);
      // the Databricks JDBC driver (Thrift over HTTP) gets a 401 and fails the connection
      assertEquals("", refusal(thriftUrl(server, lasting), null));
      String thrift = refusal(thriftUrl(server, revoked), null);
      assertTrue(!thrift.isEmpty(), "the Databricks JDBC driver connected with a revoked token");
      DatabricksError rest =
          assertThrows(
              DatabricksError.class, () -> sdk(host, revoked).currentUser().me(new MeRequest()));
      assertEquals(401, rest.getStatusCode());
      assertTrue(rest.getMessage().contains("was revoked at"), rest.getMessage());

      // the short-lived token is refused once it expired (poll; no timing assumed)
      long deadline = System.nanoTime() + 60_000_000_000L;
      String expired = "";
      while (!expired.contains("expired at") && System.nanoTime() < deadline) {
        expired = flightRefusal(server, shortLived);
        if (!expired.contains("expired at")) {
          Thread.sleep(200);
        }
      }
      assertTrue(expired.contains("expired at"), expired);
      DatabricksError restExpired =
          assertThrows(
              DatabricksError.class, () -> sdk(host, shortLived).currentUser().me(new MeRequest()));
      assertEquals(401, restExpired.getStatusCode());
      assertTrue(restExpired.getMessage().contains("expired at"), restExpired.getMessage());

      String listing = cli("token", "list", "--user", "dora");
      assertTrue(listing.contains("\trevoked\tto revoke"), listing);
      assertTrue(listing.contains("\texpired\t"), listing);
      assertTrue(listing.contains("\tactive\t"), listing);
      assertTrue(!listing.contains("dapi"), "the listing never shows tokens: " + listing);
    }
  }

  private static WorkspaceClient sdk(String host, String token) {
    return new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(token));
  }

  private static String flightRefusal(ConformanceServer server, String token) {
    return refusal(server.jdbcUrl(), token);
  }

  private static String thriftUrl(ConformanceServer server, String token) {
    return server.server().databricksRest().jdbcUrl().replace(";useThriftClient=0", "")
        + ";UID=token;PWD="
        + token;
  }

  /**
   * Connects (with the token as property {@code token}, unless null) and runs a statement; the
   * refusal's messages, or "" if it worked.
   */
  private static String refusal(String url, String token) {
    try (Connection c =
        token == null
            ? java.sql.DriverManager.getConnection(url)
            : SecurityServer.connect(url, token)) {
      single(c, "SELECT 1");
      return "";
    } catch (SQLException e) {
      StringBuilder messages = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      return messages.toString();
    }
  }

  private String cli(String... args) {
    return AdminCli.run(dataDirectory, args);
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }
}
