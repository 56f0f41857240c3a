package io.aquifer.results;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the result store.
 *
 * @param spillDirectory where chunks that do not fit in memory are written (default {@code <data
 *     dir>/results}); emptied at start-up, since results do not outlive the gateway
 * @param memoryLimitBytes bytes of chunks kept in memory before the least recently used ones move
 *     to the spill directory (default 256 MiB)
 * @param chunkTargetBytes the size a chunk is cut to, in bytes of Arrow buffers (default 4 MiB); a
 *     single row larger than that makes a larger chunk
 * @param expiry how long a finished result stays readable after it was completed (default 1 hour)
 * @param quotaPerPrincipalBytes bytes of results one principal may hold in memory and on disk
 *     together; past it the principal's oldest results are deleted first (default 8 GiB)
 */
public record ResultStoreConfig(
    Path spillDirectory,
    long memoryLimitBytes,
    long chunkTargetBytes,
    Duration expiry,
    long quotaPerPrincipalBytes) {
  public static final long DEFAULT_MEMORY_LIMIT_BYTES = 256L << 20;
  public static final long DEFAULT_CHUNK_TARGET_BYTES = 4L << 20;
  public static final Duration DEFAULT_EXPIRY = Duration.ofHours(1);
  public static final long DEFAULT_QUOTA_PER_PRINCIPAL_BYTES = 8L << 30;

  public ResultStoreConfig {
    requireNonNull(spillDirectory, "spillDirectory");
    requireNonNull(expiry, "expiry");
    if (memoryLimitBytes < 0) {
      throw new IllegalArgumentException("memoryLimitBytes < 0: " + memoryLimitBytes);
    }
    if (chunkTargetBytes < 1024 || chunkTargetBytes > (256L << 20)) {
      throw new IllegalArgumentException(
          "chunkTargetBytes must be between 1 KiB and 256 MiB: " + chunkTargetBytes);
    }
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("expiry must be positive: " + expiry);
    }
    if (quotaPerPrincipalBytes < 1) {
      throw new IllegalArgumentException(
          "quotaPerPrincipalBytes must be positive: " + quotaPerPrincipalBytes);
    }
  }

  /** The defaults, spilling under {@code <data directory>/results}. */
  public static ResultStoreConfig defaults(Path dataDirectory) {
    return new ResultStoreConfig(
        dataDirectory.resolve("results"),
        DEFAULT_MEMORY_LIMIT_BYTES,
        DEFAULT_CHUNK_TARGET_BYTES,
        DEFAULT_EXPIRY,
        DEFAULT_QUOTA_PER_PRINCIPAL_BYTES);
  }

  public ResultStoreConfig withExpiry(Duration value) {
    return new ResultStoreConfig(
        spillDirectory, memoryLimitBytes, chunkTargetBytes, value, quotaPerPrincipalBytes);
  }

  public ResultStoreConfig withMemoryLimitBytes(long value) {
    return new ResultStoreConfig(
        spillDirectory, value, chunkTargetBytes, expiry, quotaPerPrincipalBytes);
  }

  public ResultStoreConfig withQuotaPerPrincipalBytes(long value) {
    return new ResultStoreConfig(spillDirectory, memoryLimitBytes, chunkTargetBytes, expiry, value);
  }
}
