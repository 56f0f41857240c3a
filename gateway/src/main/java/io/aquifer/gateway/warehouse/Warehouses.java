package io.aquifer.gateway.warehouse;

import static java.util.Objects.requireNonNull;

import io.aquifer.autoscaler.ScalingDecision;
import io.aquifer.autoscaler.WarehouseAutoscaler;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseErrorCode;
import io.aquifer.catalog.WarehouseHealth;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WarehouseNodeIds;
import io.aquifer.exec.WriteFragment;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.warehouse.WarehouseRuntime.ClusterSlot;
import io.aquifer.gateway.warehouse.WarehouseRuntime.Waiter;
import io.aquifer.storage.delta.NewDataFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's warehouses: routes each statement's work to a cluster of its session's warehouse,
 * queues it (bounded, taking turns between principals) while every cluster is busy or the warehouse
 * is stopped, and carries out the {@link WarehouseAutoscaler}'s decisions: start on the first
 * statement, scale out when statements queue, scale in, stop after the auto-stop time, replace
 * clusters that die. States and health are recorded in the catalog, where the {@code aquifer
 * warehouse} command reads them; requests it writes there (start, stop, delete, edits) are picked
 * up on the next check.
 *
 * <p>One thread makes every decision (the checks run one at a time); clusters start on their own
 * threads.
 */
public final class Warehouses implements WarehouseConnection {
  private static final Logger LOG = LoggerFactory.getLogger(Warehouses.class);
  private static final Set<WarehouseState> ACTIVE =
      EnumSet.of(WarehouseState.STARTING, WarehouseState.RUNNING, WarehouseState.STOPPING);

  private final WarehouseStore store;
  private final ClusterProvisioner provisioner;
  private final WarehousesConfig config;
  private final WarehouseAutoscaler autoscaler;
  private final Map<String, WarehouseRuntime> runtimes = new ConcurrentHashMap<>();
  private final Map<String, Set<ClusterSlot>> statementClusters = new ConcurrentHashMap<>();
  private final List<Duration> clusterStartTimes = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService checker;
  private final ExecutorService starter;
  private volatile boolean closed;

  public Warehouses(WarehouseStore store, ClusterProvisioner provisioner, WarehousesConfig config) {
    this.store = requireNonNull(store, "store");
    this.provisioner = requireNonNull(provisioner, "provisioner");
    this.config = requireNonNull(config, "config");
    this.autoscaler = new WarehouseAutoscaler(config.scaleOutDelay(), config.scaleInDelay());
    recoverStates();
    this.checker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "aquifer-warehouses");
              t.setDaemon(true);
              return t;
            });
    AtomicInteger threads = new AtomicInteger();
    this.starter =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "aquifer-cluster-start-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long every = config.checkInterval().toMillis();
    checker.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.MILLISECONDS);
  }

  /** Clusters die with the gateway: what the catalog says was running is stopped now. */
  private void recoverStates() {
    for (Warehouse w : store.list()) {
      if (ACTIVE.contains(w.state())) {
        store.transition(w.id(), ACTIVE, WarehouseState.STOPPED);
      } else if (w.state() == WarehouseState.DELETING) {
        store.transition(w.id(), EnumSet.of(WarehouseState.DELETING), WarehouseState.DELETED);
      }
      if (w.health() != WarehouseHealth.HEALTHY) {
        store.health(w.id(), WarehouseHealth.HEALTHY, Optional.empty());
      }
    }
  }

  // ---- routing ----

  @Override
  public WarehouseConnection forSession(Session session) {
    // A warehouse the session names is checked now; the default one only when work needs it, so
    // that statements the gateway runs itself (DDL, SHOW) work without any warehouse.
    Optional<Warehouse> named = session.warehouse().map(store::resolve);
    return new SessionWarehouse(
        () -> runtime(named.orElseGet(this::defaultWarehouse)), session.principal().name());
  }

  /**
   * The id of the warehouse a session that names {@code idOrName} (or none: the default) runs on;
   * empty if there is no such warehouse.
   */
  public Optional<String> warehouseIdOf(Optional<String> idOrName) {
    try {
      return Optional.of(idOrName.map(store::resolve).orElseGet(this::defaultWarehouse).id());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The Starter Warehouse, else the first warehouse by name. */
  private Warehouse defaultWarehouse() {
    try {
      return store.resolve(WarehouseSpec.STARTER_NAME);
    } catch (RuntimeException e) {
      return store.list().stream()
          .filter(Warehouse::isLive)
          .findFirst()
          .orElseThrow(
              () ->
                  WarehouseErrorCode.RESOURCE_DOES_NOT_EXIST.exception(
                      "there is no warehouse to run statements on; create one with 'aquifer"
                          + " warehouse create'"));
    }
  }

  private WarehouseRuntime runtime(Warehouse warehouse) {
    long now = System.nanoTime();
    WarehouseRuntime rt =
        runtimes.computeIfAbsent(
            warehouse.id(), id -> new WarehouseRuntime(warehouse, config.queueCapacity(), now));
    rt.warehouse = warehouse;
    return rt;
  }

  /** A query is not run by this router itself: it needs a session's warehouse. */
  @Override
  public ResultStream query(QueryFragment fragment) {
    throw new IllegalStateException("route through forSession(session)");
  }

  @Override
  public List<NewDataFile> write(WriteFragment fragment) {
    throw new IllegalStateException("route through forSession(session)");
  }

  /** Cancels a statement wherever it is: queued on a warehouse, or running on clusters. */
  @Override
  public void cancel(String queryId) {
    String statementId = WarehouseNodeIds.statementOf(queryId);
    for (WarehouseRuntime rt : runtimes.values()) {
      List<Waiter> canceled = new ArrayList<>();
      synchronized (rt) {
        rt.queue.removeIf(
            w -> {
              boolean match = w.statementId().equals(statementId);
              if (match) {
                canceled.add(w);
              }
              return match;
            });
      }
      for (Waiter w : canceled) {
        w.slot()
            .completeExceptionally(
                GatewayErrorCode.QUERY_CANCELED.exception(
                    "statement "
                        + statementId
                        + " was canceled while queued on warehouse "
                        + rt.label()));
      }
    }
    Set<ClusterSlot> slots = statementClusters.get(statementId);
    if (slots != null) {
      for (ClusterSlot slot : List.copyOf(slots)) {
        try {
          slot.cluster.connection().cancel(queryId);
        } catch (RuntimeException e) {
          LOG.warn(
              "canceling {} on cluster {} failed: {}", queryId, slot.cluster.id(), e.toString());
        }
      }
    }
  }

  /** Takes a slot on a cluster of the warehouse, queueing (and starting it) if need be. */
  private ClusterSlot acquire(WarehouseRuntime rt, String statementId, String principal) {
    Waiter waiter;
    synchronized (rt) {
      rt.lastActivityNanos = System.nanoTime();
      if (rt.queue.isEmpty()) {
        ClusterSlot free = rt.freeCluster();
        if (free != null) {
          free.running++;
          return track(statementId, free);
        }
      }
      waiter = new Waiter(statementId, principal, System.nanoTime(), new CompletableFuture<>());
      if (!rt.queue.offer(principal, waiter)) {
        throw GatewayErrorCode.WAREHOUSE_QUEUE_FULL.exception(
            "warehouse "
                + rt.label()
                + " has "
                + rt.queue.size()
                + " statements queued, its limit; run the statement again when some have"
                + " finished, or use a warehouse with more clusters");
      }
    }
    try {
      checker.execute(() -> check(rt));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      dropWaiter(rt, waiter);
      throw GatewayErrorCode.WAREHOUSE_NOT_RUNNING.exception(
          "warehouse " + rt.label() + " did not run this statement: the server is stopping");
    }
    try {
      return track(statementId, waiter.slot().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      dropWaiter(rt, waiter);
      throw GatewayErrorCode.QUERY_CANCELED.exception(
          "statement " + statementId + " was canceled while queued on warehouse " + rt.label());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private ClusterSlot track(String statementId, ClusterSlot slot) {
    statementClusters.computeIfAbsent(statementId, k -> ConcurrentHashMap.newKeySet()).add(slot);
    return slot;
  }

  private void dropWaiter(WarehouseRuntime rt, Waiter waiter) {
    synchronized (rt) {
      rt.queue.removeIf(w -> w == waiter);
    }
    if (!waiter.slot().completeExceptionally(GatewayErrorCode.QUERY_CANCELED.exception("canceled"))
        && !waiter.slot().isCompletedExceptionally()) {
      release(rt, waiter.statementId(), waiter.slot().join());
    }
  }

  private void release(WarehouseRuntime rt, String statementId, ClusterSlot slot) {
    Set<ClusterSlot> slots = statementClusters.get(statementId);
    if (slots != null) {
      slots.remove(slot);
      if (slots.isEmpty()) {
        statementClusters.remove(statementId, slots);
      }
    }
    synchronized (rt) {
      slot.running--;
      long now = System.nanoTime();
      if (slot.running == 0) {
        slot.idleSinceNanos = now;
      }
      rt.lastActivityNanos = now;
      dispatch(rt);
    }
  }

  /** Hands free slots to queued statements, taking turns between principals. Holds rt. */
  private static void dispatch(WarehouseRuntime rt) {
    while (!rt.queue.isEmpty()) {
      ClusterSlot free = rt.freeCluster();
      if (free == null) {
        return;
      }
      Waiter next = rt.queue.poll().orElseThrow();
      free.running++;
      if (!next.slot().complete(free)) {
        free.running--;
      }
    }
  }

  /** The error a statement gets when its cluster failed under it. */
  private static RuntimeException nodeFailure(
      WarehouseRuntime rt, ClusterSlot slot, RuntimeException e) {
    String stopped = slot.stoppedBecause;
    if (stopped != null) {
      return new ExecException(
          ExecErrorCode.NODE_UNAVAILABLE,
          "warehouse " + rt.label() + " stopped running this statement: " + stopped,
          e);
    }
    boolean unavailable =
        e instanceof ExecException x && x.code() == ExecErrorCode.NODE_UNAVAILABLE;
    if (unavailable || !slot.cluster.isAlive()) {
      return new ExecException(
          ExecErrorCode.NODE_UNAVAILABLE,
          "cluster "
              + slot.cluster.id()
              + " of warehouse "
              + rt.label()
              + " ("
              + slot.cluster.describe()
              + ") stopped while running this statement; the cluster is being replaced, run the"
              + " statement again",
          e);
    }
    return e;
  }

  /** A session's view of its warehouse: each call takes a slot for its duration. */
  private final class SessionWarehouse implements WarehouseConnection {
    private final java.util.function.Supplier<WarehouseRuntime> resolve;
    private final String principal;
    private WarehouseRuntime resolved;

    SessionWarehouse(java.util.function.Supplier<WarehouseRuntime> resolve, String principal) {
      this.resolve = resolve;
      this.principal = principal;
    }

    private synchronized WarehouseRuntime runtime() {
      if (resolved == null) {
        resolved = resolve.get();
      }
      return resolved;
    }

    @Override
    public ResultStream query(QueryFragment fragment) {
      WarehouseRuntime rt = runtime();
      String statementId = WarehouseNodeIds.statementOf(fragment.queryId());
      ClusterSlot slot = acquire(rt, statementId, principal);
      ResultStream stream;
      try {
        stream = slot.cluster.connection().query(fragment);
      } catch (RuntimeException e) {
        release(rt, statementId, slot);
        throw nodeFailure(rt, slot, e);
      }
      return new SlotResultStream(stream, rt, statementId, slot);
    }

    @Override
    public List<NewDataFile> write(WriteFragment fragment) {
      WarehouseRuntime rt = runtime();
      String statementId = WarehouseNodeIds.statementOf(fragment.query().queryId());
      ClusterSlot slot = acquire(rt, statementId, principal);
      try {
        return slot.cluster.connection().write(fragment);
      } catch (RuntimeException e) {
        throw nodeFailure(rt, slot, e);
      } finally {
        release(rt, statementId, slot);
      }
    }

    @Override
    public void cancel(String queryId) {
      Warehouses.this.cancel(queryId);
    }

    @Override
    public void close() {}
  }

  /** A stream that gives its slot back when closed and names a lost node when it breaks. */
  private final class SlotResultStream implements ResultStream {
    private final ResultStream delegate;
    private final WarehouseRuntime rt;
    private final String statementId;
    private final ClusterSlot slot;
    private final AtomicBoolean released = new AtomicBoolean();

    SlotResultStream(
        ResultStream delegate, WarehouseRuntime rt, String statementId, ClusterSlot slot) {
      this.delegate = delegate;
      this.rt = rt;
      this.statementId = statementId;
      this.slot = slot;
    }

    @Override
    public Schema schema() {
      try {
        return delegate.schema();
      } catch (RuntimeException e) {
        throw nodeFailure(rt, slot, e);
      }
    }

    @Override
    public boolean next() {
      try {
        return delegate.next();
      } catch (RuntimeException e) {
        throw nodeFailure(rt, slot, e);
      }
    }

    @Override
    public VectorSchemaRoot root() {
      return delegate.root();
    }

    @Override
    public void close() {
      try {
        delegate.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a stream of cluster {} failed: {}", slot.cluster.id(), e.toString());
      } finally {
        if (released.compareAndSet(false, true)) {
          release(rt, statementId, slot);
        }
      }
    }
  }

  // ---- checks and decisions (on the checker thread) ----

  private void checkAll() {
    if (closed) {
      return;
    }
    try {
      Set<String> listed = new HashSet<>();
      for (Warehouse w : store.list()) {
        listed.add(w.id());
        WarehouseRuntime rt = runtimes.get(w.id());
        if (rt == null && w.state() == WarehouseState.STOPPED) {
          continue;
        }
        rt = runtime(w);
        switch (w.state()) {
          case STARTING -> {
            boolean none;
            synchronized (rt) {
              none = rt.clusters.isEmpty() && rt.starting == 0;
            }
            if (none) {
              startClusters(
                  rt, w.spec().minNumClusters()); // asked for by 'aquifer warehouse start'
            }
          }
          case STOPPING -> stop(rt, WarehouseState.STOPPED, "the warehouse was stopped");
          case DELETING -> {
            stop(rt, WarehouseState.DELETED, "the warehouse was deleted");
            runtimes.remove(w.id());
          }
          default -> {}
        }
      }
      for (String id : List.copyOf(runtimes.keySet())) {
        if (!listed.contains(id)) {
          WarehouseRuntime gone = runtimes.remove(id);
          if (gone != null) {
            stop(gone, WarehouseState.DELETED, "the warehouse was deleted");
          }
        }
      }
      for (WarehouseRuntime rt : runtimes.values()) {
        check(rt);
      }
    } catch (RuntimeException e) {
      LOG.error("warehouse check failed", e);
    }
  }

  /** Health-checks the clusters and carries out the autoscaler's decision. */
  private void check(WarehouseRuntime rt) {
    if (closed) {
      return;
    }
    try {
      List<ClusterSlot> dead = new ArrayList<>();
      ScalingDecision decision;
      synchronized (rt) {
        for (ClusterSlot c : rt.clusters) {
          if (!c.cluster.isAlive()) {
            dead.add(c);
          }
        }
        rt.clusters.removeAll(dead);
        if (!dead.isEmpty()) {
          rt.degraded = true;
        }
        decision =
            autoscaler.decide(rt.limits(config.autoStopMinute()), rt.load(System.nanoTime()));
      }
      String id = rt.warehouse.id();
      for (ClusterSlot c : dead) {
        LOG.warn(
            "warehouse {}: cluster {} ({}) is gone; replacing it",
            rt.label(),
            c.cluster.id(),
            c.cluster.describe());
        closeQuietly(c.cluster);
        store.health(
            id,
            WarehouseHealth.DEGRADED,
            Optional.of("cluster " + c.cluster.id() + " stopped unexpectedly; replacing it"));
      }
      if (decision instanceof ScalingDecision.Start start) {
        store.transition(id, EnumSet.of(WarehouseState.STOPPED), WarehouseState.STARTING);
        startClusters(rt, start.clusters());
      } else if (decision instanceof ScalingDecision.ScaleOut out) {
        LOG.info("warehouse {}: adding {} cluster(s)", rt.label(), out.clusters());
        startClusters(rt, out.clusters());
      } else if (decision instanceof ScalingDecision.ScaleIn in) {
        List<ClusterSlot> removed = new ArrayList<>();
        synchronized (rt) {
          for (ClusterSlot c : List.copyOf(rt.clusters)) {
            if (in.clusterIds().contains(c.cluster.id()) && c.running == 0) {
              rt.clusters.remove(c);
              removed.add(c);
            }
          }
        }
        for (ClusterSlot c : removed) {
          LOG.info("warehouse {}: removing idle cluster {}", rt.label(), c.cluster.id());
          c.stoppedBecause = "its cluster was removed";
          closeQuietly(c.cluster);
        }
      } else if (decision instanceof ScalingDecision.Stop) {
        LOG.info(
            "warehouse {}: stopping after {} idle minute(s)",
            rt.label(),
            rt.warehouse.spec().autoStopMins());
        stop(rt, WarehouseState.STOPPED, "the warehouse stopped");
      }
    } catch (RuntimeException e) {
      LOG.error("warehouse {}: check failed", rt.label(), e);
    }
  }

  private void startClusters(WarehouseRuntime rt, int count) {
    long generation;
    List<String> ids = new ArrayList<>();
    synchronized (rt) {
      rt.starting += count;
      rt.started = true;
      generation = rt.generation;
      for (int i = 0; i < count; i++) {
        ids.add(rt.warehouse.id() + "-" + rt.nextClusterNumber++);
      }
    }
    for (String clusterId : ids) {
      starter.execute(() -> startCluster(rt, clusterId, generation));
    }
  }

  private void startCluster(WarehouseRuntime rt, String clusterId, long generation) {
    Warehouse w = rt.warehouse;
    long began = System.nanoTime();
    WarehouseCluster cluster;
    try {
      cluster = provisioner.start(w, clusterId);
    } catch (RuntimeException e) {
      LOG.error("warehouse {}: cluster {} did not start", rt.label(), clusterId, e);
      List<Waiter> failed = new ArrayList<>();
      boolean none;
      synchronized (rt) {
        if (rt.generation == generation) {
          rt.starting--;
        }
        none = rt.clusters.isEmpty() && rt.starting == 0;
        if (none) {
          rt.started = false;
          while (!rt.queue.isEmpty()) {
            failed.add(rt.queue.poll().orElseThrow());
          }
        }
      }
      String message = "cluster " + clusterId + " could not start: " + e.getMessage();
      store.health(w.id(), WarehouseHealth.FAILED, Optional.of(message));
      if (none) {
        store.transition(w.id(), EnumSet.of(WarehouseState.STARTING), WarehouseState.STOPPED);
      }
      for (Waiter waiter : failed) {
        waiter
            .slot()
            .completeExceptionally(
                GatewayErrorCode.WAREHOUSE_NOT_RUNNING.exception(
                    "warehouse " + rt.label() + " could not start: " + message));
      }
      return;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    boolean keep;
    boolean healed;
    synchronized (rt) {
      keep = rt.generation == generation && !closed;
      healed = false;
      if (keep) {
        rt.starting--;
        rt.clusters.add(new ClusterSlot(cluster, System.nanoTime()));
        healed = rt.degraded && rt.clusters.size() >= rt.warehouse.spec().minNumClusters();
        if (healed) {
          rt.degraded = false;
        }
        dispatch(rt);
      }
    }
    if (!keep) {
      closeQuietly(cluster);
      return;
    }
    clusterStartTimes.add(took);
    LOG.info(
        "warehouse {}: cluster {} ({}) serving after {} ms",
        rt.label(),
        clusterId,
        cluster.describe(),
        took.toMillis());
    store.transition(w.id(), EnumSet.of(WarehouseState.STARTING), WarehouseState.RUNNING);
    if (healed || w.health() == WarehouseHealth.FAILED) {
      store.health(w.id(), WarehouseHealth.HEALTHY, Optional.empty());
    }
  }

  /** Stops every cluster; queued statements fail. */
  private void stop(WarehouseRuntime rt, WarehouseState finalState, String reason) {
    List<ClusterSlot> clusters;
    List<Waiter> queued = new ArrayList<>();
    synchronized (rt) {
      rt.generation++;
      rt.starting = 0;
      rt.started = false;
      clusters = List.copyOf(rt.clusters);
      rt.clusters.clear();
      while (!rt.queue.isEmpty()) {
        queued.add(rt.queue.poll().orElseThrow());
      }
    }
    String id = rt.warehouse.id();
    if (finalState == WarehouseState.STOPPED) {
      store.transition(
          id, EnumSet.of(WarehouseState.STARTING, WarehouseState.RUNNING), WarehouseState.STOPPING);
    }
    for (Waiter w : queued) {
      w.slot()
          .completeExceptionally(
              GatewayErrorCode.WAREHOUSE_NOT_RUNNING.exception(
                  "warehouse " + rt.label() + " did not run this statement: " + reason));
    }
    for (ClusterSlot c : clusters) {
      c.stoppedBecause = reason;
      closeQuietly(c.cluster);
    }
    store.transition(
        id,
        finalState == WarehouseState.DELETED
            ? EnumSet.of(WarehouseState.DELETING)
            : EnumSet.of(WarehouseState.STOPPING),
        finalState);
    if (finalState == WarehouseState.STOPPED) {
      store.health(id, WarehouseHealth.HEALTHY, Optional.empty());
    }
  }

  private static void closeQuietly(WarehouseCluster cluster) {
    try {
      cluster.close();
    } catch (RuntimeException e) {
      LOG.warn("stopping cluster {} failed: {}", cluster.id(), e.toString());
    }
  }

  // ---- for diagnostics, tests and benchmarks ----

  /** Clusters the warehouse runs now (not counting those starting). */
  public int clusters(String warehouseId) {
    WarehouseRuntime rt = runtimes.get(warehouseId);
    if (rt == null) {
      return 0;
    }
    synchronized (rt) {
      return rt.clusters.size();
    }
  }

  /** Statements running on the warehouse's clusters now. */
  public int running(String warehouseId) {
    WarehouseRuntime rt = runtimes.get(warehouseId);
    if (rt == null) {
      return 0;
    }
    synchronized (rt) {
      return rt.running();
    }
  }

  /** Statements queued on the warehouse now. */
  public int queued(String warehouseId) {
    WarehouseRuntime rt = runtimes.get(warehouseId);
    if (rt == null) {
      return 0;
    }
    synchronized (rt) {
      return rt.queue.size();
    }
  }

  /** The running clusters of a warehouse, for tests that stop one from outside. */
  public List<WarehouseCluster> runningClusters(String warehouseId) {
    WarehouseRuntime rt = runtimes.get(warehouseId);
    if (rt == null) {
      return List.of();
    }
    synchronized (rt) {
      return rt.clusters.stream().map(c -> c.cluster).toList();
    }
  }

  /** How long each cluster took to start, in order. */
  public List<Duration> clusterStartTimes() {
    return List.copyOf(clusterStartTimes);
  }

  /** Runs the periodic check now and waits for it (tests use it instead of waiting a period). */
  public void checkNow() {
    try {
      checker.submit(this::checkAll).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    checker.shutdownNow();
    for (WarehouseRuntime rt : List.copyOf(runtimes.values())) {
      try {
        stop(rt, WarehouseState.STOPPED, "the server is stopping");
      } catch (RuntimeException e) {
        LOG.warn("stopping warehouse {} failed: {}", rt.label(), e.toString());
      }
    }
    starter.shutdownNow();
    provisioner.close();
  }
}
