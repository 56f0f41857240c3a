package io.aquifer.catalog;

import static io.aquifer.catalog.WarehouseErrorCode.INVALID_PARAMETER_VALUE;
import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

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
 * @param engine what the warehouse runs statements on; a {@link WarehouseEngine#SPARK} warehouse is
 *     one cluster (the Spark cluster scales itself), so its min and max clusters are 1
 * @param sparkConnectUrl the Spark Connect endpoint {@code sc://host[:port][/;param=value...]} of a
 *     Spark warehouse; empty for any other
 */
public record WarehouseSpec(
    String name,
    WarehouseSize size,
    int minNumClusters,
    int maxNumClusters,
    int autoStopMins,
    int clusterConcurrency,
    Map<String, String> tags,
    WarehouseEngine engine,
    Optional<String> sparkConnectUrl) {
  public static final int MAX_CLUSTERS = 40;
  public static final int MAX_CONCURRENCY = 1000;
  public static final int MAX_TAGS = 45;
  public static final int MAX_AUTO_STOP_MINS = 60 * 24 * 30;
  public static final int DEFAULT_CLUSTER_CONCURRENCY = 10;
  public static final int DEFAULT_AUTO_STOP_MINS = 45;
  public static final String STARTER_NAME = "Starter Warehouse";

  /** Spark Connect's connection string: {@code sc://host[:port][/;param=value;...]}. */
  private static final Pattern SPARK_CONNECT_URL =
      Pattern.compile(
          "sc://(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?(/(;[A-Za-z_]+=[^;]*)*)?");

  /** A DuckDB warehouse. */
  public WarehouseSpec(
      String name,
      WarehouseSize size,
      int minNumClusters,
      int maxNumClusters,
      int autoStopMins,
      int clusterConcurrency,
      Map<String, String> tags) {
    this(
        name,
        size,
        minNumClusters,
        maxNumClusters,
        autoStopMins,
        clusterConcurrency,
        tags,
        WarehouseEngine.DUCKDB,
        Optional.empty());
  }

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
    requireNonNull(engine, "engine");
    requireNonNull(sparkConnectUrl, "sparkConnectUrl");
    sparkConnectUrl = sparkConnectUrl.map(String::strip).filter(u -> !u.isEmpty());
    if (engine == WarehouseEngine.SPARK) {
      String url =
          sparkConnectUrl.orElseThrow(
              () ->
                  INVALID_PARAMETER_VALUE.exception(
                      "a Spark warehouse needs its Spark Connect endpoint, sc://host:port"
                          + " (spark_connect_url, or --spark-remote)"));
      checkSparkConnectUrl(url);
      if (maxNumClusters != 1) {
        throw INVALID_PARAMETER_VALUE.exception(
            "a Spark warehouse is one cluster (the Spark cluster scales itself):"
                + " min_num_clusters and max_num_clusters must be 1, not "
                + minNumClusters
                + " and "
                + maxNumClusters);
      }
    } else if (sparkConnectUrl.isPresent()) {
      throw INVALID_PARAMETER_VALUE.exception(
          "a Spark Connect endpoint is for Spark warehouses only; this warehouse's type is "
              + engine.externalName());
    }
  }

  /**
   * @throws WarehouseException INVALID_PARAMETER_VALUE unless {@code url} is a Spark Connect
   *     connection string {@code sc://host[:port][/;param=value...]}
   */
  public static void checkSparkConnectUrl(String url) {
    if (!SPARK_CONNECT_URL.matcher(url).matches()) {
      throw INVALID_PARAMETER_VALUE.exception(
          "not a Spark Connect endpoint: '"
              + url
              + "'; expected sc://host:port, optionally followed by /;param=value (e.g."
              + " sc://spark.example.com:15002/;use_ssl=true;token=...)");
    }
    int colon = url.indexOf(':', 5);
    int end = url.indexOf('/', 5);
    if (colon > 0 && (end < 0 || colon < end) && !url.startsWith("sc://[")) {
      int port = Integer.parseInt(url.substring(colon + 1, end < 0 ? url.length() : end));
      if (port < 1 || port > 65535) {
        throw INVALID_PARAMETER_VALUE.exception(
            "the port of Spark Connect endpoint '" + url + "' must be 1 to 65535: " + port);
      }
    }
  }

  /** This spec with another engine and endpoint (checked as any spec). */
  public WarehouseSpec withEngine(WarehouseEngine newEngine, Optional<String> newUrl) {
    return new WarehouseSpec(
        name,
        size,
        minNumClusters,
        maxNumClusters,
        autoStopMins,
        clusterConcurrency,
        tags,
        newEngine,
        newUrl);
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
