package io.aquifer.storage.cache;

/**
 * What one query (or a sum of queries) read through a {@link NodeDiskCache}: Databricks' query
 * metrics {@code read_cache_bytes} and {@code read_remote_bytes}.
 *
 * @param hits files found in the cache
 * @param misses files fetched from the object store
 * @param cacheBytes bytes of the files found in the cache
 * @param remoteBytes bytes fetched from the object store
 */
public record DiskCacheReads(long hits, long misses, long cacheBytes, long remoteBytes) {
  /** Nothing read through a cache. */
  public static final DiskCacheReads NONE = new DiskCacheReads(0, 0, 0, 0);

  public DiskCacheReads {
    if (hits < 0 || misses < 0 || cacheBytes < 0 || remoteBytes < 0) {
      throw new IllegalArgumentException(
          "disk cache reads must not be negative: "
              + hits
              + ", "
              + misses
              + ", "
              + cacheBytes
              + ", "
              + remoteBytes);
    }
  }

  public DiskCacheReads plus(DiskCacheReads other) {
    return new DiskCacheReads(
        hits + other.hits,
        misses + other.misses,
        cacheBytes + other.cacheBytes,
        remoteBytes + other.remoteBytes);
  }

  /** Whether any file was read through a cache. */
  public boolean any() {
    return hits + misses > 0;
  }
}
