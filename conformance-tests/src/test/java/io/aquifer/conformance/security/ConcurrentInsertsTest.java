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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 clients each INSERT 20 rows, one statement per row, into one table through the Flight SQL JDBC
 * driver. INSERT ... VALUES reads nothing of its target (a blind append), so a concurrent commit is
 * no conflict for it: every INSERT commits, and the table ends with exactly one row per INSERT. An
 * INSERT that reads its own target is no blind append and still conflicts for real.
 */
class ConcurrentInsertsTest {
  static final int CLIENTS = 8;
  static final int INSERTS = 20;
  static final int SELF_INSERTS = 10;

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

  /**
   * {@code INSERT ... SELECT max(n) + 1} from the target itself reads the table it writes, so it is
   * no blind append: when another commit came after the version it read, it fails as a real
   * conflict (DELTA_CONCURRENT_WRITE, 2D521) instead of being rebased onto rows it never saw. No
   * number is written twice, and every committed INSERT added exactly one.
   */
  @Test
  void insertsThatReadTheirTargetConflictInsteadOfRebasing() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE seq (n BIGINT)");
        s.execute("INSERT INTO seq VALUES (0)");
      }
      AtomicInteger committed = new AtomicInteger();
      AtomicInteger conflicts = new AtomicInteger();
      List<String> otherFailures = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<?>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(
              pool.submit(
                  () -> {
                    try (Connection c = server.connect();
                        Statement s = c.createStatement()) {
                      for (int n = 0; n < SELF_INSERTS; n++) {
                        try {
                          s.executeUpdate("INSERT INTO seq SELECT max(n) + 1 FROM seq");
                          committed.incrementAndGet();
                        } catch (SQLException e) {
                          String message = String.valueOf(e.getMessage());
                          if (message.contains("[DELTA_CONCURRENT_WRITE]")
                              && message.contains("SQLSTATE: 2D521")) {
                            conflicts.incrementAndGet();
                          } else {
                            synchronized (otherFailures) {
                              otherFailures.add(message);
                            }
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
      assertEquals(List.of(), otherFailures);
      assertEquals(CLIENTS * SELF_INSERTS, committed.get() + conflicts.get());
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT n), max(n) FROM seq")) {
        rs.next();
        assertEquals(committed.get() + 1, rs.getLong(1), "one row per committed INSERT");
        assertEquals(rs.getLong(1), rs.getLong(2), "a number was written twice");
        assertEquals(committed.get(), rs.getLong(3));
      }
      System.out.printf(
          "concurrent INSERT ... SELECT from the target: %d committed, %d real conflicts%n",
          committed.get(), conflicts.get());
    }
  }
}
