package io.aquifer.gateway.warehouse;

import java.time.Duration;

/**
 * Told what {@link Warehouses} observes, for the query history and the server's metrics. Called on
 * the thread where it happened; must be quick and must not throw (a failure is logged and ignored).
 */
public interface WarehouseListener {
  /**
   * A statement got a slot on a cluster (or left the queue without one: canceled, or its warehouse
   * stopped). Both durations are zero when a slot was free at once.
   *
   * @param forCompute time it queued while its warehouse had no cluster that served (stopped,
   *     starting, or its clusters being replaced)
   * @param atCapacity time it queued while clusters served but each ran as many statements as its
   *     concurrency allows
   */
  default void statementWaited(String statementId, Duration forCompute, Duration atCapacity) {}

  /** A cluster of a warehouse started and serves; {@code took} from the request to serving. */
  default void clusterStarted(String warehouseId, String clusterId, Duration took) {}
}
