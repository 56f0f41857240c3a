package io.aquifer.gateway.warehouse;

import io.aquifer.catalog.Warehouse;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import org.apache.calcite.rel.RelNode;

/**
 * How clusters come to be: in the gateway's JVM, as node processes, or as a session on a Spark
 * cluster. The autoscaler decides when; a provisioner decides how.
 */
public interface ClusterProvisioner extends AutoCloseable {
  /**
   * Starts one cluster of {@code warehouse} at its size and waits until it serves.
   *
   * @throws RuntimeException if the node cannot start; the message says why
   */
  WarehouseCluster start(Warehouse warehouse, String clusterId);

  /**
   * Compiles a bound plan into the engine SQL of the clusters this provisioner starts for {@code
   * warehouse}: DuckDB's for warehouse nodes.
   */
  default QueryFragment compile(Warehouse warehouse, String queryId, RelNode plan) {
    return DuckDbPlanCompiler.compile(queryId, plan);
  }

  @Override
  default void close() {}
}
