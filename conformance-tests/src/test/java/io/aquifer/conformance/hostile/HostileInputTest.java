package io.aquifer.conformance.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws more than 10,000 malformed and hostile statements ({@link HostileStatements}) at a real
 * server over several Arrow Flight SQL connections at once. Every statement must end within a
 * bounded time; each failure must be a clear error with a SQLSTATE (never an internal error or a
 * transport failure); only reads may succeed; afterwards the server still answers and everything a
 * client can observe (catalogs, schemas, tables, views, columns, rows, Delta history) is as it was.
 */
class HostileInputTest {
  static final long SEED = 0xA0_1FE4L;
  static final int MINIMUM_STATEMENTS = 10_000;
  static final int CONNECTIONS = 4;

  /**
   * A statement still running after this is canceled by the client and reported. It catches a
   * statement that runs away, not a slow one: 60 s leaves room for a machine loaded by other work
   * (a 110 KB IN-list took just over 20 s once at load 12).
   */
  static final Duration STATEMENT_BOUND = Duration.ofSeconds(60);

  /** A statement that does not end this long after its cancel is a hang. */
  static final Duration HANG = Duration.ofSeconds(40);

  private static final Pattern SQLSTATE = Pattern.compile("SQLSTATE: ([0-9A-Z]{5})");

  @TempDir Path dataDirectory;

  @Test
  void hostileStatementsFailCleanlyAndChangeNothing() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      try (Connection c = server.connect();
          Statement s = c.createStatement()) {
        for (String sql : FIXTURE) {
          s.execute(sql);
        }
      }
      WarehouseState before;
      try (Connection c = server.connect()) {
        before = WarehouseState.capture(c);
      }
      List<HostileStatement> statements =
          HostileStatements.generate(
              SEED, dataDirectory.toAbsolutePath().toString(), MINIMUM_STATEMENTS);
      assertTrue(statements.size() >= MINIMUM_STATEMENTS, "generated " + statements.size());

      long start = System.nanoTime();
      Run run = new Run(server);
      run.all(statements);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      WarehouseState after;
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*), sum(a) FROM target.t")) {
        assertTrue(rs.next(), "the server answers after the run");
        assertEquals(3, rs.getLong(1));
        after = WarehouseState.capture(c);
      }
      String report = run.report(statements.size(), took);
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "hostile-input-report.txt"), report);

      List<String> problems = new ArrayList<>(run.problems);
      before.differences(after).forEach(d -> problems.add("warehouse changed: " + d));
      Collections.sort(problems);
      assertTrue(
          problems.isEmpty(),
          problems.size()
              + " problems:\n"
              + String.join("\n", problems.subList(0, Math.min(60, problems.size()))));
    }
  }

  static final List<String> FIXTURE =
      List.of(
          "CREATE SCHEMA target",
          "CREATE TABLE target.t (a INT, b STRING, c DOUBLE)",
          "INSERT INTO target.t VALUES (1, 'x', 1.5), (2, 'y', 2.5)",
          "INSERT INTO target.t VALUES (3, NULL, NULL)",
          "CREATE TABLE target.u (id BIGINT, d DATE)",
          "INSERT INTO target.u VALUES (1, DATE '2024-01-01'), (3, DATE '2019-05-05')",
          "CREATE VIEW target.v AS SELECT a, b FROM target.t");

  /** Runs statements over several connections, each bounded by a client-side cancel. */
  private static final class Run {
    private final ConformanceServer server;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sqlStates = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> millisByCategory =
        new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();

    Run(ConformanceServer server) {
      this.server = server;
    }

    void all(List<HostileStatement> statements) throws Exception {
      ExecutorService workers = Executors.newFixedThreadPool(CONNECTIONS);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < CONNECTIONS; w++) {
          int worker = w;
          futures.add(
              workers.submit(
                  () -> {
                    worker(statements, worker);
                    return null;
                  }));
        }
        long perWorker = statements.size() / CONNECTIONS + 1;
        long deadline =
            System.nanoTime()
                + TimeUnit.SECONDS.toNanos(240)
                + perWorker * TimeUnit.MILLISECONDS.toNanos(50);
        for (Future<?> f : futures) {
          try {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            problems.add("hang: a connection did not finish its statements in time");
          }
        }
      } finally {
        workers.shutdownNow();
        watchdog.shutdownNow();
      }
    }

    private void worker(List<HostileStatement> statements, int worker) throws SQLException {
      Connection connection = server.connect();
      try {
        for (int i = worker; i < statements.size(); i += CONNECTIONS) {
          HostileStatement h = statements.get(i);
          if (connection.isClosed()) {
            connection = server.connect();
          }
          long started = System.nanoTime();
          String outcome = runOne(connection, h);
          millisByCategory
              .computeIfAbsent(h.category(), k -> new java.util.concurrent.atomic.AtomicLong())
              .addAndGet((System.nanoTime() - started) / 1_000_000);
          outcomes
              .computeIfAbsent(h.category() + " / " + outcome, k -> new AtomicInteger())
              .incrementAndGet();
        }
      } finally {
        connection.close();
      }
    }

    private String runOne(Connection connection, HostileStatement h) {
      long start = System.nanoTime();
      Statement statement = null;
      ScheduledFuture<?> cancel = null;
      boolean[] canceled = {false};
      try {
        statement = connection.createStatement();
        Statement running = statement;
        cancel =
            watchdog.schedule(
                () -> {
                  canceled[0] = true;
                  try {
                    running.cancel();
                  } catch (SQLException ignored) {
                    // reported below as a bound overrun either way
                  }
                },
                STATEMENT_BOUND.toMillis(),
                TimeUnit.MILLISECONDS);
        if (statement.execute(h.sql())) {
          try (ResultSet rs = statement.getResultSet()) {
            while (rs.next()) {
              // read every row: errors may come while streaming
            }
          }
        }
        if (canceled[0]) {
          problems.add(
              "exceeded "
                  + STATEMENT_BOUND.toSeconds()
                  + "s ["
                  + h.category()
                  + "]: "
                  + h.excerpt());
          return "slow";
        }
        if (!h.mayRead()) {
          problems.add("succeeded but must fail [" + h.category() + "]: " + h.excerpt());
        }
        return "ok";
      } catch (SQLException e) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        String message = String.valueOf(e.getMessage());
        if (canceled[0]) {
          problems.add(
              "exceeded "
                  + STATEMENT_BOUND.toSeconds()
                  + "s and was canceled after "
                  + millis
                  + "ms ["
                  + h.category()
                  + "]: "
                  + h.excerpt());
          return "canceled";
        }
        var m = SQLSTATE.matcher(message);
        if (!m.find()) {
          problems.add(
              "error without SQLSTATE ["
                  + h.category()
                  + "]: "
                  + h.excerpt()
                  + " -> "
                  + firstLine(serverMessage(message, h.sql())));
          return "error without SQLSTATE";
        }
        String state = m.group(1);
        sqlStates.computeIfAbsent(state, k -> new AtomicInteger()).incrementAndGet();
        if (state.startsWith("XX") || state.startsWith("58")) {
          problems.add(
              "internal error "
                  + state
                  + " ["
                  + h.category()
                  + "]: "
                  + h.excerpt()
                  + " -> "
                  + firstLine(serverMessage(message, h.sql())));
        }
        return "error";
      } finally {
        if (cancel != null) {
          cancel.cancel(false);
        }
        if (statement != null) {
          try {
            statement.close();
          } catch (SQLException ignored) {
            // the statement is gone either way
          }
        }
      }
    }

    String report(int count, Duration took) {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "hostile input: %d statements over %d connections in %.1fs%n",
              count,
              CONNECTIONS,
              took.toMillis() / 1000.0));
      new TreeMap<>(outcomes)
          .forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-50s %6d%n", k, v.get())));
      b.append("time by category (ms, summed over connections):");
      new TreeMap<>(millisByCategory)
          .forEach((k, v) -> b.append(' ').append(k).append('=').append(v.get()));
      b.append(System.lineSeparator()).append("SQLSTATEs:");
      new TreeMap<>(sqlStates)
          .forEach((k, v) -> b.append(' ').append(k).append('=').append(v.get()));
      b.append(System.lineSeparator())
          .append("problems: ")
          .append(problems.size())
          .append(System.lineSeparator());
      return b.toString();
    }

    /** The server's part of a driver message, which starts by repeating the statement. */
    private static String serverMessage(String message, String sql) {
      String echo = "Error while executing SQL \"" + sql + "\": ";
      return message.startsWith(echo) ? message.substring(echo.length()) : message;
    }

    private static String firstLine(String message) {
      int nl = message.indexOf('\n');
      String line = nl < 0 ? message : message.substring(0, nl);
      return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
  }
}
