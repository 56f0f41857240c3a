package io.aquifer.gateway.warehouse;

import io.aquifer.catalog.Warehouse;

/**
 * How clusters come to be: in the gateway's JVM, or as node processes. The autoscaler decides when;
 * a provisioner decides how.
 */
public interface ClusterProvisioner extends AutoCloseable {
  /**
   * Starts one cluster of {@code warehouse} at its size and waits until it serves.
   *
   * @throws RuntimeException if the node cannot start; the message says why
   */
  WarehouseCluster start(Warehouse warehouse, String clusterId);

  @Override
  default void close() {}
}
