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
 * @param pingTimeout how long a cluster has to answer a health check (a Flight call with this
 *     deadline)
 * @param unhealthyAfterFailedPings health checks failed in a row after which a cluster is killed
 *     and replaced (one is enough after a statement lost its call to the cluster)
 */
public record WarehousesConfig(
    int queueCapacity,
    Duration autoStopMinute,
    Duration scaleOutDelay,
    Duration scaleInDelay,
    Duration checkInterval,
    Duration pingTimeout,
    int unhealthyAfterFailedPings) {
  public static final int DEFAULT_QUEUE_CAPACITY = 1000;
  public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(3);
  public static final int DEFAULT_UNHEALTHY_AFTER_FAILED_PINGS = 3;

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
    requireNonNull(pingTimeout, "pingTimeout");
    if (pingTimeout.isNegative() || pingTimeout.isZero()) {
      throw new IllegalArgumentException("pingTimeout must be positive");
    }
    if (unhealthyAfterFailedPings < 1) {
      throw new IllegalArgumentException(
          "unhealthyAfterFailedPings must be at least 1: " + unhealthyAfterFailedPings);
    }
  }

  public static WarehousesConfig defaults() {
    return new WarehousesConfig(
        DEFAULT_QUEUE_CAPACITY,
        Duration.ofMinutes(1),
        WarehouseAutoscaler.DEFAULT_SCALE_OUT_DELAY,
        WarehouseAutoscaler.DEFAULT_SCALE_IN_DELAY,
        Duration.ofSeconds(1),
        DEFAULT_PING_TIMEOUT,
        DEFAULT_UNHEALTHY_AFTER_FAILED_PINGS);
  }

  /** The same settings with health checks of {@code pingTimeout}, killed after {@code failures}. */
  public WarehousesConfig withHealthChecks(Duration pingTimeout, int failures) {
    return new WarehousesConfig(
        queueCapacity,
        autoStopMinute,
        scaleOutDelay,
        scaleInDelay,
        checkInterval,
        pingTimeout,
        failures);
  }
}
