package io.aquifer.tpch;

import java.time.Duration;
import java.util.List;

/** The outcome of {@link TpchChecker#check}: one entry per query, in order. */
public record CheckReport(List<QueryCheck> queries) {
  public CheckReport {
    queries = List.copyOf(queries);
  }

  /** Queries that failed or did not run. */
  public int failures() {
    return (int) queries.stream().filter(QueryCheck::failed).count();
  }

  public int passed() {
    return count(QueryCheck.Status.PASSED);
  }

  public Duration totalElapsed() {
    return queries.stream().map(QueryCheck::elapsed).reduce(Duration.ZERO, Duration::plus);
  }

  private int count(QueryCheck.Status status) {
    return (int) queries.stream().filter(q -> q.status() == status).count();
  }
}
