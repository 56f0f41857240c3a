package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import io.aquifer.results.ResultStoreConfig;
import io.aquifer.results.cache.ResultCacheConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the statement service.
 *
 * @param results the result store: memory limit, spill directory, chunk size, expiry, quota
 * @param statementTimeout how long a statement may run before it is canceled, when its session sets
 *     no {@code STATEMENT_TIMEOUT}; zero for no limit (default: none)
 * @param maintenanceInterval how often expired results are reclaimed (default 10 seconds, at most
 *     the result expiry)
 * @param resultCache the query result cache: on or off, memory limit, durable tier (directory or
 *     S3), size limit, expiry (default: on, under {@code <data dir>/result-cache})
 * @param storageRoot where managed tables live: empty for {@code <data dir>/warehouse}, or an
 *     object-store root such as {@code s3://bucket/prefix} (tables under its {@code warehouse/})
 */
public record GatewayConfig(
    ResultStoreConfig results,
    Duration statementTimeout,
    Duration maintenanceInterval,
    ResultCacheConfig resultCache,
    java.util.Optional<java.net.URI> storageRoot) {
  public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofSeconds(10);

  /** Settings with the default result cache, beside the result store's spill directory. */
  public GatewayConfig(
      ResultStoreConfig results, Duration statementTimeout, Duration maintenanceInterval) {
    this(
        results,
        statementTimeout,
        maintenanceInterval,
        ResultCacheConfig.defaults(
            results.spillDirectory().toAbsolutePath().getParent() == null
                ? results.spillDirectory()
                : results.spillDirectory().toAbsolutePath().getParent()));
  }

  /** Settings with managed tables in the data directory. */
  public GatewayConfig(
      ResultStoreConfig results,
      Duration statementTimeout,
      Duration maintenanceInterval,
      ResultCacheConfig resultCache) {
    this(results, statementTimeout, maintenanceInterval, resultCache, java.util.Optional.empty());
  }

  public GatewayConfig {
    requireNonNull(storageRoot, "storageRoot");
    requireNonNull(resultCache, "resultCache");
    requireNonNull(results, "results");
    requireNonNull(statementTimeout, "statementTimeout");
    requireNonNull(maintenanceInterval, "maintenanceInterval");
    if (statementTimeout.isNegative()) {
      throw new IllegalArgumentException("statementTimeout must not be negative");
    }
    if (maintenanceInterval.isNegative() || maintenanceInterval.isZero()) {
      throw new IllegalArgumentException("maintenanceInterval must be positive");
    }
  }

  public static GatewayConfig defaults(Path dataDirectory) {
    return new GatewayConfig(
        ResultStoreConfig.defaults(dataDirectory),
        Duration.ZERO,
        DEFAULT_MAINTENANCE_INTERVAL,
        ResultCacheConfig.defaults(dataDirectory));
  }

  public GatewayConfig withResults(ResultStoreConfig value) {
    return new GatewayConfig(
        value, statementTimeout, maintenanceInterval, resultCache, storageRoot);
  }

  public GatewayConfig withStatementTimeout(Duration value) {
    return new GatewayConfig(results, value, maintenanceInterval, resultCache, storageRoot);
  }

  public GatewayConfig withResultCache(ResultCacheConfig value) {
    return new GatewayConfig(results, statementTimeout, maintenanceInterval, value, storageRoot);
  }

  public GatewayConfig withStorageRoot(java.util.Optional<java.net.URI> value) {
    return new GatewayConfig(results, statementTimeout, maintenanceInterval, resultCache, value);
  }

  /** The interval maintenance actually runs at: never longer than the result expiry. */
  public Duration effectiveMaintenanceInterval() {
    Duration expiry = results.expiry();
    return maintenanceInterval.compareTo(expiry) > 0 ? expiry : maintenanceInterval;
  }
}
