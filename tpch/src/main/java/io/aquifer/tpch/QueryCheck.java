package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How one query fared in a check.
 *
 * @param rows rows the query returned (-1 if it failed)
 * @param uncheckedColumns answer-set columns that were not compared (answer-set errata)
 * @param error the failure message when the query did not run
 */
public record QueryCheck(
    TpchQuery query,
    Status status,
    Duration elapsed,
    long rows,
    List<AnswerDifference> differences,
    Set<String> uncheckedColumns,
    String error) {
  public enum Status {
    /** Every compared value matched. */
    PASSED,
    /** The result differs from the answer set. */
    FAILED,
    /** The query did not run. */
    ERROR,
    /** It ran, but the answer set cannot verify any of its columns (see the errata). */
    UNVERIFIED
  }

  public QueryCheck {
    requireNonNull(query, "query");
    requireNonNull(status, "status");
    requireNonNull(elapsed, "elapsed");
    differences = List.copyOf(differences);
    uncheckedColumns = Set.copyOf(uncheckedColumns);
  }

  public boolean failed() {
    return status == Status.FAILED || status == Status.ERROR;
  }
}
