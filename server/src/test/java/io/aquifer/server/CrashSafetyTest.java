package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the server process (SIGKILL, no shutdown hooks) while it runs INSERTs and UPDATEs, many
 * times, and checks after every restart that the table reads as exactly the state before or after
 * the statement that was running, and that every version in its history is a state the writer
 * produced.
 */
class CrashSafetyTest {
  private static final int ROUNDS = 6;

  @TempDir Path dataDirectory;

  /** count(*) and sum(v): enough to tell every state of this workload apart. */
  private record State(long count, long sum) {}

  @Test
  void killedWriterLeavesTheVersionBeforeOrAfter() throws Exception {
    Random random = new Random(42);
    List<State> history = new ArrayList<>();
    int interrupted = 0;
    State after = null;
    for (int round = 0; round <= ROUNDS; round++) {
      Process process = startServer();
      try (Connection c = connect()) {
        State current;
        if (round == 0) {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA crash");
            s.execute("CREATE TABLE crash.ten (x BIGINT)");
            s.execute("INSERT INTO crash.ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
            s.execute(
                "CREATE TABLE crash.t AS SELECT a.x * 10000 + b.x * 1000 + c.x * 100 + d.x * 10 + e.x AS k,"
                    + " CAST(1 AS BIGINT) AS v FROM crash.ten a, crash.ten b, crash.ten c, crash.ten d,"
                    + " crash.ten e");
          }
          current = read(c);
          assertEquals(new State(100_000, 100_000), current);
          history.add(current);
        } else {
          // After a kill: the state before or after the interrupted statement, nothing else.
          current = read(c);
          State last = history.get(history.size() - 1);
          assertTrue(
              current.equals(last) || current.equals(after),
              "round "
                  + round
                  + ": table reads "
                  + current
                  + "; expected the state before the"
                  + " interrupted statement "
                  + last
                  + " or after it "
                  + after);
          if (!current.equals(last)) {
            history.add(current);
          }
          checkEveryVersion(c, history);
        }
        if (round == ROUNDS) {
          break;
        }
        long deadline =
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1500));
        boolean killed = false;
        while (!killed) {
          boolean insert = random.nextBoolean();
          after =
              insert
                  ? new State(current.count + 1000, current.sum + 1000)
                  : new State(current.count, current.sum + current.count);
          String sql =
              insert
                  ? "INSERT INTO crash.t SELECT k + 1000000, CAST(1 AS BIGINT) FROM crash.t WHERE k < 1000"
                  : "UPDATE crash.t SET v = v + 1";
          Thread killer = null;
          if (System.nanoTime() > deadline) {
            // Kill during this statement, after a random part of it has run.
            int delay = random.nextInt(250);
            killer =
                new Thread(
                    () -> {
                      sleep(delay);
                      process.destroyForcibly();
                    });
            killer.start();
          }
          try (Statement s = c.createStatement()) {
            s.execute(sql);
            current = after;
            history.add(current);
          } catch (SQLException e) {
            if (killer == null) {
              throw e;
            }
            interrupted++;
          }
          if (killer != null) {
            killer.join();
            killed = true;
          }
        }
      } finally {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
    assertTrue(interrupted > 0, "no kill landed inside a statement");
  }

  /** Every version of the table after its creation is one of the states the writer produced. */
  private void checkEveryVersion(Connection c, List<State> history) throws SQLException {
    List<Long> versions = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE HISTORY crash.t")) {
      while (rs.next()) {
        versions.add(rs.getLong("version"));
      }
    }
    for (long version : versions) {
      State state;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), coalesce(sum(v), 0) FROM crash.t VERSION AS OF " + version)) {
        rs.next();
        state = new State(rs.getLong(1), rs.getLong(2));
      }
      assertTrue(
          history.contains(state),
          "version " + version + " reads " + state + ", a state never committed");
    }
  }

  private State read(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(v), 0) FROM crash.t")) {
      rs.next();
      return new State(rs.getLong(1), rs.getLong(2));
    }
  }

  private Process startServer() throws Exception {
    Path log = dataDirectory.resolve("server.log");
    ProcessBuilder.Redirect append = ProcessBuilder.Redirect.appendTo(log.toFile());
    return ServerProcess.start(dataDirectory, append, append, log, List.of());
  }

  private Connection connect() throws Exception {
    JsonNode info =
        new ObjectMapper().readTree(dataDirectory.resolve(ConnectionFile.NAME).toFile());
    Properties p = new Properties();
    p.setProperty(
        "token", Files.readString(dataDirectory.resolve(ServerProcess.TOKEN_FILE)).trim());
    return DriverManager.getConnection(info.path("jdbc").path("arrowFlightSql").asText(), p);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
