package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.tpch.ThroughputReport.ClientCountResult;
import io.aquifer.tpch.ThroughputReport.ClientRun;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * TPC-H throughput style: for each client count, that many clients on their own connections start
 * together and each runs the queries once in its own order (shuffled with a seed, so a run can be
 * repeated); reports the wall time, queries per hour, p50 / p95 latency and failures. Every result
 * is checked against the answer sets as {@code aquifer tpch check} does (outside the timed part),
 * so a fast wrong answer counts as a failure. Derived from TPC-H; not audited TPC results.
 */
public final class ThroughputBenchmark {
  private final TpchAnswers answers;
  private final long seed;
  private final int warmups;
  private final PrintStream out;

  /** Opens a new connection through the front end being measured. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open() throws SQLException;
  }

  /**
   * @param warmups passes over the queries on one connection, checked but not measured, before the
   *     first client count
   */
  public ThroughputBenchmark(TpchAnswers answers, long seed, int warmups, PrintStream out) {
    this.answers = requireNonNull(answers, "answers");
    if (warmups < 0) {
      throw new IllegalArgumentException("warm-ups must not be negative: " + warmups);
    }
    this.seed = seed;
    this.warmups = warmups;
    this.out = requireNonNull(out, "out");
  }

  /** The order client {@code client} (1, 2, ...) runs the queries in: the same at every count. */
  public List<TpchQuery> order(int client, List<TpchQuery> queries) {
    List<TpchQuery> order = new ArrayList<>(queries);
    Collections.shuffle(order, new Random(seed * 1_000_003L + client));
    return List.copyOf(order);
  }

  /**
   * Runs each client count in turn. Each connection gets {@code USE <schema>} and, where the server
   * knows it, {@code SET use_cached_result = false} (the clients run the same texts: they must
   * measure the engine, not the result cache).
   */
  public ThroughputReport run(
      TpchScaleFactor scaleFactor,
      TpchSchemaName schema,
      String frontEnd,
      ConnectionSource connections,
      List<Integer> clientCounts,
      List<TpchQuery> queries)
      throws SQLException {
    requireNonNull(connections, "connections");
    if (clientCounts.isEmpty() || clientCounts.stream().anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException("client counts must be 1 or more: " + clientCounts);
    }
    Instant startedAt = Instant.now();
    int mostClients = Collections.max(clientCounts);
    out.printf(
        Locale.ROOT,
        "TPC-H throughput, scale factor %s, %s, %s (%s)%n",
        scaleFactor,
        schema,
        frontEnd,
        BenchmarkReport.LABEL);
    out.printf(
        Locale.ROOT,
        "each client runs the %d queries once in its own order; result cache off; every answer"
            + " checked against %s%n",
        queries.size(),
        answers.directory());
    out.printf(Locale.ROOT, "query orders, seed %d (--seed to repeat):%n", seed);
    for (int client = 1; client <= mostClients; client++) {
      List<String> names = order(client, queries).stream().map(TpchQuery::name).toList();
      out.printf(Locale.ROOT, "  client %2d: %s%n", client, String.join(" ", names));
    }
    if (warmups > 0) {
      warmUp(connections, schema, queries);
    }
    out.printf(
        Locale.ROOT,
        "%7s  %7s  %9s  %12s  %8s  %8s  %6s  %5s%n",
        "clients",
        "queries",
        "wall (s)",
        "queries/hour",
        "p50 (s)",
        "p95 (s)",
        "errors",
        "wrong");
    out.flush();
    List<ClientCountResult> results = new ArrayList<>();
    for (int clients : clientCounts) {
      ClientCountResult result = runClients(clients, connections, schema, queries);
      results.add(result);
      print(result);
    }
    out.println("(" + BenchmarkReport.LABEL + ")");
    out.flush();
    return new ThroughputReport(scaleFactor, schema, frontEnd, seed, queries, startedAt, results);
  }

  private void warmUp(ConnectionSource connections, TpchSchemaName schema, List<TpchQuery> queries)
      throws SQLException {
    TpchChecker checker =
        new TpchChecker(answers, new PrintStream(OutputStream.nullOutputStream()));
    try (Connection connection = open(connections, schema)) {
      for (int pass = 0; pass < warmups; pass++) {
        for (TpchQuery query : queries) {
          QueryCheck check = checkOne(checker, connection, query);
          if (check.failed()) {
            out.println("  warm-up: " + describe(check));
          }
        }
      }
    }
  }

  private ClientCountResult runClients(
      int clients, ConnectionSource connections, TpchSchemaName schema, List<TpchQuery> queries)
      throws SQLException {
    List<Connection> open = new ArrayList<>();
    ExecutorService executor = Executors.newFixedThreadPool(clients, this::clientThread);
    try {
      for (int i = 0; i < clients; i++) {
        open.add(open(connections, schema));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<ClientRun>> runs = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int client = i + 1;
        Connection connection = open.get(i);
        List<TpchQuery> order = order(client, queries);
        runs.add(
            executor.submit(
                () -> {
                  start.await();
                  TpchChecker checker =
                      new TpchChecker(answers, new PrintStream(OutputStream.nullOutputStream()));
                  List<QueryCheck> checks = new ArrayList<>();
                  for (TpchQuery query : order) {
                    checks.add(checkOne(checker, connection, query));
                  }
                  return new ClientRun(client, checks);
                }));
      }
      long begin = System.nanoTime();
      start.countDown();
      List<ClientRun> done = new ArrayList<>();
      for (Future<ClientRun> run : runs) {
        done.add(run.get());
      }
      return new ClientCountResult(clients, System.nanoTime() - begin, done);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TpchException(TpchErrorCode.RUN_FAILED, "interrupted at " + clients + " clients");
    } catch (ExecutionException e) {
      throw new TpchException(
          TpchErrorCode.RUN_FAILED,
          "a client of " + clients + " stopped: " + e.getCause(),
          e.getCause());
    } finally {
      executor.shutdownNow();
      for (Connection connection : open) {
        try {
          connection.close();
        } catch (SQLException e) {
          out.println("  closing a client's connection failed: " + e.getMessage());
        }
      }
    }
  }

  private Thread clientThread(Runnable task) {
    Thread thread = new Thread(task, "tpch-throughput-client");
    thread.setDaemon(true);
    return thread;
  }

  /** The checker's run of one query; a failure of the kit itself also counts as an error. */
  private static QueryCheck checkOne(TpchChecker checker, Connection connection, TpchQuery query) {
    try {
      return checker.checkOne(connection, query);
    } catch (RuntimeException e) {
      return new QueryCheck(
          query, QueryCheck.Status.ERROR, Duration.ZERO, -1, List.of(), String.valueOf(e));
    }
  }

  private static Connection open(ConnectionSource connections, TpchSchemaName schema)
      throws SQLException {
    Connection connection = connections.open();
    try (Statement statement = connection.createStatement()) {
      statement.execute("USE " + schema.sql());
      try {
        statement.execute("SET use_cached_result = false");
      } catch (SQLException notAquifer) {
        // a server without Aquifer's result cache has nothing to bypass
      }
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private void print(ClientCountResult result) {
    out.printf(
        Locale.ROOT,
        "%7d  %7d  %9.3f  %12.1f  %8.3f  %8.3f  %6d  %5d%n",
        result.clients(),
        result.queryCount(),
        result.wallNanos() / 1e9,
        result.queriesPerHour(),
        result.latencyNanos(0.50) / 1e9,
        result.latencyNanos(0.95) / 1e9,
        result.errors(),
        result.wrongAnswers());
    for (ClientRun run : result.runs()) {
      for (QueryCheck check : run.checks()) {
        if (check.failed()) {
          out.printf(Locale.ROOT, "         client %d: %s%n", run.client(), describe(check));
        }
      }
    }
    out.flush();
  }

  private static String describe(QueryCheck check) {
    return check.query().name()
        + (check.status() == QueryCheck.Status.ERROR
            ? " failed: " + check.error()
            : " wrong answer: "
                + check.differences().size()
                + " difference(s), first "
                + check.differences().get(0));
  }

  /** Writes the report as JSON (kind {@value BenchmarkFigures#KIND_THROUGHPUT}). */
  public static void writeJson(ThroughputReport report, Path file) throws IOException {
    BenchmarkFigures.write(toJson(report), file);
  }

  public static JsonNode toJson(ThroughputReport report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("formatVersion", BenchmarkFigures.FORMAT_VERSION);
    root.put("kind", BenchmarkFigures.KIND_THROUGHPUT);
    root.put("label", BenchmarkReport.LABEL);
    root.put("benchmark", "TPC-H throughput (derived)");
    root.put("scaleFactor", report.scaleFactor().toString());
    root.put("schema", report.schema().toString());
    root.put("frontEnd", report.frontEnd());
    root.put("startedAt", report.startedAt().toString());
    root.put("seed", report.seed());
    root.put("queries", report.queries().stream().map(TpchQuery::name).toList());
    root.put("machine", BenchmarkFigures.machine());
    List<Map<String, Object>> results = new ArrayList<>();
    for (ClientCountResult result : report.results()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("clients", result.clients());
      entry.put("queries", result.queryCount());
      entry.put("wallSeconds", result.wallNanos() / 1e9);
      entry.put("queriesPerHour", result.queriesPerHour());
      entry.put("p50Seconds", result.latencyNanos(0.50) / 1e9);
      entry.put("p95Seconds", result.latencyNanos(0.95) / 1e9);
      entry.put("errors", result.errors());
      entry.put("wrongAnswers", result.wrongAnswers());
      List<Map<String, Object>> runs = new ArrayList<>();
      for (ClientRun run : result.runs()) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("client", run.client());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (QueryCheck check : run.checks()) {
          Map<String, Object> query = new LinkedHashMap<>();
          query.put("query", check.query().name());
          query.put("seconds", check.elapsed().toNanos() / 1e9);
          query.put("rows", check.rows());
          query.put("result", check.status().name().toLowerCase(Locale.ROOT));
          if (check.error() != null) {
            query.put("error", check.error());
          }
          checks.add(query);
        }
        client.put("queries", checks);
        runs.add(client);
      }
      entry.put("clientRuns", runs);
      results.add(entry);
    }
    root.put("results", results);
    return new ObjectMapper().valueToTree(root);
  }
}
