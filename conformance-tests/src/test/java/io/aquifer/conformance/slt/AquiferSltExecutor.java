package io.aquifer.conformance.slt;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.hydromatic.sqllogictest.ISqlTestOperation;
import net.hydromatic.sqllogictest.OptionsParser;
import net.hydromatic.sqllogictest.SltSqlStatement;
import net.hydromatic.sqllogictest.SltTestFile;
import net.hydromatic.sqllogictest.SqlTestQuery;
import net.hydromatic.sqllogictest.TestStatistics;
import net.hydromatic.sqllogictest.executors.JdbcExecutor;

/**
 * The sqllogictest runner's JDBC executor pointed at Aquifer: it connects through the Arrow Flight
 * SQL JDBC driver with an access token (basic auth, user {@code token}), runs each test file in a
 * fresh schema of its own, and drops that schema afterwards.
 *
 * <p>Unlike the base executor, a failing {@code statement ok} does not end the file: it is counted
 * as a failed statement and the file goes on, so one unsupported statement costs only the queries
 * that depend on it. Queries are checked by the runner's own {@link #validate} (SLT value
 * formatting, sort modes and result hashes).
 */
final class AquiferSltExecutor extends JdbcExecutor {
  /** Bound on any one statement; nothing in the corpus needs more than a second or two. */
  static final int STATEMENT_TIMEOUT_SECONDS = 60;

  private final String schema;
  private final List<String> statementFailures = new ArrayList<>();
  private int statementsPassed;

  AquiferSltExecutor(
      OptionsParser.SuppliedOptions options, String jdbcUrl, String token, String schema) {
    super(options, jdbcUrl, "token", token);
    this.schema = schema;
  }

  @Override
  public void establishConnection() throws SQLException {
    super.establishConnection();
    try (Statement s = getConnection().createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute("USE " + schema);
    }
  }

  /** Tables and views go with the file's schema in {@link #execute}; nothing else to drop. */
  @Override
  public void dropAllTables() {}

  @Override
  public void dropAllViews() {}

  @Override
  public TestStatistics execute(SltTestFile file, OptionsParser.SuppliedOptions options)
      throws SQLException {
    startTest();
    establishConnection();
    RecordingStatistics statistics = new RecordingStatistics(options.verbosity);
    statistics.incFiles();
    try {
      for (ISqlTestOperation operation : file.fileContents) {
        SltSqlStatement statement = operation.as(SltSqlStatement.class);
        if (statement != null) {
          runStatement(statement);
        } else {
          runQuery(operation.to(options.err, SqlTestQuery.class), statistics);
        }
      }
    } finally {
      try (Statement s = getConnection().createStatement()) {
        s.execute("USE default");
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      } finally {
        closeConnection();
      }
    }
    return statistics;
  }

  private void runStatement(SltSqlStatement statement) {
    try (Statement s = getConnection().createStatement()) {
      s.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
      s.execute(statement.statement);
      if (statement.shouldPass) {
        statementsPassed++;
      } else {
        statementFailures.add("succeeded but should fail: " + statement.statement);
      }
    } catch (SQLException e) {
      if (statement.shouldPass) {
        statementFailures.add(firstLine(e.getMessage()) + ": " + statement.statement);
      } else {
        statementsPassed++;
      }
    }
    statementsExecuted++;
  }

  private void runQuery(SqlTestQuery query, TestStatistics statistics) {
    try (Statement s = getConnection().createStatement()) {
      s.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
      try (var results = s.executeQuery(query.getQuery())) {
        validate(query, results, query.outputDescription, statistics);
      }
    } catch (Throwable e) {
      statistics.addFailure(
          new TestStatistics.FailedTestDescription(query, firstLine(e.getMessage()), "", e));
    }
  }

  /** The runner's statistics, keeping each failure where this executor can read it. */
  static final class RecordingStatistics extends TestStatistics {
    private final List<FailedTestDescription> failures = new ArrayList<>();

    RecordingStatistics(int verbosity) {
      super(false, verbosity);
    }

    @Override
    public boolean addFailure(FailedTestDescription failure) {
      failures.add(failure);
      return super.addFailure(failure);
    }

    List<FailedTestDescription> failures() {
      return List.copyOf(failures);
    }
  }

  int statementsPassed() {
    return statementsPassed;
  }

  List<String> statementFailures() {
    return List.copyOf(statementFailures);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
