package io.aquifer.exec.duckdb;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The node data cache: Delta data files kept as DuckDB tables in a database file of the node.
 *
 * @param directory where the cache's database file lives ({@code data-cache.duckdb}); a node whose
 *     file another engine holds open takes the next free {@code slot-N} below it
 * @param maxBytes bound on the cached data, counted in bytes of the source Parquet files; the least
 *     recently used files are evicted past it
 */
public record NodeDataCacheConfig(Path directory, long maxBytes) {
  public NodeDataCacheConfig {
    directory = requireNonNull(directory, "directory").toAbsolutePath().normalize();
    if (maxBytes < 0) {
      throw new IllegalArgumentException("data cache size must not be negative: " + maxBytes);
    }
  }
}
