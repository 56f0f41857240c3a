package io.aquifer.gateway;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The session settings the gateway knows, with their checks. Names are case-insensitive. */
public final class SessionSettings {
  /** Seconds a statement may run before it is canceled; 0 for no limit (Databricks' name). */
  public static final String STATEMENT_TIMEOUT = "STATEMENT_TIMEOUT";

  /** Databricks' upper bound for STATEMENT_TIMEOUT: 48 hours. */
  public static final long MAX_STATEMENT_TIMEOUT_SECONDS = 172_800;

  private SessionSettings() {}

  /**
   * Sets a setting on a session after checking it.
   *
   * @throws GatewayException INVALID_SETTING for an unknown name or a bad value
   */
  public static void set(Session session, String name, String value) {
    String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    if (!key.equals(STATEMENT_TIMEOUT)) {
      throw GatewayErrorCode.INVALID_SETTING.exception(
          "unknown setting " + name + "; known settings: " + STATEMENT_TIMEOUT);
    }
    session.settings().put(key, String.valueOf(timeoutSeconds(value)));
  }

  /** The session's statement timeout, or the server default; empty for no limit. */
  public static Optional<Duration> statementTimeout(Session session, Duration serverDefault) {
    String value = session.settings().get(STATEMENT_TIMEOUT);
    Duration timeout = value == null ? serverDefault : Duration.ofSeconds(timeoutSeconds(value));
    return timeout.isZero() ? Optional.empty() : Optional.of(timeout);
  }

  private static long timeoutSeconds(String value) {
    long seconds;
    try {
      seconds = Long.parseLong(value == null ? "" : value.trim());
    } catch (NumberFormatException e) {
      throw invalidTimeout(value);
    }
    if (seconds < 0 || seconds > MAX_STATEMENT_TIMEOUT_SECONDS) {
      throw invalidTimeout(value);
    }
    return seconds;
  }

  private static GatewayException invalidTimeout(String value) {
    return GatewayErrorCode.INVALID_SETTING.exception(
        STATEMENT_TIMEOUT
            + " must be a whole number of seconds from 0 (no limit) to "
            + MAX_STATEMENT_TIMEOUT_SECONDS
            + ": "
            + value);
  }
}
