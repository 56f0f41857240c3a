package io.aquifer.conformance.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 clients each INSERT 20 rows, one statement per row, into one table through the Flight SQL JDBC
 * driver. INSERT ... VALUES reads nothing of its target (a blind append), so a concurrent commit is
 * no conflict for it: every INSERT commits, and the table ends with exactly one row per INSERT.
 */
class ConcurrentInsertsTest {
  static final int CLIENTS = 8;
  static final int INSERTS = 20;

  @TempDir Path dataDirectory;

  @Test
  void concurrentBlindAppendsAllCommit() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE appended (client INT, n INT)");
      }
      List<String> failures = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<?>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          int client = i;
          clients.add(
              pool.submit(
                  () -> {
                    try (Connection c = server.connect();
                        Statement s = c.createStatement()) {
                      for (int n = 0; n < INSERTS; n++) {
                        try {
                          assertEquals(
                              1,
                              s.executeUpdate(
                                  "INSERT INTO appended VALUES (" + client + ", " + n + ")"));
                        } catch (SQLException e) {
                          synchronized (failures) {
                            failures.add(e.getMessage());
                          }
                        }
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> client : clients) {
          client.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(List.of(), failures);
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), count(DISTINCT client * 1000 + n), count(DISTINCT client)"
                      + " FROM appended")) {
        rs.next();
        assertEquals(CLIENTS * INSERTS, rs.getLong(1), "one row per INSERT");
        assertEquals(CLIENTS * INSERTS, rs.getLong(2), "no row twice");
        assertEquals(CLIENTS, rs.getLong(3));
      }
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("DESCRIBE HISTORY appended")) {
        int commits = 0;
        while (rs.next()) {
          commits++;
        }
        System.out.printf(
            "concurrent INSERTs: %d committed in %d table versions%n", CLIENTS * INSERTS, commits);
      }
    }
  }
}
