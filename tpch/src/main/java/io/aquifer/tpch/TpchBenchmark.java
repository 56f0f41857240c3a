package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.tpch.BenchmarkReport.EngineTiming;
import io.aquifer.tpch.BenchmarkReport.QueryFigures;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Times the TPC-H queries through each front end next to in-process DuckDB over the very same
 * Parquet files, in the same run (figures taken at different times on a shared machine do not
 * compare). Per query and engine: {@code warmups} unmeasured runs, then the median of {@code runs}
 * measured ones, each reading the whole result; the engines take turns run by run so that a change
 * in machine load hits them alike. Optionally also the planner-only figure: the gateway's
 * parse-to-engine-SQL time. Prints a table with totals and ratios; {@link #writeJson} keeps the
 * figures for tracking. Derived from TPC-H; not audited TPC results.
 */
public final class TpchBenchmark {
  private final int runs;
  private final int warmups;
  private final PrintStream out;

  /** A JDBC connection to the warehouse through one front end. */
  public record FrontEnd(String name, Connection connection) {
    public FrontEnd {
      requireNonNull(name, "name");
      requireNonNull(connection, "connection");
      if (name.equals(BenchmarkReport.REFERENCE)) {
        throw new IllegalArgumentException("front end name is reserved: " + name);
      }
    }
  }

  public TpchBenchmark(int runs, int warmups, PrintStream out) {
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be at least 1: " + runs);
    }
    if (warmups < 0) {
      throw new IllegalArgumentException("warm-ups must not be negative: " + warmups);
    }
    this.runs = runs;
    this.warmups = warmups;
    this.out = requireNonNull(out, "out");
  }

  /**
   * Runs the benchmark. Each front end's connection gets {@code USE <schema>} and, where the server
   * knows it, {@code SET use_cached_result = false} first (runs measure the engine, not the result
   * cache); the reference connection must have the tables as views already ({@link
   * InProcessDuckDb}).
   */
  public BenchmarkReport run(
      TpchScaleFactor scaleFactor,
      TpchSchemaName schema,
      List<FrontEnd> frontEnds,
      Connection reference,
      Optional<PlannerTiming> planner,
      List<TpchQuery> queries)
      throws SQLException {
    Instant startedAt = Instant.now();
    for (FrontEnd frontEnd : frontEnds) {
      try (Statement statement = frontEnd.connection().createStatement()) {
        statement.execute("USE " + schema.sql());
        // Timed runs repeat each query: they must measure the engine, not Aquifer's result cache.
        // Other servers (the tests bench a plain DuckDB front end too) do not know the setting.
        try {
          statement.execute("SET use_cached_result = false");
        } catch (SQLException notAquifer) {
          // nothing cached there to bypass
        }
      }
    }
    List<String> engines = new ArrayList<>();
    frontEnds.forEach(f -> engines.add(f.name()));
    engines.add(BenchmarkReport.REFERENCE);
    List<Connection> connections = new ArrayList<>();
    frontEnds.forEach(f -> connections.add(f.connection()));
    connections.add(reference);

    printHeader(scaleFactor, schema, engines, planner.isPresent());
    List<QueryFigures> figures = new ArrayList<>();
    for (TpchQuery query : queries) {
      QueryFigures q = measure(query, engines, connections, planner);
      figures.add(q);
      printRow(q, engines);
    }
    BenchmarkReport report =
        new BenchmarkReport(scaleFactor, schema, runs, warmups, startedAt, engines, figures);
    printTotals(report);
    return report;
  }

  private QueryFigures measure(
      TpchQuery query,
      List<String> engines,
      List<Connection> connections,
      Optional<PlannerTiming> planner) {
    int count = engines.size();
    long[][] times = new long[count][runs];
    long[] rows = new long[count];
    String[] errors = new String[count];
    for (int run = -warmups; run < runs; run++) {
      for (int e = 0; e < count; e++) {
        if (errors[e] != null) {
          continue;
        }
        long start = System.nanoTime();
        try {
          rows[e] = execute(connections.get(e), query);
        } catch (SQLException | RuntimeException ex) {
          errors[e] = firstLine(ex);
          continue;
        }
        if (run >= 0) {
          times[e][run] = System.nanoTime() - start;
        }
      }
    }
    List<EngineTiming> timings = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      timings.add(
          new EngineTiming(
              engines.get(e), errors[e] == null ? times[e] : new long[0], rows[e], errors[e]));
    }
    return new QueryFigures(
        query, timings, planner.map(p -> plannerMedian(p, query)).orElse(OptionalLong.empty()));
  }

  private OptionalLong plannerMedian(PlannerTiming planner, TpchQuery query) {
    try {
      for (int i = 0; i < warmups; i++) {
        planner.plan(query);
      }
      long[] times = new long[runs];
      for (int i = 0; i < runs; i++) {
        times[i] = planner.plan(query).totalNanos();
      }
      Arrays.sort(times);
      return OptionalLong.of(times[(runs - 1) / 2]);
    } catch (RuntimeException e) {
      out.println("       " + query.name() + ": planner failed: " + firstLine(e));
      return OptionalLong.empty();
    }
  }

  /** Runs the query and reads every row; returns the row count. */
  private static long execute(Connection connection, TpchQuery query) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(query.statement())) {
      int columns = rs.getMetaData().getColumnCount();
      long rows = 0;
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
        rows++;
      }
      return rows;
    }
  }

  private void printHeader(
      TpchScaleFactor scaleFactor, TpchSchemaName schema, List<String> engines, boolean planner) {
    out.printf(
        Locale.ROOT,
        "TPC-H benchmark, scale factor %s, %s (%s)%n",
        scaleFactor,
        schema,
        BenchmarkReport.LABEL);
    out.printf(
        Locale.ROOT,
        "median of %d run%s after %d warm-up%s, seconds; ratio = front end / %s%n",
        runs,
        runs == 1 ? "" : "s",
        warmups,
        warmups == 1 ? "" : "s",
        BenchmarkReport.REFERENCE);
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-6s", "query"));
    for (String engine : engines) {
      header.append(String.format(Locale.ROOT, "  %18s", engine));
    }
    for (int i = 0; i < engines.size() - 1; i++) {
      header.append(String.format(Locale.ROOT, "  %7s", "ratio"));
    }
    if (planner) {
      header.append(String.format(Locale.ROOT, "  %9s", "planner"));
    }
    out.println(header);
  }

  private void printRow(QueryFigures q, List<String> engines) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6s", q.query().name()));
    List<String> notes = new ArrayList<>();
    for (String engine : engines) {
      EngineTiming t = q.timing(engine).orElseThrow();
      line.append(String.format(Locale.ROOT, "  %18s", seconds(t.medianNanos())));
      if (t.error() != null) {
        notes.add(engine + " failed: " + t.error());
      }
    }
    EngineTiming reference = q.timing(BenchmarkReport.REFERENCE).orElseThrow();
    for (String engine : engines.subList(0, engines.size() - 1)) {
      EngineTiming t = q.timing(engine).orElseThrow();
      line.append(
          String.format(Locale.ROOT, "  %7s", ratio(t.medianNanos(), reference.medianNanos())));
      if (!t.failed() && !reference.failed() && t.rows() != reference.rows()) {
        notes.add(
            engine
                + " returned "
                + t.rows()
                + " rows, "
                + BenchmarkReport.REFERENCE
                + " "
                + reference.rows());
      }
    }
    if (q.plannerNanos().isPresent()) {
      line.append(String.format(Locale.ROOT, "  %9s", seconds(q.plannerNanos())));
    }
    out.println(line);
    for (String note : notes) {
      out.println("        " + note);
    }
    out.flush();
  }

  private void printTotals(BenchmarkReport report) {
    List<String> engines = report.engines();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6s", "total"));
    for (String engine : engines) {
      line.append(String.format(Locale.ROOT, "  %18s", seconds(report.totalNanos(engine))));
    }
    OptionalLong reference = report.totalNanos(BenchmarkReport.REFERENCE);
    for (String engine : engines.subList(0, engines.size() - 1)) {
      line.append(String.format(Locale.ROOT, "  %7s", ratio(report.totalNanos(engine), reference)));
    }
    if (report.totalPlannerNanos().isPresent()) {
      line.append(String.format(Locale.ROOT, "  %9s", seconds(report.totalPlannerNanos())));
    }
    out.println(line);
    out.println("(" + BenchmarkReport.LABEL + ")");
    out.flush();
  }

  /** Writes the report as JSON, for tracking figures over time and {@code --compare}. */
  public static void writeJson(BenchmarkReport report, Path file) throws IOException {
    BenchmarkFigures.write(toJson(report), file);
  }

  /**
   * The report as the JSON tree {@link #writeJson} writes: {@value BenchmarkFigures#FORMAT_VERSION}
   * in {@code formatVersion}, kind {@value BenchmarkFigures#KIND_BENCH}.
   */
  public static JsonNode toJson(BenchmarkReport report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("formatVersion", BenchmarkFigures.FORMAT_VERSION);
    root.put("kind", BenchmarkFigures.KIND_BENCH);
    root.put("label", BenchmarkReport.LABEL);
    root.put("benchmark", "TPC-H (derived)");
    root.put("scaleFactor", report.scaleFactor().toString());
    root.put("schema", report.schema().toString());
    root.put("startedAt", report.startedAt().toString());
    root.put("runs", report.runs());
    root.put("warmups", report.warmups());
    root.put("statistic", "median seconds");
    root.put("reference", BenchmarkReport.REFERENCE);
    root.put("engines", report.engines());
    root.put("machine", BenchmarkFigures.machine());
    List<Map<String, Object>> queries = new ArrayList<>();
    for (QueryFigures q : report.queries()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("query", q.query().name());
      Map<String, Object> engines = new LinkedHashMap<>();
      EngineTiming reference = q.timing(BenchmarkReport.REFERENCE).orElseThrow();
      for (EngineTiming t : q.timings()) {
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("medianSeconds", secondsValue(t.medianNanos()));
        timing.put("runsSeconds", Arrays.stream(t.runNanos()).mapToObj(n -> n / 1e9).toList());
        timing.put("rows", t.rows());
        if (!t.engine().equals(BenchmarkReport.REFERENCE)) {
          timing.put("ratioToReference", ratioValue(t.medianNanos(), reference.medianNanos()));
        }
        if (t.error() != null) {
          timing.put("error", t.error());
        }
        engines.put(t.engine(), timing);
      }
      entry.put("engines", engines);
      entry.put("plannerSeconds", secondsValue(q.plannerNanos()));
      queries.add(entry);
    }
    root.put("queries", queries);
    Map<String, Object> totals = new LinkedHashMap<>();
    OptionalLong referenceTotal = report.totalNanos(BenchmarkReport.REFERENCE);
    for (String engine : report.engines()) {
      Map<String, Object> total = new LinkedHashMap<>();
      total.put("medianSeconds", secondsValue(report.totalNanos(engine)));
      if (!engine.equals(BenchmarkReport.REFERENCE)) {
        total.put("ratioToReference", ratioValue(report.totalNanos(engine), referenceTotal));
      }
      totals.put(engine, total);
    }
    totals.put("plannerSeconds", secondsValue(report.totalPlannerNanos()));
    root.put("totals", totals);
    return new ObjectMapper().valueToTree(root);
  }

  private static String seconds(OptionalLong nanos) {
    return nanos.isEmpty() ? "failed" : String.format(Locale.ROOT, "%.3f", nanos.getAsLong() / 1e9);
  }

  private static String ratio(OptionalLong value, OptionalLong reference) {
    Double r = ratioValue(value, reference);
    return r == null ? "-" : String.format(Locale.ROOT, "%.2f", r);
  }

  private static Double secondsValue(OptionalLong nanos) {
    return nanos.isEmpty() ? null : nanos.getAsLong() / 1e9;
  }

  private static Double ratioValue(OptionalLong value, OptionalLong reference) {
    if (value.isEmpty() || reference.isEmpty() || reference.getAsLong() == 0) {
      return null;
    }
    return (double) value.getAsLong() / reference.getAsLong();
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
