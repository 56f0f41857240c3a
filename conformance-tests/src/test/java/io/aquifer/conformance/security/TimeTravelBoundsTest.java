package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time travel outside a table's log fails at once with DELTA_VERSION_NOT_FOUND, naming the table
 * (not its files) and the versions that exist; a huge version must not send Delta Kernel on an
 * endless checkpoint search. (The timeout only keeps a regression from hanging the build.)
 */
class TimeTravelBoundsTest {
  @TempDir Path dataDirectory;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void versionsAndTimestampsOutsideTheLogFailNamingTheTableAndRange() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE travel (id INT)");
      s.execute("INSERT INTO travel VALUES (1)");
      s.execute("INSERT INTO travel VALUES (2)");
      for (String version : new String[] {"999999999999", "9223372036854775807", "3"}) {
        String message =
            assertFails(
                "DELTA_VERSION_NOT_FOUND",
                "22023",
                () -> s.executeQuery("SELECT * FROM travel VERSION AS OF " + version).close());
        assertTrue(message.contains("main.default.travel"), message);
        assertTrue(message.contains("available versions are 0 to 2"), message);
        assertFalse(message.contains(dataDirectory.toString()), message);
        assertFalse(message.contains("file:"), message);
      }
      String early =
          assertFails(
              "DELTA_VERSION_NOT_FOUND",
              "22023",
              () ->
                  s.executeQuery("SELECT * FROM travel TIMESTAMP AS OF '2000-01-01 00:00:00'")
                      .close());
      assertTrue(early.contains("main.default.travel"), early);
      assertTrue(early.contains("(version 0)") && early.contains("(version 2)"), early);
      assertFalse(early.contains(dataDirectory.toString()), early);
      String late =
          assertFails(
              "DELTA_VERSION_NOT_FOUND",
              "22023",
              () ->
                  s.executeQuery("SELECT * FROM travel TIMESTAMP AS OF '9999-12-31 00:00:00'")
                      .close());
      assertTrue(late.contains("main.default.travel"), late);
      assertFalse(late.contains(dataDirectory.toString()), late);
      // the versions that exist still work, and nothing keeps running
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM travel VERSION AS OF 1")) {
        rs.next();
        assertEquals(1, rs.getLong(1));
      }
      // The node ends its query just after it sent the last batch the client read: poll.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.server().runningEngineQueries() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(0, server.server().runningEngineQueries());
    }
  }
}
