package io.aquifer.autoscaler;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When a warehouse starts, grows, shrinks and stops: a pure function of its limits and its load
 * now, so every rule is tested without processes or clocks. The gateway calls it on every change
 * and on a timer, and carries the decision out.
 *
 * <ul>
 *   <li><b>Start</b>: a stopped warehouse (no clusters running or starting) with a queued statement
 *       starts with its minimum clusters.
 *   <li><b>Stop</b>: a warehouse with an auto-stop time that has had nothing running or queued for
 *       that long stops.
 *   <li><b>Replace</b>: a started warehouse with fewer clusters than its minimum (one died, or all
 *       did) gets the missing ones at once.
 *   <li><b>Scale out</b> (Databricks' rule: add a cluster when queued work would wait more than a
 *       few seconds): when a statement has queued for at least the scale-out delay, add the
 *       clusters the running and queued statements need at the clusters' concurrency, up to the
 *       maximum; clusters already starting count.
 *   <li><b>Scale in</b>: with nothing queued, clusters idle for at least the scale-in delay stop,
 *       longest idle first, down to what the running statements need and never below the minimum;
 *       not while a cluster is starting. A cluster running a statement is never stopped.
 * </ul>
 */
public final class WarehouseAutoscaler {
  /** How long a statement queues before the warehouse grows, unless configured. */
  public static final Duration DEFAULT_SCALE_OUT_DELAY = Duration.ofSeconds(2);

  /** How long a cluster idles before it is removed, unless configured. */
  public static final Duration DEFAULT_SCALE_IN_DELAY = Duration.ofMinutes(1);

  private final Duration scaleOutDelay;
  private final Duration scaleInDelay;

  public WarehouseAutoscaler(Duration scaleOutDelay, Duration scaleInDelay) {
    this.scaleOutDelay = requireNonNull(scaleOutDelay, "scaleOutDelay");
    this.scaleInDelay = requireNonNull(scaleInDelay, "scaleInDelay");
    if (scaleOutDelay.isNegative() || scaleInDelay.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
  }

  public static WarehouseAutoscaler withDefaults() {
    return new WarehouseAutoscaler(DEFAULT_SCALE_OUT_DELAY, DEFAULT_SCALE_IN_DELAY);
  }

  public ScalingDecision decide(WarehouseLimits limits, WarehouseLoad load) {
    requireNonNull(limits, "limits");
    requireNonNull(load, "load");
    int total = load.totalClusters();
    if (total == 0 && !load.started()) {
      return load.queued() > 0
          ? new ScalingDecision.Start(limits.minClusters())
          : ScalingDecision.HOLD;
    }
    int running = load.running();
    if (!limits.autoStop().isZero()
        && load.queued() == 0
        && running == 0
        && load.idleFor().compareTo(limits.autoStop()) >= 0) {
      return ScalingDecision.STOP;
    }
    if (total < limits.minClusters()) {
      return new ScalingDecision.ScaleOut(limits.minClusters() - total);
    }
    if (load.queued() > 0) {
      if (load.oldestQueuedFor().compareTo(scaleOutDelay) >= 0 && total < limits.maxClusters()) {
        int wanted = Math.min(limits.maxClusters(), needed(running + load.queued(), limits));
        if (wanted > total) {
          return new ScalingDecision.ScaleOut(wanted - total);
        }
      }
      return ScalingDecision.HOLD;
    }
    int keep = Math.max(limits.minClusters(), needed(running, limits));
    int removable = load.clusters().size() - keep;
    if (load.startingClusters() > 0 || removable <= 0) {
      return ScalingDecision.HOLD;
    }
    List<ClusterLoad> idle = new ArrayList<>();
    for (ClusterLoad cluster : load.clusters()) {
      if (cluster.running() == 0 && cluster.idleFor().compareTo(scaleInDelay) >= 0) {
        idle.add(cluster);
      }
    }
    if (idle.isEmpty()) {
      return ScalingDecision.HOLD;
    }
    idle.sort(Comparator.comparing(ClusterLoad::idleFor).reversed());
    return new ScalingDecision.ScaleIn(
        idle.subList(0, Math.min(removable, idle.size())).stream().map(ClusterLoad::id).toList());
  }

  /** Clusters needed to run {@code statements} at once, at least one. */
  private static int needed(int statements, WarehouseLimits limits) {
    return Math.max(
        1, (statements + limits.clusterConcurrency() - 1) / limits.clusterConcurrency());
  }
}
