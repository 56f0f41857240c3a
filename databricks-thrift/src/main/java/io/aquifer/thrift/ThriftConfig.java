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
 */
public record ThriftConfig(
    Duration directResultsWait,
    Duration syncWait,
    Duration statusPollWait,
    boolean arrowResults,
    Duration sessionIdleTimeout,
    boolean lz4Compression) {
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
  }

  public static ThriftConfig defaults() {
    return new ThriftConfig(
        Duration.ofSeconds(5),
        Duration.ofMinutes(5),
        Duration.ofSeconds(1),
        true,
        Duration.ofHours(8),
        true);
  }
}
