package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --compare OLD.json}: sets the figures of this run beside those of an earlier run of the
 * same kind, scale factor and queries, with the ratio new / old; a figure more than {@value
 * #THRESHOLD_PERCENT}% slower (ratio above 1.10) or faster (below 0.90) is flagged. Only the
 * columns both runs have are compared (a bench run without Avatica against one with it compares
 * Flight SQL and DuckDB). Derived from TPC-H; not audited TPC results.
 */
public final class BenchmarkComparison {
  static final int THRESHOLD_PERCENT = 10;
  private static final double SLOWER = 1 + THRESHOLD_PERCENT / 100.0;
  private static final double FASTER = 1 - THRESHOLD_PERCENT / 100.0;

  private final Path oldFile;
  private final JsonNode old;

  private BenchmarkComparison(Path oldFile, JsonNode old) {
    this.oldFile = oldFile;
    this.old = old;
  }

  /**
   * Reads the old figures and checks that they measured what this run will: FIGURES_INVALID
   * otherwise, before anything runs.
   */
  public static BenchmarkComparison open(
      Path oldFile, String kind, TpchScaleFactor scaleFactor, List<TpchQuery> queries) {
    requireNonNull(oldFile, "oldFile");
    JsonNode old = BenchmarkFigures.read(oldFile, kind);
    BenchmarkComparison comparison = new BenchmarkComparison(oldFile, old);
    comparison.requireSameRun(
        scaleFactor.toString(), queries.stream().map(TpchQuery::name).toList());
    return comparison;
  }

  /** Compares two figures files of the same kind (neither needs a warehouse). */
  public static void compareFiles(Path oldFile, Path newFile, PrintStream out) {
    JsonNode current = BenchmarkFigures.read(newFile);
    String kind = BenchmarkFigures.kind(current);
    BenchmarkComparison comparison =
        new BenchmarkComparison(oldFile, BenchmarkFigures.read(oldFile, kind));
    comparison.requireSameRun(current.get("scaleFactor").asText(), queryNames(current, kind));
    comparison.print(current, out);
  }

  /** Prints the comparison of this run's figures (as written to JSON) with the old ones. */
  public void print(JsonNode current, PrintStream out) {
    String kind = BenchmarkFigures.kind(old);
    out.printf(
        Locale.ROOT,
        "compared with %s (started %s); ratio = new / old; slower / faster: more than %d%%%n",
        oldFile,
        old.path("startedAt").asText("?"),
        THRESHOLD_PERCENT);
    if (kind.equals(BenchmarkFigures.KIND_BENCH)) {
      printBench(current, out);
    } else {
      printThroughput(current, out);
    }
    out.flush();
  }

  private void requireSameRun(String scaleFactor, List<String> queries) {
    String oldScaleFactor = old.get("scaleFactor").asText();
    if (!oldScaleFactor.equals(scaleFactor)) {
      throw mismatch("it measured scale factor " + oldScaleFactor + ", this run " + scaleFactor);
    }
    String kind = BenchmarkFigures.kind(old);
    Set<String> oldQueries = new TreeSet<>(queryNames(old, kind));
    Set<String> newQueries = new TreeSet<>(queries);
    if (!oldQueries.equals(newQueries)) {
      throw mismatch(
          "it ran queries "
              + String.join(",", oldQueries)
              + ", this run "
              + String.join(",", newQueries)
              + " (choose the same with --queries)");
    }
  }

  private static List<String> queryNames(JsonNode figures, String kind) {
    List<String> names = new ArrayList<>();
    for (JsonNode query : figures.get("queries")) {
      names.add(
          kind.equals(BenchmarkFigures.KIND_BENCH) ? query.get("query").asText() : query.asText());
    }
    return names;
  }

  private TpchException mismatch(String why) {
    return new TpchException(
        TpchErrorCode.FIGURES_INVALID, "cannot compare with " + oldFile + ": " + why);
  }

  private void printBench(JsonNode current, PrintStream out) {
    List<String> columns = new ArrayList<>();
    for (JsonNode engine : current.get("engines")) {
      if (contains(old.get("engines"), engine.asText())) {
        columns.add(engine.asText());
      }
    }
    for (String engine : columns) {
      out.println(engine + ", median seconds:");
      printHeader(out, "query");
      for (JsonNode query : current.get("queries")) {
        String name = query.get("query").asText();
        JsonNode oldQuery = findQuery(old, name);
        printLine(
            out,
            name,
            oldQuery.path("engines").path(engine).path("medianSeconds"),
            query.path("engines").path(engine).path("medianSeconds"));
      }
      printLine(
          out,
          "total",
          old.get("totals").path(engine).path("medianSeconds"),
          current.get("totals").path(engine).path("medianSeconds"));
    }
    if (current.get("totals").path("plannerSeconds").isNumber()
        && old.get("totals").path("plannerSeconds").isNumber()) {
      out.println("planner, median seconds:");
      printHeader(out, "query");
      for (JsonNode query : current.get("queries")) {
        String name = query.get("query").asText();
        printLine(
            out, name, findQuery(old, name).path("plannerSeconds"), query.path("plannerSeconds"));
      }
      printLine(
          out,
          "total",
          old.get("totals").path("plannerSeconds"),
          current.get("totals").path("plannerSeconds"));
    }
  }

  private void printThroughput(JsonNode current, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "old: %s, seed %s; new: %s, seed %s%n",
        old.path("frontEnd").asText("?"),
        old.path("seed").asText("?"),
        current.path("frontEnd").asText("?"),
        current.path("seed").asText("?"));
    printHeader(out, "clients / figure");
    for (JsonNode result : current.get("results")) {
      int clients = result.get("clients").asInt();
      JsonNode oldResult = null;
      for (JsonNode candidate : old.get("results")) {
        if (candidate.get("clients").asInt() == clients) {
          oldResult = candidate;
        }
      }
      if (oldResult == null) {
        continue; // a client count only this run has
      }
      String prefix = String.format(Locale.ROOT, "%3d ", clients);
      printLine(
          out, prefix + "wall (s)", oldResult.path("wallSeconds"), result.path("wallSeconds"));
      // More queries per hour is better: the flag reads the other way round.
      printLine(
          out,
          prefix + "queries/hour",
          oldResult.path("queriesPerHour"),
          result.path("queriesPerHour"),
          false);
      printLine(out, prefix + "p50 (s)", oldResult.path("p50Seconds"), result.path("p50Seconds"));
      printLine(out, prefix + "p95 (s)", oldResult.path("p95Seconds"), result.path("p95Seconds"));
    }
  }

  private static JsonNode findQuery(JsonNode figures, String name) {
    for (JsonNode query : figures.get("queries")) {
      if (query.path("query").asText().equals(name)) {
        return query;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (item.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static void printHeader(PrintStream out, String first) {
    out.printf(Locale.ROOT, "  %-18s  %12s  %12s  %7s%n", first, "old", "new", "ratio");
  }

  private static void printLine(PrintStream out, String label, JsonNode old, JsonNode current) {
    printLine(out, label, old, current, true);
  }

  private static void printLine(
      PrintStream out, String label, JsonNode old, JsonNode current, boolean lowerIsBetter) {
    String ratio = "-";
    String flag = "";
    if (old.isNumber() && current.isNumber() && old.asDouble() > 0) {
      double r = current.asDouble() / old.asDouble();
      ratio = String.format(Locale.ROOT, "%.2f", r);
      if (r > SLOWER) {
        flag = lowerIsBetter ? "slower" : "faster";
      } else if (r < FASTER) {
        flag = lowerIsBetter ? "faster" : "slower";
      }
    }
    out.println(
        String.format(
                Locale.ROOT,
                "  %-18s  %12s  %12s  %7s  %s",
                label,
                figure(old),
                figure(current),
                ratio,
                flag)
            .stripTrailing());
  }

  private static String figure(JsonNode value) {
    if (!value.isNumber()) {
      return value.isMissingNode() ? "-" : "failed";
    }
    double v = value.asDouble();
    return v >= 1000
        ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.3f", v);
  }
}
