package io.aquifer.conformance.security;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A JDBC client in its own JVM, for {@link ClientGoneTest}: connects with the driver of the URL and
 * runs a long query, printing what happens on stdout, one {@code key=value} line at a time.
 *
 * <p>Arguments: {@code url token sql idle-millis timeout-seconds}. It stays idle for {@code
 * idle-millis} after connecting (then proves the connection still works), runs {@code sql} with the
 * query timeout (0: none), prints the outcome, closes the statement, and then waits for its stdin
 * to close, so that the connection stays open until the test has looked at the engine.
 */
public final class ClientGoneProbe {
  private ClientGoneProbe() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Properties p = new Properties();
    p.setProperty("token", args[1]);
    String sql = args[2];
    long idleMillis = Long.parseLong(args[3]);
    int timeoutSeconds = Integer.parseInt(args[4]);
    try (Connection c = DriverManager.getConnection(url, p);
        Statement s = c.createStatement()) {
      System.out.println("connected=" + c.getClass().getName());
      if (idleMillis > 0) {
        // An idle client: its connection must outlive the server's heartbeat timeout.
        Thread.sleep(idleMillis);
        try (ResultSet rs = s.executeQuery("SELECT 1")) {
          rs.next();
          System.out.println("alive_after_idle=" + rs.getInt(1));
        }
      }
      s.setQueryTimeout(timeoutSeconds);
      System.out.println("running=true");
      try (ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        System.out.println("result=" + rs.getObject(1));
      } catch (SQLException e) {
        System.out.println("error=" + String.valueOf(e.getMessage()).replace('\n', ' '));
        System.out.println("error_state=" + e.getSQLState());
      }
      // As an application does after an error; the connection stays open.
      s.close();
      System.out.println("statement_closed=true");
      waitForStdinToClose();
    }
    System.out.println("closed=true");
  }

  private static void waitForStdinToClose() throws IOException {
    while (System.in.read() >= 0) {
      // Nothing is sent; the test closes stdin (or kills this JVM).
    }
  }
}
