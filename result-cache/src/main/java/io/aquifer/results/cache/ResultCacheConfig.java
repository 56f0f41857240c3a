package io.aquifer.results.cache;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the query result cache.
 *
 * @param enabled whether results are cached at all (default true)
 * @param directory the durable tier when no S3 bucket is named (default {@code <data
 *     dir>/result-cache})
 * @param s3 the durable tier in S3 instead of the directory (default none)
 * @param memoryLimitBytes bytes of entries kept in memory in front of the durable tier (default 256
 *     MiB)
 * @param maxResultBytes the largest result cached, in Arrow IPC bytes (default 64 MiB); larger ones
 *     are not cached
 * @param expiry how long an entry answers after it was written (default 24 hours)
 */
public record ResultCacheConfig(
    boolean enabled,
    Path directory,
    Optional<S3CacheLocation> s3,
    long memoryLimitBytes,
    long maxResultBytes,
    Duration expiry) {
  public static final long DEFAULT_MEMORY_LIMIT_BYTES = 256L << 20;
  public static final long DEFAULT_MAX_RESULT_BYTES = 64L << 20;
  public static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);

  public ResultCacheConfig {
    requireNonNull(directory, "directory");
    requireNonNull(s3, "s3");
    requireNonNull(expiry, "expiry");
    if (memoryLimitBytes < 0) {
      throw new IllegalArgumentException("memoryLimitBytes < 0: " + memoryLimitBytes);
    }
    if (maxResultBytes < 0) {
      throw new IllegalArgumentException("maxResultBytes < 0: " + maxResultBytes);
    }
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("expiry must be positive: " + expiry);
    }
  }

  /** The defaults: enabled, entries under {@code <data directory>/result-cache}. */
  public static ResultCacheConfig defaults(Path dataDirectory) {
    return new ResultCacheConfig(
        true,
        dataDirectory.resolve("result-cache"),
        Optional.empty(),
        DEFAULT_MEMORY_LIMIT_BYTES,
        DEFAULT_MAX_RESULT_BYTES,
        DEFAULT_EXPIRY);
  }

  public ResultCacheConfig withEnabled(boolean value) {
    return new ResultCacheConfig(value, directory, s3, memoryLimitBytes, maxResultBytes, expiry);
  }

  public ResultCacheConfig withS3(Optional<S3CacheLocation> value) {
    return new ResultCacheConfig(
        enabled, directory, value, memoryLimitBytes, maxResultBytes, expiry);
  }

  public ResultCacheConfig withMemoryLimitBytes(long value) {
    return new ResultCacheConfig(enabled, directory, s3, value, maxResultBytes, expiry);
  }

  public ResultCacheConfig withMaxResultBytes(long value) {
    return new ResultCacheConfig(enabled, directory, s3, memoryLimitBytes, value, expiry);
  }

  public ResultCacheConfig withExpiry(Duration value) {
    return new ResultCacheConfig(enabled, directory, s3, memoryLimitBytes, maxResultBytes, value);
  }

  /** The durable tier this configuration names. */
  public CacheObjectStore openStore() {
    return s3.<CacheObjectStore>map(S3CacheStore::new)
        .orElseGet(() -> new LocalDirectoryCacheStore(directory));
  }
}
