package io.aquifer.conformance.slt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checked-in record of known sqllogictest failures: per corpus selection and file, how many
 * queries and statements fail. A run fails the build when a count rises (a regression) and when it
 * falls (lower the recorded count, so the gain is kept). The reasons, by category, are in the
 * module's README.
 *
 * <p>Format, one line per file with failures (files not listed must have none):
 *
 * <pre>
 * # selection  file                failed-queries  failed-statements
 * sample       evidence/in1.test   2               0
 * </pre>
 */
final class KnownFailures {
  static final Path FILE = Path.of("src/test/resources/slt/known-failures.txt");

  record Counts(int queries, int statements) {
    static final Counts NONE = new Counts(0, 0);
  }

  private final Map<String, Counts> counts;

  private KnownFailures(Map<String, Counts> counts) {
    this.counts = counts;
  }

  static KnownFailures read(Path file) throws IOException {
    Map<String, Counts> counts = new HashMap<>();
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      String[] f = text.split("\\s+");
      if (f.length != 4) {
        throw new IllegalArgumentException(
            file + ":" + n + ": expected 'selection file failed-queries failed-statements'");
      }
      SltCorpus.Selection.fromProperty(f[0]);
      counts.put(key(f[0], f[1]), new Counts(Integer.parseInt(f[2]), Integer.parseInt(f[3])));
    }
    return new KnownFailures(counts);
  }

  Counts get(SltCorpus.Selection selection, String file) {
    return counts.getOrDefault(key(selection.label(), file), Counts.NONE);
  }

  /** Every difference between the record and a run, worded as what to do; empty if none. */
  List<String> compare(SltCorpus.Selection selection, List<SltFileResult> results) {
    List<String> problems = new ArrayList<>();
    for (SltFileResult r : results) {
      Counts known = get(selection, r.file());
      check(problems, selection, r, "queries", known.queries(), r.failedQueries());
      check(problems, selection, r, "statements", known.statements(), r.failedStatements());
    }
    return problems;
  }

  private static void check(
      List<String> problems,
      SltCorpus.Selection selection,
      SltFileResult r,
      String what,
      int known,
      int actual) {
    if (actual > known) {
      problems.add(
          r.file()
              + ": "
              + actual
              + " failed "
              + what
              + ", "
              + known
              + " known ("
              + selection.label()
              + "): a regression; see the failures listed above");
    } else if (actual < known) {
      problems.add(
          r.file()
              + ": "
              + actual
              + " failed "
              + what
              + ", "
              + known
              + " known ("
              + selection.label()
              + "): fewer than recorded; lower the count to "
              + actual
              + " in "
              + FILE);
    }
  }

  private static String key(String selection, String file) {
    return selection + " " + file;
  }
}
