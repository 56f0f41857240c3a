package io.aquifer.conformance.slt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What one corpus file did: queries and statements run and failed, with a line per failure.
 *
 * @param file the corpus file, relative to {@code test/}
 */
record SltFileResult(
    String file,
    int queries,
    int failedQueries,
    int statements,
    int failedStatements,
    List<String> failures,
    Duration elapsed) {
  SltFileResult {
    requireNonNull(file, "file");
    failures = List.copyOf(failures);
    requireNonNull(elapsed, "elapsed");
    if (failedQueries < 0
        || failedQueries > queries
        || failedStatements < 0
        || failedStatements > statements) {
      throw new IllegalArgumentException("inconsistent counts for " + file);
    }
  }

  double queryPassRate() {
    return queries == 0 ? 1.0 : (queries - failedQueries) / (double) queries;
  }
}
