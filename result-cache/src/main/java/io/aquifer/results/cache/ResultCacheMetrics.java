package io.aquifer.results.cache;

/**
 * The result cache's figures since the gateway started.
 *
 * @param hits lookups answered from the cache
 * @param misses lookups the cache could not answer
 * @param bypassed statements that did not use the cache ({@code use_cached_result = false}, or not
 *     cacheable)
 * @param stores entries stored
 * @param storeErrors failed reads and writes of the durable tier
 * @param memoryEntries entries in the memory tier now
 * @param memoryBytes bytes of entries in the memory tier now
 */
public record ResultCacheMetrics(
    long hits,
    long misses,
    long bypassed,
    long stores,
    long storeErrors,
    long memoryEntries,
    long memoryBytes) {

  /** Hits over lookups, 0 before the first lookup. */
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}
