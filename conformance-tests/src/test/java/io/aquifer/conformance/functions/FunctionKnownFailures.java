package io.aquifer.conformance.functions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checked-in record of Spark function examples that fail through Aquifer: per function and
 * failure category, how many. A run fails the build when a count rises (a regression) and when it
 * falls (lower the recorded count, so the gain is kept).
 *
 * <pre>
 * # function   category      failed
 * date_trunc   wrong-result  2
 * </pre>
 */
final class FunctionKnownFailures {
  static final Path FILE = Path.of("src/test/resources/functions/known-failures.txt");

  private final Map<String, Integer> counts;

  private FunctionKnownFailures(Map<String, Integer> counts) {
    this.counts = counts;
  }

  static FunctionKnownFailures read(Path file) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      String[] f = text.split("\\s+");
      if (f.length != 3) {
        throw new IllegalArgumentException(
            file + ":" + n + ": expected 'function category failed'");
      }
      FailureCategory.fromLabel(f[1]);
      if (counts.put(key(f[0], f[1]), Integer.parseInt(f[2])) != null) {
        throw new IllegalArgumentException(file + ":" + n + ": listed twice");
      }
    }
    return new FunctionKnownFailures(counts);
  }

  /** Every difference between the record and a run's counts, worded as what to do. */
  List<String> compare(Map<String, Integer> actual) {
    List<String> problems = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(counts.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      int known = counts.getOrDefault(key, 0);
      int now = actual.getOrDefault(key, 0);
      if (now > known) {
        problems.add(key + ": " + now + " failed, " + known + " known: a regression");
      } else if (now < known) {
        problems.add(
            key + ": " + now + " failed, " + known + " known: fewer; lower the count in " + FILE);
      }
    }
    return problems;
  }

  static String key(String function, String category) {
    return function + " " + category;
  }

  /** The file's text for a run's counts (written to target/ to copy over the record). */
  static String format(Map<String, Integer> actual) {
    StringBuilder b = new StringBuilder();
    b.append("# Spark function examples that fail through Aquifer, by function and category\n");
    b.append("# (conformance-tests/README.md). The build fails when a count rises or falls.\n");
    b.append("#\n# function                         category            failed\n");
    for (Map.Entry<String, Integer> e : new TreeMap<>(actual).entrySet()) {
      String[] k = e.getKey().split(" ");
      b.append(String.format("%-34s %-19s %d%n", k[0], k[1], e.getValue()));
    }
    return b.toString();
  }
}
