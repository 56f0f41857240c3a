package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long the Thrift front end holds a request open while a statement runs.
 *
 * @param directResultsWait how long ExecuteStatement waits for a statement to end when the client
 *     asked for direct results (status, metadata and the first rows in the same reply); default 5
 *     s. A statement still running then is polled with GetOperationStatus.
 * @param syncWait how long a synchronous ExecuteStatement ({@code runAsync=false}) waits; default 5
 *     min. A statement still running then is polled like an asynchronous one.
 * @param statusPollWait how long GetOperationStatus waits for a running statement to end before
 *     answering RUNNING; default 1 s
 * @param arrowResults whether results go out as Arrow record batches to clients that read them
 *     (else always column-based row sets); default true
 * @param sessionIdleTimeout how long a session no request names stays open before it is closed with
 *     its statements (clients that vanish without CloseSession); default 8 h
 * @param lz4Compression whether Arrow results are LZ4-compressed for clients that can decompress
 *     them; default true
 * @param cloudFetchMinBytes results of at least this many bytes (stored Arrow IPC) go to clients
 *     that can download results ({@code canDownloadResult}) as CloudFetch links to their chunks
 *     instead of inline; default 1 MiB, {@link Long#MAX_VALUE} for never
 */
public record ThriftConfig(
    Duration directResultsWait,
    Duration syncWait,
    Duration statusPollWait,
    boolean arrowResults,
    Duration sessionIdleTimeout,
    boolean lz4Compression,
    long cloudFetchMinBytes) {
  public ThriftConfig {
    requireNonNull(directResultsWait, "directResultsWait");
    requireNonNull(syncWait, "syncWait");
    requireNonNull(statusPollWait, "statusPollWait");
    requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
    if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
      throw new IllegalArgumentException("sessionIdleTimeout must be positive");
    }
    if (directResultsWait.isNegative() || syncWait.isNegative() || statusPollWait.isNegative()) {
      throw new IllegalArgumentException("Thrift waits must not be negative");
    }
    if (cloudFetchMinBytes < 0) {
      throw new IllegalArgumentException("cloudFetchMinBytes must not be negative");
    }
  }

  public static final long DEFAULT_CLOUD_FETCH_MIN_BYTES = 1L << 20;

  public static ThriftConfig defaults() {
    return new ThriftConfig(
        Duration.ofSeconds(5),
        Duration.ofMinutes(5),
        Duration.ofSeconds(1),
        true,
        Duration.ofHours(8),
        true,
        DEFAULT_CLOUD_FETCH_MIN_BYTES);
  }
}
