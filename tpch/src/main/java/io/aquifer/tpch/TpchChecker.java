package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs TPC-H queries through a JDBC connection (any driver: the Flight SQL driver against a running
 * Aquifer, or in-process DuckDB) and compares every row with the answer sets, printing a pass/fail
 * table with times. The caller owns the connection.
 */
public final class TpchChecker {
  private final TpchAnswers answers;
  private final AnswerComparator comparator = new AnswerComparator();
  private final PrintStream out;

  /**
   * @param out where the table goes; {@code PrintStream.nullOutputStream()} for none
   */
  public TpchChecker(TpchAnswers answers, PrintStream out) {
    this.answers = requireNonNull(answers, "answers");
    this.out = requireNonNull(out, "out");
  }

  /**
   * Makes {@code schema} current ({@code USE catalog.schema}) and checks the queries on {@code
   * connection}, one after another.
   */
  public CheckReport check(Connection connection, TpchSchemaName schema, List<TpchQuery> queries)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("USE " + schema.sql());
    }
    return check(connection, queries, schema.toString());
  }

  /** Checks the queries on a connection whose current schema holds the tables already. */
  public CheckReport check(Connection connection, List<TpchQuery> queries, String target) {
    out.printf(
        Locale.ROOT,
        "TPC-H answer check of %s against %s (derived from TPC-H; not audited TPC results)%n",
        target,
        answers.directory());
    out.printf(
        Locale.ROOT, "%-5s  %-10s  %9s  %7s  %s%n", "query", "result", "time (s)", "rows", "note");
    List<QueryCheck> results = new ArrayList<>();
    for (TpchQuery query : queries) {
      QueryCheck result = checkOne(connection, query);
      results.add(result);
      print(result);
    }
    CheckReport report = new CheckReport(results);
    out.printf(
        Locale.ROOT,
        "%d queries: %d passed, %d failed; %.3f s in total%n",
        results.size(),
        report.passed(),
        report.failures(),
        report.totalElapsed().toNanos() / 1e9);
    out.flush();
    return report;
  }

  QueryCheck checkOne(Connection connection, TpchQuery query) {
    ExpectedResult expected = answers.answer(query);
    long start = System.nanoTime();
    ActualResult actual;
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(query.statement())) {
      actual = ActualResult.read(rs);
    } catch (SQLException | RuntimeException e) {
      return new QueryCheck(
          query,
          QueryCheck.Status.ERROR,
          Duration.ofNanos(System.nanoTime() - start),
          -1,
          List.of(),
          firstLine(e));
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    List<AnswerDifference> differences = comparator.compare(expected, actual);
    QueryCheck.Status status =
        differences.isEmpty() ? QueryCheck.Status.PASSED : QueryCheck.Status.FAILED;
    return new QueryCheck(query, status, elapsed, actual.rows().size(), differences, null);
  }

  private void print(QueryCheck result) {
    String note =
        switch (result.status()) {
          case PASSED -> "";
          case FAILED -> result.differences().size() + " difference(s)";
          case ERROR -> result.error();
        };
    out.printf(
        Locale.ROOT,
        "%-5s  %-10s  %9.3f  %7s  %s%n",
        result.query().name(),
        result.status() == QueryCheck.Status.PASSED ? "pass" : result.status().name(),
        result.elapsed().toNanos() / 1e9,
        result.rows() < 0 ? "-" : Long.toString(result.rows()),
        note);
    for (AnswerDifference difference : result.differences()) {
      out.println("       " + difference);
    }
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
