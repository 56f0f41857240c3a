package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of one throughput run: per client count, every client's queries in the order it ran
 * them, with their latencies and answer checks. Derived from TPC-H; not audited TPC results.
 *
 * @param seed the seed of the clients' query orders
 * @param queries the queries each client runs once (in its own order)
 */
public record ThroughputReport(
    TpchScaleFactor scaleFactor,
    TpchSchemaName schema,
    String frontEnd,
    long seed,
    List<TpchQuery> queries,
    Instant startedAt,
    List<ClientCountResult> results) {
  public ThroughputReport {
    requireNonNull(scaleFactor, "scaleFactor");
    requireNonNull(schema, "schema");
    requireNonNull(frontEnd, "frontEnd");
    requireNonNull(startedAt, "startedAt");
    queries = List.copyOf(queries);
    results = List.copyOf(results);
  }

  /** Queries that failed or returned a wrong answer, over every client count. */
  public long failures() {
    return results.stream().mapToLong(r -> r.errors() + r.wrongAnswers()).sum();
  }

  /**
   * One client's stream of queries.
   *
   * @param client 1, 2, ...
   * @param checks the queries in the order the client ran them
   */
  public record ClientRun(int client, List<QueryCheck> checks) {
    public ClientRun {
      if (client < 1) {
        throw new IllegalArgumentException("client numbers start at 1: " + client);
      }
      checks = List.copyOf(checks);
    }
  }

  /**
   * All clients of one client count, started together.
   *
   * @param wallNanos from the start of the first client to the end of the last
   */
  public record ClientCountResult(int clients, long wallNanos, List<ClientRun> runs) {
    public ClientCountResult {
      if (clients < 1) {
        throw new IllegalArgumentException("clients must be at least 1: " + clients);
      }
      if (wallNanos < 0) {
        throw new IllegalArgumentException("wall time must not be negative: " + wallNanos);
      }
      runs = List.copyOf(runs);
    }

    public int queryCount() {
      return runs.stream().mapToInt(r -> r.checks().size()).sum();
    }

    /** Queries that did not run. */
    public long errors() {
      return count(QueryCheck.Status.ERROR);
    }

    /** Queries whose result differs from the answer set. */
    public long wrongAnswers() {
      return count(QueryCheck.Status.FAILED);
    }

    /** Queries completed per hour of wall time (every query, also failed ones). */
    public double queriesPerHour() {
      return wallNanos == 0 ? 0 : queryCount() * 3600e9 / wallNanos;
    }

    /** The latency at a quantile (nearest rank) over every query of every client. */
    public long latencyNanos(double quantile) {
      if (quantile <= 0 || quantile > 1) {
        throw new IllegalArgumentException("quantile must be in (0, 1]: " + quantile);
      }
      long[] latencies =
          runs.stream()
              .flatMap(r -> r.checks().stream())
              .mapToLong(c -> c.elapsed().toNanos())
              .toArray();
      if (latencies.length == 0) {
        return 0;
      }
      Arrays.sort(latencies);
      int rank = (int) Math.ceil(quantile * latencies.length);
      return latencies[Math.max(rank, 1) - 1];
    }

    private long count(QueryCheck.Status status) {
      return runs.stream()
          .flatMap(r -> r.checks().stream())
          .filter(c -> c.status() == status)
          .count();
    }
  }
}
