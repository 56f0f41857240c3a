package io.aquifer.gateway.warehouse;

import static java.util.Objects.requireNonNull;

import io.aquifer.autoscaler.ClusterLoad;
import io.aquifer.autoscaler.WarehouseLimits;
import io.aquifer.autoscaler.WarehouseLoad;
import io.aquifer.catalog.Warehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A warehouse while the gateway serves: its clusters, the statements each runs, and its queue.
 * Guarded by its own monitor; {@link Warehouses} holds the logic.
 */
final class WarehouseRuntime {
  /** A running cluster and the statements it runs now. */
  static final class ClusterSlot {
    final WarehouseCluster cluster;
    int running;
    long idleSinceNanos;
    volatile String stoppedBecause;

    /** A statement lost its call to the node: no new statement goes there until a ping answers. */
    volatile boolean suspect;

    /** Failed its health check: it is killed and replaced on the next check. */
    volatile boolean unhealthy;

    /** A ping is under way (at most one per cluster). */
    final java.util.concurrent.atomic.AtomicBoolean pinging =
        new java.util.concurrent.atomic.AtomicBoolean();

    /** Pings failed in a row. */
    final java.util.concurrent.atomic.AtomicInteger failedPings =
        new java.util.concurrent.atomic.AtomicInteger();

    /** Takes statements: alive, answering its health checks, not suspected. */
    boolean serves() {
      return !suspect && !unhealthy && cluster.isAlive();
    }

    ClusterSlot(WarehouseCluster cluster, long now) {
      this.cluster = requireNonNull(cluster, "cluster");
      this.idleSinceNanos = now;
    }
  }

  /**
   * A statement waiting for a slot.
   *
   * @param computeReadyNanos when a cluster of the warehouse first served while it waited (its
   *     enqueue time if one served then); 0 while none has
   */
  record Waiter(
      String statementId,
      String principal,
      long enqueuedNanos,
      CompletableFuture<ClusterSlot> slot,
      java.util.concurrent.atomic.AtomicLong computeReadyNanos) {}

  volatile Warehouse warehouse;
  final List<ClusterSlot> clusters = new ArrayList<>();
  final FairStatementQueue<Waiter> queue;
  int starting;
  int nextClusterNumber = 1;
  long lastActivityNanos;

  /** Bumped by every stop: clusters that finish starting after it are not kept. */
  long generation;

  boolean degraded;

  /** Started (by a statement or an admin) and not stopped since. */
  boolean started;

  WarehouseRuntime(Warehouse warehouse, int queueCapacity, long now) {
    this.warehouse = requireNonNull(warehouse, "warehouse");
    this.queue = new FairStatementQueue<>(queueCapacity);
    this.lastActivityNanos = now;
  }

  String label() {
    Warehouse w = warehouse;
    return "'" + w.name() + "' (" + w.id() + ")";
  }

  /** The least busy alive cluster with a free slot, or null. */
  ClusterSlot freeCluster() {
    int concurrency = warehouse.spec().clusterConcurrency();
    return clusters.stream()
        .filter(c -> c.running < concurrency && c.serves())
        .min(Comparator.comparingInt(c -> c.running))
        .orElse(null);
  }

  /** Whether a cluster takes statements now (alive and healthy, whether busy or not). */
  boolean hasServingCluster() {
    return clusters.stream().anyMatch(ClusterSlot::serves);
  }

  int running() {
    return clusters.stream().mapToInt(c -> c.running).sum();
  }

  WarehouseLimits limits(Duration autoStopMinute) {
    var spec = warehouse.spec();
    return new WarehouseLimits(
        spec.minNumClusters(),
        spec.maxNumClusters(),
        spec.clusterConcurrency(),
        autoStopMinute.multipliedBy(spec.autoStopMins()));
  }

  WarehouseLoad load(long now) {
    List<ClusterLoad> loads = new ArrayList<>();
    for (ClusterSlot c : clusters) {
      Duration idle = c.running > 0 ? Duration.ZERO : Duration.ofNanos(now - c.idleSinceNanos);
      loads.add(new ClusterLoad(c.cluster.id(), c.running, idle));
    }
    Duration oldest =
        queue
            .oldest(Comparator.comparingLong(Waiter::enqueuedNanos))
            .map(w -> Duration.ofNanos(Math.max(0, now - w.enqueuedNanos())))
            .orElse(Duration.ZERO);
    Duration idle =
        running() == 0 && queue.isEmpty()
            ? Duration.ofNanos(Math.max(0, now - lastActivityNanos))
            : Duration.ZERO;
    return new WarehouseLoad(loads, starting, queue.size(), oldest, idle, started);
  }
}
