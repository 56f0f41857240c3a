package io.aquifer.gateway;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The rows of a statement as Arrow batches, read one batch at a time. The batch in {@link #root()}
 * is valid until the next call to {@link #next()} or {@link #close()}.
 */
public interface ResultStream extends AutoCloseable {
  Schema schema();

  /** Loads the next batch into {@link #root()}; false at the end. */
  boolean next();

  VectorSchemaRoot root();

  /**
   * What the query's scans read so far through the warehouse node's disk cache (query history's
   * {@code read_cache_bytes} and {@code read_remote_bytes}); nothing for rows that came from
   * elsewhere.
   */
  default io.aquifer.storage.cache.DiskCacheReads diskCacheReads() {
    return io.aquifer.storage.cache.DiskCacheReads.NONE;
  }

  /**
   * The engine's per-operator profile of the query (DuckDB's JSON), once the last batch was read: a
   * remote node's is fetched with a call of its own after its stream ended, so it completes later
   * (off the caller's thread). Completes empty before the end, for rows that came from elsewhere,
   * or when the engine kept none; never exceptionally.
   */
  default java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfile() {
    return java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty());
  }

  @Override
  void close();
}
