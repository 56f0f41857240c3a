package io.aquifer.gateway.warehouse;

import static java.util.Objects.requireNonNull;

import io.aquifer.autoscaler.WarehouseAutoscaler;
import java.time.Duration;

/**
 * How the gateway runs warehouses.
 *
 * @param queueCapacity statements one warehouse may hold queued; one more is refused with {@code
 *     WAREHOUSE_QUEUE_FULL}
 * @param autoStopMinute how long one minute of a warehouse's {@code auto_stop_mins} lasts: a
 *     minute, except in tests
 * @param scaleOutDelay how long a statement queues before the warehouse grows
 * @param scaleInDelay how long a cluster idles before it is removed (down to the minimum)
 * @param checkInterval how often clusters are health-checked and the autoscaler consulted
 */
public record WarehousesConfig(
    int queueCapacity,
    Duration autoStopMinute,
    Duration scaleOutDelay,
    Duration scaleInDelay,
    Duration checkInterval) {
  public static final int DEFAULT_QUEUE_CAPACITY = 1000;

  public WarehousesConfig {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1: " + queueCapacity);
    }
    requireNonNull(autoStopMinute, "autoStopMinute");
    requireNonNull(scaleOutDelay, "scaleOutDelay");
    requireNonNull(scaleInDelay, "scaleInDelay");
    requireNonNull(checkInterval, "checkInterval");
    if (autoStopMinute.isNegative() || autoStopMinute.isZero()) {
      throw new IllegalArgumentException("autoStopMinute must be positive");
    }
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval must be positive");
    }
  }

  public static WarehousesConfig defaults() {
    return new WarehousesConfig(
        DEFAULT_QUEUE_CAPACITY,
        Duration.ofMinutes(1),
        WarehouseAutoscaler.DEFAULT_SCALE_OUT_DELAY,
        WarehouseAutoscaler.DEFAULT_SCALE_IN_DELAY,
        Duration.ofSeconds(1));
  }
}
