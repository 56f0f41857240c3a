package io.aquifer.catalog;

import static io.aquifer.catalog.WarehouseErrorCode.INVALID_PARAMETER_VALUE;
import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a user chooses for a warehouse; checked in the constructor with the Warehouses API's error
 * ({@code INVALID_PARAMETER_VALUE}) and its limits.
 *
 * @param name unique among warehouses not deleted (ignoring case), 1 to 100 characters
 * @param size the size of each cluster
 * @param minNumClusters clusters kept while the warehouse runs, 1 to {@value #MAX_CLUSTERS}
 * @param maxNumClusters clusters the autoscaler may grow to, {@code minNumClusters} to {@value
 *     #MAX_CLUSTERS}
 * @param autoStopMins minutes without statements after which the warehouse stops; 0 never
 * @param clusterConcurrency statements one cluster runs at once, 1 to {@value #MAX_CONCURRENCY}
 * @param tags custom tags, at most {@value #MAX_TAGS}
 */
public record WarehouseSpec(
    String name,
    WarehouseSize size,
    int minNumClusters,
    int maxNumClusters,
    int autoStopMins,
    int clusterConcurrency,
    Map<String, String> tags) {
  public static final int MAX_CLUSTERS = 40;
  public static final int MAX_CONCURRENCY = 1000;
  public static final int MAX_TAGS = 45;
  public static final int MAX_AUTO_STOP_MINS = 60 * 24 * 30;
  public static final int DEFAULT_CLUSTER_CONCURRENCY = 10;
  public static final int DEFAULT_AUTO_STOP_MINS = 45;
  public static final String STARTER_NAME = "Starter Warehouse";

  public WarehouseSpec {
    if (name == null || name.isBlank()) {
      throw INVALID_PARAMETER_VALUE.exception("name must not be empty");
    }
    name = name.strip();
    if (name.length() > 100) {
      throw INVALID_PARAMETER_VALUE.exception(
          "name must be at most 100 characters: " + name.length());
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw INVALID_PARAMETER_VALUE.exception("name must not hold control characters");
    }
    requireNonNull(size, "size");
    if (minNumClusters < 1 || minNumClusters > MAX_CLUSTERS) {
      throw INVALID_PARAMETER_VALUE.exception(
          "min_num_clusters must be 1 to " + MAX_CLUSTERS + ": " + minNumClusters);
    }
    if (maxNumClusters < minNumClusters || maxNumClusters > MAX_CLUSTERS) {
      throw INVALID_PARAMETER_VALUE.exception(
          "max_num_clusters must be min_num_clusters ("
              + minNumClusters
              + ") to "
              + MAX_CLUSTERS
              + ": "
              + maxNumClusters);
    }
    if (autoStopMins < 0 || autoStopMins > MAX_AUTO_STOP_MINS) {
      throw INVALID_PARAMETER_VALUE.exception(
          "auto_stop_mins must be 0 (never) to " + MAX_AUTO_STOP_MINS + ": " + autoStopMins);
    }
    if (clusterConcurrency < 1 || clusterConcurrency > MAX_CONCURRENCY) {
      throw INVALID_PARAMETER_VALUE.exception(
          "cluster concurrency must be 1 to " + MAX_CONCURRENCY + ": " + clusterConcurrency);
    }
    requireNonNull(tags, "tags");
    if (tags.size() > MAX_TAGS) {
      throw INVALID_PARAMETER_VALUE.exception(
          "a warehouse has at most " + MAX_TAGS + " tags: " + tags.size());
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (tag.getKey() == null || tag.getKey().isBlank() || tag.getKey().length() > 255) {
        throw INVALID_PARAMETER_VALUE.exception(
            "tag keys must be 1 to 255 characters: '" + tag.getKey() + "'");
      }
      if (tag.getValue() == null || tag.getValue().length() > 255) {
        throw INVALID_PARAMETER_VALUE.exception(
            "tag values must be at most 255 characters (tag '" + tag.getKey() + "')");
      }
    }
    tags = Map.copyOf(new TreeMap<>(tags));
  }

  /** A warehouse of one cluster of {@code size} with the defaults for the rest. */
  public static WarehouseSpec of(String name, WarehouseSize size) {
    return new WarehouseSpec(
        name, size, 1, 1, DEFAULT_AUTO_STOP_MINS, DEFAULT_CLUSTER_CONCURRENCY, Map.of());
  }

  /** The warehouse created on first start. */
  public static WarehouseSpec starter() {
    return new WarehouseSpec(
        STARTER_NAME, WarehouseSize.SMALL, 1, 1, 10, DEFAULT_CLUSTER_CONCURRENCY, Map.of());
  }
}
