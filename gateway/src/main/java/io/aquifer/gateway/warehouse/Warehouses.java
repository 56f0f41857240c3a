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
  private final List<WarehouseListener> listeners = new CopyOnWriteArrayList<>();
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

  /** Adds a listener told about queue waits and cluster starts from now on. */
  public void addListener(WarehouseListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  private void notifyListeners(java.util.function.Consumer<WarehouseListener> event) {
    for (WarehouseListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.error("warehouse listener {} failed", listener, e);
      }
    }
  }

  /**
   * Tells the listeners how long a waiter queued: for compute until a cluster first served, at
   * capacity after that.
   */
  private void waited(Waiter waiter) {
    long now = System.nanoTime();
    long ready = waiter.computeReadyNanos().get();
    long computeReady = ready == 0 ? now : Math.min(Math.max(ready, waiter.enqueuedNanos()), now);
    Duration forCompute = Duration.ofNanos(computeReady - waiter.enqueuedNanos());
    Duration atCapacity = Duration.ofNanos(now - computeReady);
    notifyListeners(l -> l.statementWaited(waiter.statementId(), forCompute, atCapacity));
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
      // Asked at the end of every statement (for its history entry): the last answer holds while
      // the catalog is unchanged, which one cheap pragma tells, instead of a read transaction.
      String generation = store.changeGeneration();
      WarehouseIdMemo memo = lastWarehouseId;
      if (memo != null
          && memo.generation().equals(generation)
          && memo.idOrName().equals(idOrName)) {
        return Optional.of(memo.id());
      }
      String id = idOrName.map(store::resolve).orElseGet(this::defaultWarehouse).id();
      lastWarehouseId = new WarehouseIdMemo(generation, idOrName, id);
      return Optional.of(id);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The last answer of {@link #warehouseIdOf}, with the catalog generation read before it. */
  private record WarehouseIdMemo(String generation, Optional<String> idOrName, String id) {}

  private volatile WarehouseIdMemo lastWarehouseId;

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
          notifyListeners(l -> l.statementWaited(statementId, Duration.ZERO, Duration.ZERO));
          return track(statementId, free);
        }
      }
      long enqueued = System.nanoTime();
      waiter =
          new Waiter(
              statementId,
              principal,
              enqueued,
              new CompletableFuture<>(),
              new java.util.concurrent.atomic.AtomicLong(rt.hasServingCluster() ? enqueued : 0));
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
      ClusterSlot slot = waiter.slot().get();
      waited(waiter);
      return track(statementId, slot);
    } catch (InterruptedException e) {
      waited(waiter);
      Thread.currentThread().interrupt();
      dropWaiter(rt, waiter);
      throw GatewayErrorCode.QUERY_CANCELED.exception(
          "statement " + statementId + " was canceled while queued on warehouse " + rt.label());
    } catch (ExecutionException e) {
      waited(waiter);
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

  /**
   * The error a statement gets when its cluster failed under it: NODE_UNAVAILABLE (08006) naming
   * the statement, the cluster and what happens to it; any other failure as it is.
   *
   * @param earlierLoss the cluster the statement lost before and was run again after, or null
   */
  private static RuntimeException nodeFailure(
      WarehouseRuntime rt,
      ClusterSlot slot,
      String statementId,
      String earlierLoss,
      RuntimeException e) {
    String stopped = slot.stoppedBecause;
    if (stopped != null) {
      return new ExecException(
          ExecErrorCode.NODE_UNAVAILABLE,
          "warehouse " + rt.label() + " stopped running statement " + statementId + ": " + stopped,
          e);
    }
    if (!canceled(e) && (nodeUnavailable(e) || !slot.cluster.isAlive())) {
      return new ExecException(
          ExecErrorCode.NODE_UNAVAILABLE,
          "cluster "
              + slot.cluster.id()
              + " of warehouse "
              + rt.label()
              + " ("
              + slot.cluster.describe()
              + ") stopped while running statement "
              + statementId
              + (earlierLoss == null
                  ? ""
                  : ", which had already been run once more after losing cluster " + earlierLoss)
              + "; the cluster is being replaced, run the statement again",
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

    /** In the engine SQL of the warehouse's engine (DuckDB's, or Spark's for a Spark warehouse). */
    @Override
    public QueryFragment compile(String queryId, org.apache.calcite.rel.RelNode plan) {
      return provisioner.compile(runtime().warehouse, queryId, plan);
    }

    /**
     * Asks the warehouse's serving clusters (without starting one): the files all of them hold, so
     * that whichever runs the statement has them; empty when none serves or they keep no cache.
     */
    @Override
    public java.util.Optional<java.util.Set<String>> dataCacheHolding(
        java.util.Collection<String> paths) {
      WarehouseRuntime rt = runtime();
      List<ClusterSlot> serving;
      synchronized (rt) {
        serving = rt.clusters.stream().filter(ClusterSlot::serves).toList();
      }
      java.util.Set<String> held = null;
      for (ClusterSlot c : serving) {
        java.util.Optional<java.util.Set<String>> one =
            c.cluster.connection().dataCacheHolding(paths);
        if (one.isEmpty()) {
          return java.util.Optional.empty();
        }
        if (held == null) {
          held = new java.util.HashSet<>(one.get());
        } else {
          held.retainAll(one.get());
        }
      }
      return java.util.Optional.ofNullable(held);
    }

    @Override
    public ResultStream query(QueryFragment fragment) {
      RetryingResultStream stream = new RetryingResultStream(runtime(), fragment, principal);
      stream.start();
      return stream;
    }

    @Override
    public List<NewDataFile> write(WriteFragment fragment) {
      return write(fragment, reads -> {});
    }

    @Override
    public List<NewDataFile> write(
        WriteFragment fragment,
        java.util.function.Consumer<io.aquifer.storage.cache.DiskCacheReads> reads) {
      WarehouseRuntime rt = runtime();
      String statementId = WarehouseNodeIds.statementOf(fragment.query().queryId());
      ClusterSlot slot = acquire(rt, statementId, principal);
      try {
        return slot.cluster.connection().write(fragment, reads);
      } catch (RuntimeException e) {
        throw nodeFailure(rt, slot, statementId, null, e);
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

  /** True if the failure is the loss of the cluster itself, not the statement's own error. */
  private static boolean clusterLost(ClusterSlot slot, RuntimeException e) {
    if (slot.stoppedBecause != null || canceled(e)) {
      return false; // stopped on purpose (the warehouse stopped, or the statement was canceled)
    }
    return nodeUnavailable(e) || !slot.cluster.isAlive();
  }

  /**
   * Whether the failure says the node could not be reached: as the node client's ExecException, or
   * as the GatewayException a result stream translated it to. (The process of a node killed a
   * moment ago may not have been reaped yet, so its liveness alone does not tell.)
   */
  private static boolean nodeUnavailable(RuntimeException e) {
    return hasCode(e, ExecErrorCode.NODE_UNAVAILABLE);
  }

  /** Whether the statement was canceled: that is never a reason to run it again. */
  private static boolean canceled(RuntimeException e) {
    return hasCode(e, ExecErrorCode.QUERY_CANCELED);
  }

  private static boolean hasCode(RuntimeException e, ExecErrorCode code) {
    return (e instanceof ExecException x && x.code() == code)
        || (e instanceof io.aquifer.gateway.GatewayException g
            && code.name().equals(g.errorClass()));
  }

  /**
   * A query's result from a cluster of the warehouse: holds a slot until closed, and names a lost
   * cluster when the stream breaks. A query whose cluster is lost before the stream gave its first
   * batch (a query is read-only: nothing happened that running it again would repeat) runs once
   * more, on another cluster or on the lost one's replacement (waiting in the queue meanwhile,
   * where a cancel reaches it); once rows were given out, or when the second cluster is lost too,
   * the loss fails the statement with NODE_UNAVAILABLE.
   *
   * <p>{@link #schema()}, {@link #next()} and {@link #root()} are called by the one thread that
   * reads the result; {@link #close()} may come from another (a cancel). The running attempt (its
   * slot and stream) changes only under this object's monitor, so each stream is closed once and a
   * stream opened while the result was closed is closed at once.
   */
  private final class RetryingResultStream implements ResultStream {
    private final WarehouseRuntime rt;
    private final QueryFragment fragment;
    private final String principal;
    private final String statementId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ClusterSlot slot; // guarded by this
    private ResultStream delegate; // guarded by this
    private String lostCluster; // the cluster lost before the retry, if any
    private boolean gaveRows;

    RetryingResultStream(WarehouseRuntime rt, QueryFragment fragment, String principal) {
      this.rt = rt;
      this.fragment = fragment;
      this.principal = principal;
      this.statementId = WarehouseNodeIds.statementOf(fragment.queryId());
    }

    /** Takes a slot and starts the query there; after a lost cluster, once more. */
    void start() {
      while (true) {
        ClusterSlot taken = acquire(rt, statementId, principal);
        synchronized (this) {
          slot = taken;
        }
        ResultStream opened;
        try {
          if (closed.get()) {
            throw closedMeanwhile();
          }
          opened = taken.cluster.connection().query(fragment);
        } catch (RuntimeException e) {
          releaseSlot();
          if (closed.get() || !retryAfter(taken, e)) {
            throw closed.get()
                ? closedMeanwhile()
                : nodeFailure(rt, taken, statementId, lostCluster, e);
          }
          continue;
        }
        boolean keep;
        synchronized (this) {
          keep = !closed.get();
          if (keep) {
            delegate = opened;
          }
        }
        if (keep) {
          return;
        }
        closeQuietly(opened);
        releaseSlot();
        throw closedMeanwhile();
      }
    }

    private RuntimeException closedMeanwhile() {
      return GatewayErrorCode.QUERY_CANCELED.exception(
          "statement " + statementId + " was canceled while it started on warehouse " + rt.label());
    }

    /** Gives the slot back, once. */
    private void releaseSlot() {
      ClusterSlot held;
      synchronized (this) {
        held = slot;
        slot = null;
      }
      if (held != null) {
        release(rt, statementId, held);
      }
    }

    /**
     * Whether to run the query again after its cluster failed with {@code e}: once, when the
     * cluster was lost and no rows were given out. The lost cluster takes no statement until it
     * answers a ping, and the warehouse checks it at once.
     */
    private boolean retryAfter(ClusterSlot lost, RuntimeException e) {
      if (!clusterLost(lost, e)) {
        return false;
      }
      lost.suspect = true;
      recheck(rt);
      if (lostCluster != null || gaveRows || closed.get()) {
        return false;
      }
      lostCluster = lost.cluster.id();
      LOG.warn(
          "warehouse {}: statement {} lost cluster {} ({}) before it gave rows; running it again:"
              + " {}",
          rt.label(),
          statementId,
          lost.cluster.id(),
          lost.cluster.describe(),
          e.getMessage());
      return true;
    }

    /** After the running stream failed: starts the retry, or throws the failure. */
    private void failed(ClusterSlot lost, RuntimeException e) {
      ResultStream broken;
      synchronized (this) {
        broken = delegate;
        delegate = null;
      }
      if (broken == null || lost == null) {
        throw e; // closed meanwhile (a cancel): its failure is not a lost cluster
      }
      closeQuietly(broken);
      String earlierLoss = lostCluster;
      releaseSlot();
      if (!retryAfter(lost, e)) {
        throw nodeFailure(rt, lost, statementId, earlierLoss, e);
      }
      start();
    }

    /** The stream of the running attempt; starts one if the last one failed. */
    private ResultStream running() {
      synchronized (this) {
        if (delegate != null) {
          return delegate;
        }
      }
      if (closed.get()) {
        throw closedMeanwhile();
      }
      start();
      synchronized (this) {
        if (delegate == null) {
          throw closedMeanwhile();
        }
        return delegate;
      }
    }

    private synchronized ClusterSlot runningSlot() {
      return slot;
    }

    @Override
    public Schema schema() {
      while (true) {
        ResultStream stream = running();
        ClusterSlot on = runningSlot();
        try {
          return stream.schema();
        } catch (RuntimeException e) {
          failed(on, e);
        }
      }
    }

    @Override
    public boolean next() {
      while (true) {
        ResultStream stream = running();
        ClusterSlot on = runningSlot();
        try {
          boolean more = stream.next();
          gaveRows |= more;
          return more;
        } catch (RuntimeException e) {
          failed(on, e);
        }
      }
    }

    @Override
    public io.aquifer.storage.cache.DiskCacheReads diskCacheReads() {
      ResultStream stream;
      synchronized (this) {
        stream = delegate;
      }
      return stream == null
          ? io.aquifer.storage.cache.DiskCacheReads.NONE
          : stream.diskCacheReads();
    }

    @Override
    public java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfile() {
      ResultStream stream;
      synchronized (this) {
        stream = delegate;
      }
      return stream == null
          ? java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty())
          : stream.engineProfile();
    }

    @Override
    public VectorSchemaRoot root() {
      ResultStream stream;
      ClusterSlot on;
      synchronized (this) {
        stream = delegate;
        on = slot;
      }
      if (stream == null) {
        throw closedMeanwhile();
      }
      try {
        return stream.root();
      } catch (RuntimeException e) {
        throw on == null ? e : nodeFailure(rt, on, statementId, lostCluster, e);
      }
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      ResultStream running;
      synchronized (this) {
        running = delegate;
        delegate = null;
      }
      try {
        if (running != null) {
          closeQuietly(running);
        }
      } finally {
        releaseSlot();
      }
    }

    private void closeQuietly(ResultStream stream) {
      try {
        stream.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a stream of statement {} failed: {}", statementId, e.toString());
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
          if (!c.cluster.isAlive() || c.unhealthy) {
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
        boolean exited = !c.cluster.isAlive();
        String why =
            exited
                ? "stopped unexpectedly"
                : "did not answer "
                    + c.failedPings.get()
                    + " health check(s) in a row within "
                    + config.pingTimeout().toMillis()
                    + " ms";
        LOG.warn(
            "warehouse {}: cluster {} ({}) {}; replacing it",
            rt.label(),
            c.cluster.id(),
            c.cluster.describe(),
            why);
        if (exited) {
          closeQuietly(c.cluster);
        } else {
          killQuietly(c.cluster);
        }
        store.health(
            id,
            WarehouseHealth.DEGRADED,
            Optional.of("cluster " + c.cluster.id() + " " + why + "; replacing it"));
      }
      pingClusters(rt);
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

  /** Pings every cluster that is not being pinged, each on a thread of the starter pool. */
  private void pingClusters(WarehouseRuntime rt) {
    List<ClusterSlot> clusters;
    synchronized (rt) {
      clusters = List.copyOf(rt.clusters);
    }
    for (ClusterSlot c : clusters) {
      if (c.pinging.compareAndSet(false, true)) {
        try {
          starter.execute(() -> ping(rt, c));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          c.pinging.set(false);
        }
      }
    }
  }

  /**
   * One health check. A cluster that failed {@link WarehousesConfig#unhealthyAfterFailedPings()} in
   * a row, or once after a statement lost its call to it, is unhealthy: the next check kills and
   * replaces it. A suspected cluster that answers takes statements again.
   */
  private void ping(WarehouseRuntime rt, ClusterSlot c) {
    try {
      c.cluster.ping(config.pingTimeout());
      c.failedPings.set(0);
      if (c.suspect) {
        c.suspect = false;
        synchronized (rt) {
          dispatch(rt);
        }
      }
    } catch (RuntimeException e) {
      int failed = c.failedPings.incrementAndGet();
      LOG.info(
          "warehouse {}: cluster {} failed health check {} in a row: {}",
          rt.label(),
          c.cluster.id(),
          failed,
          e.getMessage());
      if (!closed
          && c.stoppedBecause == null
          && (failed >= config.unhealthyAfterFailedPings() || c.suspect)) {
        c.unhealthy = true;
        recheck(rt);
      }
    } finally {
      c.pinging.set(false);
    }
  }

  /** Runs {@link #check} for the warehouse soon, on the checker thread. */
  private void recheck(WarehouseRuntime rt) {
    try {
      checker.execute(() -> check(rt));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the server is stopping
    }
  }

  private static void killQuietly(WarehouseCluster cluster) {
    try {
      cluster.kill();
    } catch (RuntimeException e) {
      LOG.warn("killing cluster {} failed: {}", cluster.id(), e.toString());
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
        long now = System.nanoTime();
        rt.clusters.add(new ClusterSlot(cluster, now));
        // Statements queued while no cluster served wait for capacity from now on.
        rt.queue.forEach(q -> q.computeReadyNanos().compareAndSet(0, now));
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
    notifyListeners(l -> l.clusterStarted(w.id(), clusterId, took));
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

  /** Clusters of the warehouse starting now. */
  public int startingClusters(String warehouseId) {
    WarehouseRuntime rt = runtimes.get(warehouseId);
    if (rt == null) {
      return 0;
    }
    synchronized (rt) {
      return rt.starting;
    }
  }

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

  /** False once the service is closed (the server is stopping): it takes no statement then. */
  public boolean isServing() {
    return !closed;
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
