package io.aquifer.gateway.warehouse;

import io.aquifer.gateway.execution.WarehouseConnection;

/** One running cluster of a warehouse: a node the gateway reaches over Arrow Flight. */
public interface WarehouseCluster extends AutoCloseable {
  /** The gateway's name for the cluster, {@code <warehouse id>-<n>}. */
  String id();

  /** Where the cluster's statements go. */
  WarehouseConnection connection();

  /** False once the node is gone (its process exited, or it fails its health check). */
  boolean isAlive();

  /**
   * Health check: returns if the node answered within {@code timeout} that it can run queries.
   *
   * @throws RuntimeException if it did not; the message says why
   */
  void ping(java.time.Duration timeout);

  /** For messages and logs: the node's endpoint, and its process id if it has its own. */
  String describe();

  /** The node's process id, if it runs in a process of its own. */
  default java.util.OptionalLong pid() {
    return java.util.OptionalLong.empty();
  }

  /** Stops the node; its running statements fail. */
  @Override
  void close();

  /** Stops a node that does not answer, without waiting for it to stop by itself. */
  default void kill() {
    close();
  }
}
