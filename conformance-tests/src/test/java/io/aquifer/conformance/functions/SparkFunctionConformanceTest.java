package io.aquifer.conformance.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every deterministic example of Spark's built-in function documentation ({@code
 * ../shared/fixtures/spark-functions}) through the Arrow Flight SQL JDBC driver against a real
 * server and compares the rows with the values Apache Spark 4.1.3 computed: numbers exactly or to
 * 1e-9 relative, timestamps as instants in UTC. Each function's statements run in order in one
 * session (some set a parser option first). Failures are counted by function and category and
 * compared with {@code src/test/resources/functions/known-failures.txt} in both directions; the
 * report goes to {@code target/function-report.txt}, each failure with its statement and error to
 * {@code target/function-failures.txt}.
 */
class SparkFunctionConformanceTest {
  /** Functions whose rows come in an order the function defines (generators). */
  private static final Set<String> ORDERED =
      Set.of(
          "explode",
          "explode_outer",
          "posexplode",
          "posexplode_outer",
          "inline",
          "inline_outer",
          "stack",
          "range",
          "variant_explode");

  /**
   * Aggregates whose result follows the input order in Spark (the examples' README): without WITHIN
   * GROUP, another engine may legitimately give the elements in another order, so their values are
   * compared ignoring order.
   */
  private static final Set<String> ORDER_SENSITIVE_AGGREGATES =
      Set.of("collect_list", "collect_set", "array_agg", "listagg", "string_agg");

  private static final int THREADS = Integer.getInteger("aquifer.functions.threads", 2);
  private static final int STATEMENT_TIMEOUT_SECONDS = 60;

  @TempDir static Path dataDirectory;
  private static ConformanceServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  record Outcome(SparkFunctionExample example, FailureCategory failure, String detail) {
    boolean passed() {
      return failure == null;
    }
  }

  @Test
  void sparkExamplesGiveSparksAnswers() throws Exception {
    List<SparkFunctionExample> examples = SparkFunctionExample.readAll(SparkFunctionExample.file());
    Map<String, List<SparkFunctionExample>> byFunction = new LinkedHashMap<>();
    for (SparkFunctionExample e : examples) {
      byFunction.computeIfAbsent(e.function(), f -> new ArrayList<>()).add(e);
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<List<Outcome>>> futures = new ArrayList<>();
    try {
      for (List<SparkFunctionExample> statements : byFunction.values()) {
        futures.add(pool.submit(() -> runInOneSession(statements)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<List<Outcome>> f : futures) {
        outcomes.addAll(f.get());
      }
      report(outcomes);
      Map<String, Integer> counts = new TreeMap<>();
      for (Outcome o : outcomes) {
        if (!o.passed()) {
          counts.merge(
              FunctionKnownFailures.key(o.example().function(), o.failure().label()),
              1,
              Integer::sum);
        }
      }
      Files.writeString(
          Path.of("target/function-known-failures.txt"), FunctionKnownFailures.format(counts));
      List<String> problems =
          FunctionKnownFailures.read(FunctionKnownFailures.FILE).compare(counts);
      assertTrue(
          problems.isEmpty(),
          "function examples differ from "
              + FunctionKnownFailures.FILE
              + " (target/function-failures.txt has each failure; target/"
              + "function-known-failures.txt the counts of this run):\n"
              + String.join("\n", problems));
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The functions the Flight SQL metadata advertises all resolve: calling each with no arguments
   * fails, if at all, for its arguments, never as an unknown function (UNRESOLVED_ROUTINE, 42883).
   */
  @Test
  void advertisedFunctionsResolve() throws Exception {
    try (Connection c = server.connect()) {
      java.sql.DatabaseMetaData md = c.getMetaData();
      List<String> names = new ArrayList<>();
      for (String list :
          new String[] {
            md.getNumericFunctions(),
            md.getStringFunctions(),
            md.getSystemFunctions(),
            md.getTimeDateFunctions()
          }) {
        for (String name : list.split(",")) {
          if (!name.isBlank()) {
            names.add(name.strip());
          }
        }
      }
      assertTrue(
          names.containsAll(List.of("DATE_TRUNC", "DATEDIFF", "NOW", "ABS", "CONCAT")),
          names::toString);
      List<String> unknown = new ArrayList<>();
      for (String name : names) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT " + name + "()")) {
          while (rs.next()) {
            // a function without arguments ran
          }
        } catch (SQLException e) {
          if (FailureCategory.ofError(e.getMessage()) == FailureCategory.UNKNOWN_FUNCTION) {
            unknown.add(name);
          }
        }
      }
      assertTrue(unknown.isEmpty(), "advertised but unknown: " + unknown);
    }
  }

  /** One function's statements, in order, in one session; the checked ones give an outcome. */
  private static List<Outcome> runInOneSession(List<SparkFunctionExample> statements)
      throws SQLException {
    List<Outcome> outcomes = new ArrayList<>();
    try (Connection c = server.connect()) {
      for (SparkFunctionExample e : statements) {
        if (!e.isChecked()) {
          if (e.isSetting()) {
            execute(c, e.sql()); // its effect on later statements is what counts
          }
          continue;
        }
        outcomes.add(run(c, e));
      }
    }
    return outcomes;
  }

  private static void execute(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException ignored) {
      // a setting Aquifer does not know; the statements after it show whether that matters
    }
  }

  private static Outcome run(Connection c, SparkFunctionExample e) {
    List<List<String>> actual = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
      try (ResultSet rs = s.executeQuery(e.sql())) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            String type = i <= e.types().size() ? e.types().get(i - 1) : null;
            row.add(SparkRendering.render(value(rs, i), type));
          }
          actual.add(row);
        }
      }
    } catch (SQLException | RuntimeException ex) {
      String message = String.valueOf(ex.getMessage()).replace('\n', ' ');
      return new Outcome(e, FailureCategory.ofError(message), message);
    }
    List<List<String>> expected = e.rows();
    boolean ordered = ORDERED.contains(e.function()) || hasOuterOrderBy(e.sql());
    if (!ordered) {
      expected = sorted(expected);
      actual = sorted(actual);
    }
    if (ORDER_SENSITIVE_AGGREGATES.contains(e.function())
        && !e.sql().toUpperCase(Locale.ROOT).contains("WITHIN GROUP")) {
      expected =
          expected.stream().map(r -> r.stream().map(SparkRendering::unordered).toList()).toList();
      actual =
          actual.stream().map(r -> r.stream().map(SparkRendering::unordered).toList()).toList();
    }
    if (!rowsMatch(expected, actual)) {
      return new Outcome(
          e, FailureCategory.WRONG_RESULT, "expected " + expected + " but got " + actual);
    }
    return new Outcome(e, null, "");
  }

  /** Whether the statement orders its rows (an ORDER BY outside parentheses). */
  static boolean hasOuterOrderBy(String sql) {
    StringBuilder outer = new StringBuilder();
    int depth = 0;
    for (char c : sql.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (depth == 0) {
        outer.append(c);
      }
    }
    return outer.toString().toUpperCase(Locale.ROOT).contains("ORDER BY");
  }

  /**
   * The column's value. The driver's {@code getObject(int)} is not implemented for some nested
   * types; {@code getObject(int, Object.class)} reads the Arrow value directly, except for
   * timestamps, which {@code getTimestamp} reads.
   */
  private static Object value(ResultSet rs, int column) throws SQLException {
    try {
      return rs.getObject(column);
    } catch (RuntimeException notImplemented) {
      try {
        return rs.getObject(column, Object.class);
      } catch (SQLException | RuntimeException notForThisType) {
        return rs.getTimestamp(column);
      }
    }
  }

  private static List<List<String>> sorted(List<List<String>> rows) {
    List<List<String>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  private static boolean rowsMatch(List<List<String>> expected, List<List<String>> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int r = 0; r < expected.size(); r++) {
      List<String> want = expected.get(r);
      List<String> got = actual.get(r);
      if (want.size() != got.size()) {
        return false;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!SparkRendering.matches(want.get(i), got.get(i))) {
          return false;
        }
      }
    }
    return true;
  }

  private static void report(List<Outcome> outcomes) throws Exception {
    long passed = outcomes.stream().filter(Outcome::passed).count();
    Map<String, Integer> byCategory = new TreeMap<>();
    Map<String, int[]> byFunction = new TreeMap<>();
    StringBuilder failures = new StringBuilder();
    for (Outcome o : outcomes) {
      int[] counts = byFunction.computeIfAbsent(o.example().function(), f -> new int[2]);
      counts[1]++;
      if (o.passed()) {
        counts[0]++;
        continue;
      }
      byCategory.merge(o.failure().label(), 1, Integer::sum);
      failures
          .append(o.example().function())
          .append(" [")
          .append(o.failure().label())
          .append("] ")
          .append(o.example().sql())
          .append("\n    ")
          .append(o.detail())
          .append("\n");
    }
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "Spark function examples: %d of %d passed (%.1f%%)%n",
            passed,
            outcomes.size(),
            100.0 * passed / Math.max(1, outcomes.size())));
    byCategory.forEach((k, v) -> report.append(String.format("  %-18s %d%n", k, v)));
    long functionsPassing = byFunction.values().stream().filter(c -> c[0] == c[1]).count();
    report.append(
        String.format(
            "functions with every example passing: %d of %d%n",
            functionsPassing, byFunction.size()));
    byFunction.forEach((f, c) -> report.append(String.format("  %-34s %d/%d%n", f, c[0], c[1])));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/function-report.txt"), report.toString());
    Files.writeString(Path.of("target/function-failures.txt"), failures.toString());
    System.out.print(report.substring(0, report.indexOf("functions with")));
  }
}
