package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of the Flight SQL front end.
 *
 * @param host address to bind; default {@value #DEFAULT_HOST} (loopback only, safe on a laptop)
 * @param port TCP port; default {@value #DEFAULT_PORT}; 0 picks a free port (see {@link
 *     FlightSqlFrontEnd#port()})
 * @param sessionIdleTimeout a client connection's gateway session (and the bearer token handed out
 *     for it after user/password login) is closed after this long without a call; default 8 hours
 * @param unclaimedResultTimeout a statement started by GetFlightInfo whose ticket is never fetched
 *     with DoGet is canceled after this long; default 10 minutes
 */
public record FlightSqlConfig(
    String host, int port, Duration sessionIdleTimeout, Duration unclaimedResultTimeout) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 31337;
  public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofHours(8);
  public static final Duration DEFAULT_UNCLAIMED_RESULT_TIMEOUT = Duration.ofMinutes(10);

  public FlightSqlConfig {
    requireNonNull(host, "host");
    requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
    requireNonNull(unclaimedResultTimeout, "unclaimedResultTimeout");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535: " + port);
    }
    if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "sessionIdleTimeout must be positive: " + sessionIdleTimeout);
    }
    if (unclaimedResultTimeout.isNegative() || unclaimedResultTimeout.isZero()) {
      throw new IllegalArgumentException(
          "unclaimedResultTimeout must be positive: " + unclaimedResultTimeout);
    }
  }

  public static FlightSqlConfig defaults() {
    return new FlightSqlConfig(
        DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SESSION_IDLE_TIMEOUT, DEFAULT_UNCLAIMED_RESULT_TIMEOUT);
  }

  public FlightSqlConfig withHost(String host) {
    return new FlightSqlConfig(host, port, sessionIdleTimeout, unclaimedResultTimeout);
  }

  public FlightSqlConfig withPort(int port) {
    return new FlightSqlConfig(host, port, sessionIdleTimeout, unclaimedResultTimeout);
  }

  public FlightSqlConfig withSessionIdleTimeout(Duration timeout) {
    return new FlightSqlConfig(host, port, timeout, unclaimedResultTimeout);
  }

  public FlightSqlConfig withUnclaimedResultTimeout(Duration timeout) {
    return new FlightSqlConfig(host, port, sessionIdleTimeout, timeout);
  }
}
