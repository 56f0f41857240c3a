package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How one query fared in a check.
 *
 * @param rows rows the query returned (-1 if it failed)
 * @param error the failure message when the query did not run
 */
public record QueryCheck(
    TpchQuery query,
    Status status,
    Duration elapsed,
    long rows,
    List<AnswerDifference> differences,
    String error) {
  public enum Status {
    /** Every compared value matched. */
    PASSED,
    /** The result differs from the answer set. */
    FAILED,
    /** The query did not run. */
    ERROR
  }

  public QueryCheck {
    requireNonNull(query, "query");
    requireNonNull(status, "status");
    requireNonNull(elapsed, "elapsed");
    differences = List.copyOf(differences);
  }

  public boolean failed() {
    return status == Status.FAILED || status == Status.ERROR;
  }
}
