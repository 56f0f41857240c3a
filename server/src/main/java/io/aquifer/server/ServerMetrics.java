package io.aquifer.server;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.StatementStatus;
import io.aquifer.gateway.warehouse.WarehouseListener;
import io.aquifer.gateway.warehouse.Warehouses;
import io.aquifer.rest.MetricsEndpoint;
import io.aquifer.results.ResultStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.ToIntBiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics, every meter wired here, scraped in Prometheus' text format at {@code GET
 * /metrics} on the HTTP port (see docs/operations.md for the list):
 *
 * <ul>
 *   <li>{@code aquifer_statements_total{state}}: statements that ended, by final state;
 *   <li>{@code aquifer_warehouse_queued_statements}, {@code aquifer_warehouse_running_statements},
 *       {@code aquifer_warehouse_clusters{state="running"|"starting"}}: per warehouse ({@code
 *       warehouse_id}, {@code warehouse_name}), read at each scrape;
 *   <li>{@code aquifer_cluster_start_seconds}: how long clusters took to start (a timer);
 *   <li>{@code aquifer_statement_queue_wait_seconds{reason="compute"|"capacity"}}: time statements
 *       queued on their warehouse;
 *   <li>{@code aquifer_result_store_bytes{tier="memory"|"spilled"}} and {@code
 *       aquifer_result_store_results}: the statements' stored results;
 *   <li>{@code aquifer_query_plans_total}, {@code aquifer_query_plans_reused_total}: queries
 *       planned (or validated) by a prepare or a run, and runs that took a kept plan instead;
 *   <li>{@code aquifer_disk_cache_hits_total}, {@code aquifer_disk_cache_misses_total}, {@code
 *       aquifer_disk_cache_read_bytes_total{source="cache"|"storage"}}, {@code
 *       aquifer_disk_cache_evictions_total}, {@code aquifer_disk_cache_bytes} and {@code
 *       aquifer_disk_cache_files}: the in-process warehouse nodes' disk cache of object-store
 *       files;
 *   <li>the JVM's memory, garbage collection, threads, classes, CPU and uptime (Micrometer's
 *       binders).
 * </ul>
 */
public final class ServerMetrics implements MetricsEndpoint, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);

  /** Prometheus' text exposition format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final WarehouseStore warehouseStore;
  private final Warehouses warehouses;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final MultiGauge queued;
  private final MultiGauge running;
  private final MultiGauge runningClusters;
  private final MultiGauge startingClusters;

  /** Held here: meters keep only weak references to what they read. */
  private final java.util.function.Supplier<io.aquifer.storage.cache.DiskCacheStats> diskCache;

  public ServerMetrics(Gateway gateway, Warehouses warehouses, WarehouseStore warehouseStore) {
    this(
        gateway,
        warehouses,
        warehouseStore,
        () -> new io.aquifer.storage.cache.DiskCacheStats(0, 0, 0, 0, 0, 0, 0));
  }

  /**
   * @param diskCache the counters of the warehouse nodes' disk cache, read at each scrape
   */
  public ServerMetrics(
      Gateway gateway,
      Warehouses warehouses,
      WarehouseStore warehouseStore,
      java.util.function.Supplier<io.aquifer.storage.cache.DiskCacheStats> diskCache) {
    this.diskCache = requireNonNull(diskCache, "diskCache");
    requireNonNull(gateway, "gateway");
    this.warehouses = requireNonNull(warehouses, "warehouses");
    this.warehouseStore = requireNonNull(warehouseStore, "warehouseStore");

    // Statements by the state they ended in; the usual ones are there (at 0) from the start.
    for (StatementState state :
        EnumSet.of(StatementState.SUCCEEDED, StatementState.FAILED, StatementState.CANCELED)) {
      statementsEnded(state);
    }
    gateway.addStatementEndListener(
        (StatementStatus status, String sql) -> statementsEnded(status.state()).increment());

    Timer computeWait = queueWait("compute");
    Timer capacityWait = queueWait("capacity");
    warehouses.addListener(
        new WarehouseListener() {
          @Override
          public void statementWaited(
              String statementId, Duration forCompute, Duration atCapacity) {
            computeWait.record(forCompute);
            capacityWait.record(atCapacity);
          }

          @Override
          public void clusterStarted(String warehouseId, String clusterId, Duration took) {
            Timer.builder("aquifer.cluster.start")
                .description("Time from asking for a warehouse cluster to its serving")
                .tag("warehouse_id", warehouseId)
                .register(registry)
                .record(took);
          }
        });

    queued =
        MultiGauge.builder("aquifer.warehouse.queued.statements")
            .description("Statements waiting in the warehouse's queue")
            .register(registry);
    running =
        MultiGauge.builder("aquifer.warehouse.running.statements")
            .description("Statements running on the warehouse's clusters")
            .register(registry);
    runningClusters =
        MultiGauge.builder("aquifer.warehouse.clusters")
            .description("Clusters of the warehouse, by state")
            .tag("state", "running")
            .register(registry);
    startingClusters =
        MultiGauge.builder("aquifer.warehouse.clusters")
            .description("Clusters of the warehouse, by state")
            .tag("state", "starting")
            .register(registry);

    ResultStore results = gateway.resultStore();
    Gauge.builder("aquifer.result.store.bytes", results, ResultStore::memoryBytes)
        .description("Bytes of statement results held, by tier")
        .tag("tier", "memory")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("aquifer.result.store.bytes", results, ResultStore::spilledBytes)
        .description("Bytes of statement results held, by tier")
        .tag("tier", "spilled")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("aquifer.result.store.results", results, ResultStore::resultCount)
        .description("Statement results held")
        .register(registry);

    FunctionCounter.builder("aquifer.query.plans", gateway, Gateway::queriesPlanned)
        .description("Times a query was parsed and planned or validated, by a prepare or a run")
        .register(registry);
    FunctionCounter.builder("aquifer.query.plans.reused", gateway, Gateway::plansReused)
        .description("Runs of a query that took a plan kept from its prepare or an earlier run")
        .register(registry);

    diskCacheMeters(this.diskCache);

    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private void diskCacheMeters(
      java.util.function.Supplier<io.aquifer.storage.cache.DiskCacheStats> stats) {
    FunctionCounter.builder("aquifer.disk.cache.hits", stats, s -> s.get().hits())
        .description("Object-store files the warehouse nodes found in their disk cache")
        .register(registry);
    FunctionCounter.builder("aquifer.disk.cache.misses", stats, s -> s.get().misses())
        .description("Object-store files the warehouse nodes fetched into their disk cache")
        .register(registry);
    FunctionCounter.builder("aquifer.disk.cache.read.bytes", stats, s -> s.get().hitBytes())
        .description("Bytes of object-store files read through the disk cache, by source")
        .tag("source", "cache")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder("aquifer.disk.cache.read.bytes", stats, s -> s.get().downloadedBytes())
        .description("Bytes of object-store files read through the disk cache, by source")
        .tag("source", "storage")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder("aquifer.disk.cache.evictions", stats, s -> s.get().evictions())
        .description("Files the disk cache removed to stay under its size limit")
        .register(registry);
    Gauge.builder("aquifer.disk.cache.bytes", stats, s -> s.get().bytes())
        .description("Bytes the disk cache holds")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("aquifer.disk.cache.files", stats, s -> s.get().entries())
        .description("Files the disk cache holds")
        .register(registry);
  }

  private Counter statementsEnded(StatementState state) {
    return Counter.builder("aquifer.statements")
        .description("Statements that ended, by final state")
        .tag("state", state.name())
        .register(registry);
  }

  private Timer queueWait(String reason) {
    return Timer.builder("aquifer.statement.queue.wait")
        .description(
            "Time statements queued on their warehouse: for compute (clusters starting) or at"
                + " capacity (every cluster busy)")
        .tag("reason", reason)
        .register(registry);
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public byte[] scrape() {
    refreshWarehouses();
    return registry.scrape().getBytes(StandardCharsets.UTF_8);
  }

  /** One row per live warehouse, read now; deleted warehouses drop out. */
  private void refreshWarehouses() {
    List<Warehouse> live;
    try {
      live = warehouseStore.list().stream().filter(Warehouse::isLive).toList();
    } catch (RuntimeException e) {
      LOG.warn("metrics: cannot list warehouses: {}", e.toString());
      return;
    }
    queued.register(rows(live, (w, id) -> w.queued(id)), true);
    running.register(rows(live, (w, id) -> w.running(id)), true);
    runningClusters.register(rows(live, (w, id) -> w.clusters(id)), true);
    startingClusters.register(rows(live, (w, id) -> w.startingClusters(id)), true);
  }

  private List<MultiGauge.Row<?>> rows(
      List<Warehouse> live, ToIntBiFunction<Warehouses, String> value) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (Warehouse w : live) {
      String id = w.id();
      rows.add(
          MultiGauge.Row.of(
              Tags.of("warehouse_id", id, "warehouse_name", w.name()),
              warehouses,
              ws -> value.applyAsInt(ws, id)));
    }
    return rows;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
