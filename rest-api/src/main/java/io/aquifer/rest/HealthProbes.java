package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseHealth;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.gateway.warehouse.Warehouses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probes a process supervisor or load balancer calls without a token: {@code GET /healthz}
 * (liveness: the gateway answers HTTP) and {@code GET /readyz} (readiness: it takes statements,
 * that is its catalog database answers and its warehouses service runs). Readiness does not depend
 * on any warehouse's health: a stopped warehouse starts on its first statement and a degraded one
 * replaces its cluster, so the gateway still takes statements; the answer counts them for a human
 * who looks. Bodies are small JSON objects; names and ids of warehouses are not shown.
 */
final class HealthProbes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthProbes.class);
  static final String LIVENESS = "/healthz";
  static final String READINESS = "/readyz";

  /** An answer: HTTP status and JSON body. */
  record Answer(int status, Map<String, Object> body) {}

  private final Supplier<List<Warehouse>> warehouseList;
  private final Warehouses warehouses;

  HealthProbes(Supplier<List<Warehouse>> warehouseList, Warehouses warehouses) {
    this.warehouseList = requireNonNull(warehouseList, "warehouseList");
    this.warehouses = requireNonNull(warehouses, "warehouses");
  }

  static boolean isProbe(String path) {
    return path.equals(LIVENESS) || path.equals(READINESS);
  }

  Answer answer(String path) {
    return path.equals(LIVENESS) ? liveness() : readiness();
  }

  Answer liveness() {
    return new Answer(200, Map.of("status", "OK"));
  }

  Answer readiness() {
    if (!warehouses.isServing()) {
      return notReady("the server is stopping");
    }
    List<Warehouse> all;
    try {
      all = warehouseList.get();
    } catch (RuntimeException e) {
      LOG.warn("readiness probe: the catalog database does not answer", e);
      return notReady("the catalog database does not answer; see the server log");
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    List<Warehouse> live = all.stream().filter(Warehouse::isLive).toList();
    counts.put("total", live.size());
    counts.put("running", live.stream().filter(w -> w.state() == WarehouseState.RUNNING).count());
    counts.put(
        "degraded", live.stream().filter(w -> w.health() == WarehouseHealth.DEGRADED).count());
    counts.put("failed", live.stream().filter(w -> w.health() == WarehouseHealth.FAILED).count());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "READY");
    body.put("warehouses", counts);
    return new Answer(200, body);
  }

  private static Answer notReady(String reason) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "NOT_READY");
    body.put("reason", reason);
    return new Answer(503, body);
  }
}
