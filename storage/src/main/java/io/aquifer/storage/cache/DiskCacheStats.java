package io.aquifer.storage.cache;

/**
 * Counters of a {@link NodeDiskCache} since it was opened.
 *
 * @param hits files found in the cache
 * @param misses files fetched from the object store
 * @param hitBytes bytes served from the cache (the sizes of the files hit)
 * @param downloadedBytes bytes fetched from the object store
 * @param evictions files removed to stay under the size limit
 * @param entries files held now
 * @param bytes bytes held now
 */
public record DiskCacheStats(
    long hits,
    long misses,
    long hitBytes,
    long downloadedBytes,
    long evictions,
    long entries,
    long bytes) {}
