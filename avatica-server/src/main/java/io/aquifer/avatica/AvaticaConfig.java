package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of the Avatica front end.
 *
 * @param host address to bind; default {@value #DEFAULT_HOST} (loopback only, safe on a laptop)
 * @param port TCP port of the HTTP endpoint; default {@value #DEFAULT_PORT} (the port Avatica
 *     servers conventionally use); 0 picks a free port (see {@link AvaticaFrontEnd#port()})
 * @param connectionIdleTimeout a client connection (and its gateway session) is closed after this
 *     long without a request, unless one of its statements is still executing; Avatica clients do
 *     not always say goodbye. Default 10 minutes. Connections of Aquifer's JDBC driver send
 *     heartbeats and so never go idle while their client lives (see {@code heartbeatTimeout})
 * @param maxFrameRows most rows sent in one frame (the first frame of a result, or one fetch),
 *     whatever the client asks for; also the first frame's size when the client leaves it open.
 *     Default {@value #DEFAULT_MAX_FRAME_ROWS}
 * @param heartbeatTimeout a connection whose client sends heartbeats ({@code POST
 *     /aquifer/heartbeat}, every 500 ms from Aquifer's JDBC driver) and then sends none for this
 *     long is closed: its client is gone, so what its statements run is canceled in the engine.
 *     Default 10 seconds (twenty missed beats: a client's long garbage-collection pause or a
 *     starved machine must not close a live connection and cancel its query). Connections that
 *     never sent a heartbeat (Avatica's own remote driver) only expire after {@code
 *     connectionIdleTimeout}
 */
public record AvaticaConfig(
    String host,
    int port,
    Duration connectionIdleTimeout,
    int maxFrameRows,
    Duration heartbeatTimeout) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;
  public static final Duration DEFAULT_CONNECTION_IDLE_TIMEOUT = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_FRAME_ROWS = 10_000;
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  public AvaticaConfig {
    requireNonNull(host, "host");
    requireNonNull(connectionIdleTimeout, "connectionIdleTimeout");
    requireNonNull(heartbeatTimeout, "heartbeatTimeout");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535: " + port);
    }
    if (connectionIdleTimeout.isNegative() || connectionIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "connectionIdleTimeout must be positive: " + connectionIdleTimeout);
    }
    if (maxFrameRows < 1) {
      throw new IllegalArgumentException("maxFrameRows must be at least 1: " + maxFrameRows);
    }
    if (heartbeatTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      // Aquifer's driver beats every 500 ms: below a second, one late beat would close a live
      // connection.
      throw new IllegalArgumentException(
          "heartbeatTimeout must be at least 1 second: " + heartbeatTimeout);
    }
  }

  public static AvaticaConfig defaults() {
    return new AvaticaConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_CONNECTION_IDLE_TIMEOUT,
        DEFAULT_MAX_FRAME_ROWS,
        DEFAULT_HEARTBEAT_TIMEOUT);
  }

  public AvaticaConfig withHost(String host) {
    return new AvaticaConfig(host, port, connectionIdleTimeout, maxFrameRows, heartbeatTimeout);
  }

  public AvaticaConfig withPort(int port) {
    return new AvaticaConfig(host, port, connectionIdleTimeout, maxFrameRows, heartbeatTimeout);
  }

  public AvaticaConfig withConnectionIdleTimeout(Duration timeout) {
    return new AvaticaConfig(host, port, timeout, maxFrameRows, heartbeatTimeout);
  }

  public AvaticaConfig withMaxFrameRows(int rows) {
    return new AvaticaConfig(host, port, connectionIdleTimeout, rows, heartbeatTimeout);
  }

  public AvaticaConfig withHeartbeatTimeout(Duration timeout) {
    return new AvaticaConfig(host, port, connectionIdleTimeout, maxFrameRows, timeout);
  }
}
