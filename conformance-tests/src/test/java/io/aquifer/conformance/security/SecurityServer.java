package io.aquifer.conformance.security;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.server.AquiferServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;

/** What the security suites share: connections as any user, and checks of the errors they see. */
final class SecurityServer {
  private static final Pattern ERROR = Pattern.compile("\\[([A-Z_.]+)\\].*SQLSTATE: ([0-9A-Z]{5})");

  private SecurityServer() {}

  /**
   * A token for a new non-admin user, created the way {@code aquifer token create --user} does,
   * directly in the catalog database of the running server.
   */
  static String userToken(Path dataDirectory, String user) {
    try (CatalogDatabase database =
        CatalogDatabase.open(dataDirectory.resolve(AquiferServer.CATALOG_FILE))) {
      new PrincipalStore(database).createUser(user, false);
      return new AccessTokenStore(database)
          .createToken(user, Optional.of("security test"), Optional.empty())
          .token();
    }
  }

  static Connection connect(String jdbcUrl, String token) throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", token);
    return DriverManager.getConnection(jdbcUrl, p);
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The statement fails with this error class and SQLSTATE; returns the message. */
  static String assertFails(String errorClass, String sqlState, Executable call) {
    try {
      call.execute();
    } catch (Throwable t) {
      String message = String.valueOf(t.getMessage());
      for (Throwable c = t.getCause();
          c != null && !ERROR.matcher(message).find();
          c = c.getCause()) {
        message = String.valueOf(c.getMessage());
      }
      Matcher m = ERROR.matcher(message);
      assertTrue(m.find(), "no error class and SQLSTATE in: " + message);
      if (!m.group(1).equals(errorClass) || !m.group(2).equals(sqlState)) {
        fail("expected [" + errorClass + "] " + sqlState + " but got: " + message);
      }
      assertNotNull(message);
      return message;
    }
    return fail("expected [" + errorClass + "] " + sqlState + " but the call succeeded");
  }
}
