package io.aquifer.results.cache;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One cache entry: a query's whole result as one Arrow IPC stream (schema, then every batch).
 *
 * @param key the cache key (a hex digest)
 * @param principal who ran the statement that produced it
 * @param originStatementId the statement that produced it
 * @param createdAt when it was stored
 * @param rowCount rows in the result
 * @param arrowIpc the result in the Arrow IPC streaming format
 */
public record CachedResult(
    String key,
    String principal,
    String originStatementId,
    Instant createdAt,
    long rowCount,
    byte[] arrowIpc) {
  public CachedResult {
    requireNonNull(key, "key");
    requireNonNull(principal, "principal");
    requireNonNull(originStatementId, "originStatementId");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(arrowIpc, "arrowIpc");
    if (rowCount < 0) {
      throw new IllegalArgumentException("rowCount < 0: " + rowCount);
    }
  }

  public long byteCount() {
    return arrowIpc.length;
  }
}
