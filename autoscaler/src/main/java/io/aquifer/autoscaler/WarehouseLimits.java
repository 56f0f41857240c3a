package io.aquifer.autoscaler;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What the warehouse's owner allows.
 *
 * @param minClusters clusters kept while the warehouse runs (at least 1)
 * @param maxClusters clusters it may grow to
 * @param clusterConcurrency statements one cluster runs at once
 * @param autoStop time without statements after which the warehouse stops; zero never
 */
public record WarehouseLimits(
    int minClusters, int maxClusters, int clusterConcurrency, Duration autoStop) {
  public WarehouseLimits {
    requireNonNull(autoStop, "autoStop");
    if (minClusters < 1 || maxClusters < minClusters) {
      throw new IllegalArgumentException(
          "clusters must be 1 <= min <= max: " + minClusters + ".." + maxClusters);
    }
    if (clusterConcurrency < 1) {
      throw new IllegalArgumentException("clusterConcurrency must be at least 1");
    }
    if (autoStop.isNegative()) {
      throw new IllegalArgumentException("autoStop must not be negative");
    }
  }
}
