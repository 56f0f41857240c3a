package io.aquifer.exec.duckdb;

/**
 * What a node data cache holds and has served.
 *
 * @param files data files held as cached tables
 * @param cachedBytes source Parquet bytes of the held files (what the size limit counts)
 * @param maxBytes the size limit
 * @param readBytes source Parquet bytes queries read from cached tables instead of Parquet
 * @param filledBytes source Parquet bytes copied into the cache
 * @param evictedFiles files dropped to stay within the limit
 * @param fallbackFiles files the gateway decided at planning time to read from the cache that the
 *     node read from Parquet, since the cache no longer held them when the query ran
 */
public record NodeDataCacheStats(
    int files,
    long cachedBytes,
    long maxBytes,
    long readBytes,
    long filledBytes,
    long evictedFiles,
    long fallbackFiles) {
  /** No cache. */
  public static final NodeDataCacheStats NONE = new NodeDataCacheStats(0, 0, 0, 0, 0, 0, 0);

  /** Figures of two caches together. */
  public NodeDataCacheStats plus(NodeDataCacheStats other) {
    return new NodeDataCacheStats(
        files + other.files,
        cachedBytes + other.cachedBytes,
        maxBytes + other.maxBytes,
        readBytes + other.readBytes,
        filledBytes + other.filledBytes,
        evictedFiles + other.evictedFiles,
        fallbackFiles + other.fallbackFiles);
  }
}
