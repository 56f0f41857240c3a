package io.aquifer.conformance.slt;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.aquifer.conformance.ConformanceServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.hydromatic.sqllogictest.OptionsParser;
import net.hydromatic.sqllogictest.SltTestFile;
import net.hydromatic.sqllogictest.TestStatistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's sqllogictest corpus (select1-5 and evidence/) through the Arrow Flight SQL JDBC driver
 * against a real server, each file in a fresh schema. Failures are compared, per file, with {@code
 * src/test/resources/slt/known-failures.txt}.
 *
 * <p>System properties: {@code aquifer.slt.corpus} = {@code sample} (default) or {@code all};
 * {@code aquifer.slt.files} = a comma-separated subset of files; {@code aquifer.slt.threads} =
 * files run at once (default 2). The per-file report is printed and written to {@code
 * target/slt-report-<corpus>.txt}, every failure to {@code target/slt-failures-<corpus>.txt}.
 */
class SqlLogicTest {
  /** Average time a file may take before the run is declared hung; the largest takes ~2 min. */
  private static final long FILE_TIMEOUT_MINUTES = 5;

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

  @Test
  void corpus() throws Exception {
    SltCorpus.Selection selection =
        SltCorpus.Selection.fromProperty(System.getProperty("aquifer.slt.corpus"));
    List<String> files = SltCorpus.files();
    String subset = System.getProperty("aquifer.slt.files", "");
    boolean partial = !subset.isBlank();
    if (partial) {
      List<String> wanted = List.of(subset.split(","));
      files =
          files.stream().filter(f -> wanted.stream().anyMatch(w -> f.equals(w.strip()))).toList();
      assertTrue(!files.isEmpty(), "no corpus file matches " + subset);
    }
    int threads = Integer.getInteger("aquifer.slt.threads", 2);

    long start = System.nanoTime();
    List<SltFileResult> results = runAll(files, selection, threads);
    Duration total = Duration.ofNanos(System.nanoTime() - start);

    String report = report(selection, results, total);
    System.out.println(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "slt-report-" + selection.label() + ".txt"), report);
    List<String> failureLines = new ArrayList<>();
    for (SltFileResult r : results) {
      r.failures().forEach(f -> failureLines.add(r.file() + ": " + f));
    }
    Files.write(Path.of("target", "slt-failures-" + selection.label() + ".txt"), failureLines);

    KnownFailures known = KnownFailures.read(KnownFailures.FILE);
    List<String> problems = known.compare(selection, results);
    if (!problems.isEmpty()) {
      StringBuilder message = new StringBuilder();
      for (SltFileResult r : results) {
        KnownFailures.Counts k = known.get(selection, r.file());
        if (r.failedQueries() > k.queries() || r.failedStatements() > k.statements()) {
          message.append("failures in ").append(r.file()).append(":\n");
          r.failures().stream().limit(20).forEach(f -> message.append("  ").append(f).append('\n'));
        }
      }
      problems.forEach(p -> message.append(p).append('\n'));
      fail(message.toString());
    }
  }

  private static List<SltFileResult> runAll(
      List<String> files, SltCorpus.Selection selection, int threads) throws Exception {
    AtomicInteger schemas = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<SltFileResult>> futures = new ArrayList<>();
      for (String file : files) {
        futures.add(
            pool.submit(() -> runFile(file, selection, "slt_" + schemas.incrementAndGet())));
      }
      List<SltFileResult> results = new ArrayList<>();
      long deadline =
          System.nanoTime() + TimeUnit.MINUTES.toNanos(FILE_TIMEOUT_MINUTES * files.size());
      for (int i = 0; i < futures.size(); i++) {
        try {
          results.add(
              futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          throw new AssertionError(
              files.get(i)
                  + " did not finish in time: a statement hangs (every statement has a "
                  + AquiferSltExecutor.STATEMENT_TIMEOUT_SECONDS
                  + "s timeout)");
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  static SltFileResult runFile(String file, SltCorpus.Selection selection, String schema)
      throws IOException, java.sql.SQLException {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    OptionsParser.SuppliedOptions options = new OptionsParser(false, quiet, quiet).getOptions();
    long start = System.nanoTime();
    SltTestFile test = SltCorpus.load(file, selection, options);
    AquiferSltExecutor executor =
        new AquiferSltExecutor(options, server.jdbcUrl(), server.token(), schema);
    AquiferSltExecutor.RecordingStatistics stats =
        (AquiferSltExecutor.RecordingStatistics) executor.execute(test, options);
    List<String> failures = new ArrayList<>();
    for (TestStatistics.FailedTestDescription f : stats.failures()) {
      failures.add(oneLine(f.toString(0)));
    }
    executor.statementFailures().forEach(s -> failures.add("statement: " + oneLine(s)));
    int statements = executor.statementsPassed() + executor.statementFailures().size();
    return new SltFileResult(
        file,
        stats.totalTests(),
        stats.getFailedTestCount(),
        statements,
        executor.statementFailures().size(),
        failures,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " | ");
  }

  static String report(SltCorpus.Selection selection, List<SltFileResult> results, Duration total) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "sqllogictest (%s) through the Arrow Flight SQL JDBC driver%n",
            selection.label()));
    b.append(
        String.format(
            Locale.ROOT,
            "%-40s %8s %8s %8s %8s %8s %8s%n",
            "file",
            "queries",
            "passed",
            "rate",
            "stmts",
            "failed",
            "seconds"));
    int queries = 0;
    int passed = 0;
    int statements = 0;
    int failedStatements = 0;
    for (SltFileResult r : results) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-40s %8d %8d %7.2f%% %8d %8d %8.1f%n",
              r.file(),
              r.queries(),
              r.queries() - r.failedQueries(),
              100 * r.queryPassRate(),
              r.statements(),
              r.failedStatements(),
              r.elapsed().toMillis() / 1000.0));
      queries += r.queries();
      passed += r.queries() - r.failedQueries();
      statements += r.statements();
      failedStatements += r.failedStatements();
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%-40s %8d %8d %7.2f%% %8d %8d %8.1f%n",
            "total",
            queries,
            passed,
            queries == 0 ? 100.0 : 100.0 * passed / queries,
            statements,
            failedStatements,
            total.toMillis() / 1000.0));
    return b.toString();
  }
}
