package io.aquifer.gateway.warehouse;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseEngine;
import io.aquifer.exec.QueryFragment;
import java.util.EnumMap;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each warehouse to the provisioner of its engine: DuckDB warehouses to the node provisioner
 * (in-process, node processes or Kubernetes pods), Spark warehouses to the one that opens Spark
 * Connect sessions.
 */
public final class EngineClusterProvisioner implements ClusterProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(EngineClusterProvisioner.class);

  private final Map<WarehouseEngine, ClusterProvisioner> byEngine;

  public EngineClusterProvisioner(Map<WarehouseEngine, ClusterProvisioner> byEngine) {
    this.byEngine = new EnumMap<>(requireNonNull(byEngine, "byEngine"));
  }

  private ClusterProvisioner of(Warehouse warehouse) {
    WarehouseEngine engine = warehouse.spec().engine();
    ClusterProvisioner provisioner = byEngine.get(engine);
    if (provisioner == null) {
      throw new IllegalStateException(
          "this server cannot run warehouses of type " + engine.externalName());
    }
    return provisioner;
  }

  @Override
  public WarehouseCluster start(Warehouse warehouse, String clusterId) {
    return of(warehouse).start(warehouse, clusterId);
  }

  @Override
  public QueryFragment compile(Warehouse warehouse, String queryId, RelNode plan) {
    return of(warehouse).compile(warehouse, queryId, plan);
  }

  @Override
  public void close() {
    for (ClusterProvisioner p : byEngine.values()) {
      try {
        p.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the {} provisioner failed", p, e);
      }
    }
  }
}
