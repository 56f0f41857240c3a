package io.aquifer.autoscaler;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A warehouse's load at one moment: the figures the policy decides on.
 *
 * @param clusters the running clusters
 * @param startingClusters clusters asked for and not yet running
 * @param queued statements waiting for a free slot (or for the warehouse to start)
 * @param oldestQueuedFor how long the longest-waiting queued statement has waited (zero if none)
 * @param idleFor time since the warehouse last had a statement running or queued
 * @param started the warehouse was started and not stopped since (then having no clusters means
 *     they died, not that it is stopped)
 */
public record WarehouseLoad(
    List<ClusterLoad> clusters,
    int startingClusters,
    int queued,
    Duration oldestQueuedFor,
    Duration idleFor,
    boolean started) {
  /** A load whose warehouse counts as started exactly when it has clusters running or starting. */
  public WarehouseLoad(
      List<ClusterLoad> clusters,
      int startingClusters,
      int queued,
      Duration oldestQueuedFor,
      Duration idleFor) {
    this(
        clusters,
        startingClusters,
        queued,
        oldestQueuedFor,
        idleFor,
        !clusters.isEmpty() || startingClusters > 0);
  }

  public WarehouseLoad {
    clusters = List.copyOf(requireNonNull(clusters, "clusters"));
    requireNonNull(oldestQueuedFor, "oldestQueuedFor");
    requireNonNull(idleFor, "idleFor");
    if (startingClusters < 0 || queued < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    if (oldestQueuedFor.isNegative() || idleFor.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /** Statements running on all clusters. */
  public int running() {
    return clusters.stream().mapToInt(ClusterLoad::running).sum();
  }

  /** Clusters running or starting. */
  public int totalClusters() {
    return clusters.size() + startingClusters;
  }
}
