package io.aquifer.exec;

import io.aquifer.storage.cache.DiskCacheReads;

/**
 * A query result that knows what its scans read through the node's disk cache (implemented by the
 * engine's and the Flight client's readers): the figures behind query history's {@code
 * read_cache_bytes} and {@code read_remote_bytes}.
 */
public interface ReadsThroughDiskCache {
  /** What the query's scans read so far; {@link DiskCacheReads#NONE} if nothing went through it. */
  DiskCacheReads diskCacheReads();
}
