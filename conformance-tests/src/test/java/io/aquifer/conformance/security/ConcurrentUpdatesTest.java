package io.aquifer.conformance.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * 8 clients each UPDATE one row 10 times through the Flight SQL JDBC driver. An UPDATE either
 * commits or fails as a real Delta write conflict (DELTA_CONCURRENT_WRITE, SQLSTATE 2D521); no
 * other failure, and the row ends with exactly one increment per committed UPDATE.
 */
class ConcurrentUpdatesTest {
  static final int CLIENTS = 8;
  static final int UPDATES = 10;

  @TempDir Path dataDirectory;

  @Test
  void concurrentUpdatesOfOneRowFailOnlyWithRealConflicts() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE counter (id INT, n BIGINT)");
        s.execute("INSERT INTO counter VALUES (1, 0), (2, 0)");
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
                      for (int u = 0; u < UPDATES; u++) {
                        try {
                          assertEquals(
                              1, s.executeUpdate("UPDATE counter SET n = n + 1 WHERE id = 1"));
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
      assertEquals(CLIENTS * UPDATES, committed.get() + conflicts.get());
      assertTrue(committed.get() > 0);
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, n FROM counter ORDER BY id")) {
        rs.next();
        assertEquals(committed.get(), rs.getLong(2), "one increment per committed UPDATE");
        rs.next();
        assertEquals(0, rs.getLong(2));
      }
      System.out.printf(
          "concurrent UPDATEs: %d committed, %d real conflicts%n",
          committed.get(), conflicts.get());
    }
  }
}
