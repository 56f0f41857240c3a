package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseException;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.gateway.warehouse.Warehouses;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Databricks' Warehouses API 2.0 ({@code /api/2.0/sql/warehouses}): a thin adapter over the
 * catalog's {@link WarehouseStore} (what a warehouse is and the state asked for) and the gateway's
 * {@link Warehouses} (its clusters now). Like {@code aquifer warehouse}, it only records the
 * change; the gateway acts on it at its next warehouse check, within a second. Listing and getting
 * is open to every user; creating, editing, starting, stopping and deleting needs an admin.
 */
final class WarehousesApi {
  private final WarehouseStore store;
  private final Warehouses warehouses;
  private final Function<String, String> jdbcUrl;

  WarehousesApi(WarehouseStore store, Warehouses warehouses, Function<String, String> jdbcUrl) {
    this.store = requireNonNull(store, "store");
    this.warehouses = requireNonNull(warehouses, "warehouses");
    this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl");
  }

  Map<String, Object> list(RestCall call) {
    List<Object> out = new ArrayList<>();
    for (Warehouse w : store.list()) {
      out.add(json(call, w));
    }
    return Map.of("warehouses", out);
  }

  Map<String, Object> get(RestCall call, String id) {
    return json(call, find(id));
  }

  /** Creates a warehouse and starts it, as Databricks does; answers {@code {"id"}}. */
  Map<String, Object> create(RestCall call) {
    requireAdmin(call, "create warehouses");
    JsonNode body = call.json();
    String name =
        RestCall.text(body, "name")
            .orElseThrow(() -> DatabricksApiException.invalidParameter("name is required"));
    WarehouseSize size =
        RestCall.text(body, "cluster_size")
            .map(WarehousesApi::size)
            .orElseThrow(
                () ->
                    DatabricksApiException.invalidParameter(
                        "cluster_size is required (2X-Small ... 4X-Large)"));
    // Aquifer's own field: a warehouse created with a Spark Connect endpoint is a Spark warehouse.
    boolean spark = RestCall.text(body, "spark_connect_url").isPresent();
    WarehouseSpec base = guarded(() -> WarehouseSpec.of(name, size));
    WarehouseSpec spec =
        spec(
            body,
            base,
            name,
            size,
            spark ? io.aquifer.catalog.WarehouseEngine.SPARK : base.engine());
    Warehouse created = guarded(() -> store.create(spec, call.principal().name()));
    store.transition(created.id(), EnumSet.of(WarehouseState.STOPPED), WarehouseState.STARTING);
    return Map.of("id", created.id());
  }

  /** Changes the fields given; the others keep their value. */
  Map<String, Object> edit(RestCall call, String id) {
    requireAdmin(call, "edit warehouses");
    Warehouse w = find(id);
    JsonNode body = call.json();
    WarehouseSpec base = w.spec();
    String name = RestCall.text(body, "name").orElse(base.name());
    WarehouseSize size = RestCall.text(body, "cluster_size").map(WarehousesApi::size).orElse(null);
    WarehouseSpec spec = spec(body, base, name, size == null ? base.size() : size, base.engine());
    guarded(() -> store.edit(w.id(), spec));
    return Map.of();
  }

  Map<String, Object> delete(RestCall call, String id) {
    requireAdmin(call, "delete warehouses");
    Warehouse w = find(id);
    guarded(() -> store.delete(w.id()));
    return Map.of();
  }

  /** Starts a stopped warehouse; a starting or running one is left as it is. */
  Map<String, Object> start(RestCall call, String id) {
    requireAdmin(call, "start warehouses");
    Warehouse w = find(id);
    guarded(
        () ->
            store.transition(w.id(), EnumSet.of(WarehouseState.STOPPED), WarehouseState.STARTING));
    return Map.of();
  }

  /** Stops a warehouse: its clusters stop, its running and queued statements fail. */
  Map<String, Object> stop(RestCall call, String id) {
    requireAdmin(call, "stop warehouses");
    Warehouse w = find(id);
    guarded(
        () ->
            store.transition(
                w.id(),
                EnumSet.of(WarehouseState.STARTING, WarehouseState.RUNNING),
                WarehouseState.STOPPING));
    return Map.of();
  }

  // ---- internals ----

  private Warehouse find(String id) {
    return store
        .get(id)
        .filter(w -> w.state() != WarehouseState.DELETED)
        .orElseThrow(
            () ->
                DatabricksApiException.notFound(
                    "Warehouse " + id + " does not exist or was deleted"));
  }

  private static void requireAdmin(RestCall call, String what) {
    if (!call.principal().admin()) {
      throw new DatabricksApiException(
          403,
          "PERMISSION_DENIED",
          "User " + call.principal().name() + " does not have permission to " + what);
    }
  }

  private static WarehouseSize size(String name) {
    try {
      return WarehouseSize.parse(name);
    } catch (WarehouseException e) {
      throw DatabricksApiException.invalidParameter(e.getMessage());
    }
  }

  /** The spec the body asks for over {@code base}; Databricks' field names and limits. */
  private static WarehouseSpec spec(
      JsonNode body,
      WarehouseSpec base,
      String name,
      WarehouseSize size,
      io.aquifer.catalog.WarehouseEngine engine) {
    Optional<String> sparkConnectUrl =
        RestCall.text(body, "spark_connect_url").or(base::sparkConnectUrl);
    int min = intField(body, "min_num_clusters").orElse(base.minNumClusters());
    int max = intField(body, "max_num_clusters").orElse(Math.max(base.maxNumClusters(), min));
    int autoStop = intField(body, "auto_stop_mins").orElse(base.autoStopMins());
    Map<String, String> tags = base.tags();
    JsonNode tagsNode = body.get("tags");
    if (tagsNode != null && !tagsNode.isNull()) {
      JsonNode custom = tagsNode.get("custom_tags");
      if (!tagsNode.isObject() || (custom != null && !custom.isNull() && !custom.isArray())) {
        throw DatabricksApiException.malformedRequest(
            "Invalid value for field 'tags': expected {\"custom_tags\": [{\"key\", \"value\"}]}");
      }
      tags = new LinkedHashMap<>();
      if (custom != null && custom.isArray()) {
        for (JsonNode tag : custom) {
          if (!tag.isObject()) {
            throw DatabricksApiException.malformedRequest(
                "Invalid value for field 'tags.custom_tags': expected objects");
          }
          String key =
              RestCall.text(tag, "key")
                  .orElseThrow(
                      () -> DatabricksApiException.invalidParameter("a custom tag needs a key"));
          tags.put(key, RestCall.text(tag, "value").orElse(""));
        }
      }
    }
    Map<String, String> finalTags = tags;
    return guarded(
        () ->
            new WarehouseSpec(
                name,
                size,
                min,
                max,
                autoStop,
                base.clusterConcurrency(),
                finalTags,
                engine,
                sparkConnectUrl));
  }

  private static Optional<Integer> intField(JsonNode body, String field) {
    Optional<Long> v = RestCall.number(body, field);
    if (v.isPresent() && (v.get() < Integer.MIN_VALUE || v.get() > Integer.MAX_VALUE)) {
      throw DatabricksApiException.invalidParameter(field + " is out of range: " + v.get());
    }
    return v.map(Long::intValue);
  }

  private interface StoreCall<T> {
    T run();
  }

  /** Runs a store call, answering its errors as Databricks does. */
  private static <T> T guarded(StoreCall<T> action) {
    try {
      return action.run();
    } catch (WarehouseException e) {
      throw switch (e.code()) {
        case INVALID_PARAMETER_VALUE -> DatabricksApiException.invalidParameter(e.getMessage());
        case RESOURCE_DOES_NOT_EXIST -> DatabricksApiException.notFound(e.getMessage());
        case RESOURCE_ALREADY_EXISTS ->
            new DatabricksApiException(409, "RESOURCE_ALREADY_EXISTS", e.getMessage());
      };
    }
  }

  private Map<String, Object> json(RestCall call, Warehouse w) {
    WarehouseSpec spec = w.spec();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", w.id());
    out.put("name", w.name());
    out.put("cluster_size", spec.size().displayName());
    out.put("min_num_clusters", spec.minNumClusters());
    out.put("max_num_clusters", spec.maxNumClusters());
    out.put("auto_stop_mins", spec.autoStopMins());
    out.put("creator_name", w.creator());
    List<Object> custom = new ArrayList<>();
    spec.tags().forEach((k, v) -> custom.add(Map.of("key", k, "value", v)));
    out.put("tags", Map.of("custom_tags", custom));
    out.put("state", w.state().name());
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("status", w.health().name());
    w.healthMessage().ifPresent(m -> health.put("summary", m));
    out.put("health", health);
    out.put("num_clusters", warehouses.clusters(w.id()));
    out.put("num_active_sessions", warehouses.running(w.id()) + warehouses.queued(w.id()));
    out.put("jdbc_url", jdbcUrl.apply(w.id()));
    URI base = URI.create(call.baseUrl());
    Map<String, Object> odbc = new LinkedHashMap<>();
    odbc.put("hostname", base.getHost());
    odbc.put("path", DatabricksRestFrontEnd.httpPath(w.id()));
    odbc.put("protocol", base.getScheme());
    odbc.put("port", base.getPort() < 0 ? 443 : base.getPort());
    out.put("odbc_params", odbc);
    out.put("warehouse_type", "PRO");
    // Aquifer's own fields: the engine, and a Spark warehouse's Spark Connect endpoint.
    out.put("aquifer_engine", spec.engine().externalName());
    spec.sparkConnectUrl().ifPresent(u -> out.put("spark_connect_url", u));
    out.put("enable_serverless_compute", false);
    out.put("enable_photon", false);
    out.put("spot_instance_policy", "COST_OPTIMIZED");
    return out;
  }
}
