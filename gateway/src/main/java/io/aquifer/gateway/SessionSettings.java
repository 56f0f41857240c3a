package io.aquifer.gateway;

import io.aquifer.exec.EngineTimeZones;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The session settings the gateway knows, with their checks. Names are case-insensitive. */
public final class SessionSettings {
  /** Seconds a statement may run before it is canceled; 0 for no limit (Databricks' name). */
  public static final String STATEMENT_TIMEOUT = "STATEMENT_TIMEOUT";

  /** Databricks' upper bound for STATEMENT_TIMEOUT: 48 hours. */
  public static final long MAX_STATEMENT_TIMEOUT_SECONDS = 172_800;

  /**
   * The session time zone (Databricks' {@code SET TIME ZONE}, {@code SET timezone}, {@code SET
   * spark.sql.session.timeZone}); stored as a zone id, default {@code UTC}.
   */
  public static final String TIME_ZONE = "TIMEZONE";

  /** Spark's name for the session time zone, the name error messages use. */
  public static final String SPARK_TIME_ZONE = "spark.sql.session.timeZone";

  /**
   * Whether queries may be answered from the result cache and store their results in it
   * (Databricks' {@code use_cached_result}); {@code true} or {@code false}, default true.
   */
  public static final String USE_CACHED_RESULT = "USE_CACHED_RESULT";

  /**
   * Whether VACUUM refuses a retention below the table's {@code delta.deletedFileRetentionDuration}
   * (Delta's setting); {@code true} or {@code false}, default true.
   */
  public static final String RETENTION_DURATION_CHECK =
      "spark.databricks.delta.retentionDurationCheck.enabled";

  private static final String RETENTION_DURATION_CHECK_KEY =
      RETENTION_DURATION_CHECK.toUpperCase(Locale.ROOT);

  private static final Set<String> TIME_ZONE_NAMES =
      Set.of(TIME_ZONE, "TIME ZONE", SPARK_TIME_ZONE.toUpperCase(Locale.ROOT));

  private SessionSettings() {}

  /**
   * Sets a setting on a session after checking it.
   *
   * @throws GatewayException INVALID_SETTING for an unknown name or a bad value
   */
  public static void set(Session session, String name, String value) {
    String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    if (TIME_ZONE_NAMES.contains(key)) {
      session.settings().put(TIME_ZONE, parseTimeZone(value).getId());
      return;
    }
    if (key.equals(USE_CACHED_RESULT)) {
      session.settings().put(USE_CACHED_RESULT, Boolean.toString(parseBoolean(name, value)));
      return;
    }
    if (key.equals(RETENTION_DURATION_CHECK_KEY)) {
      session
          .settings()
          .put(RETENTION_DURATION_CHECK_KEY, Boolean.toString(parseBoolean(name, value)));
      return;
    }
    if (!key.equals(STATEMENT_TIMEOUT)) {
      throw GatewayErrorCode.INVALID_SETTING.exception(
          "unknown setting "
              + name
              + "; known settings: "
              + STATEMENT_TIMEOUT
              + ", "
              + SPARK_TIME_ZONE
              + " (or timezone), use_cached_result, "
              + RETENTION_DURATION_CHECK);
    }
    session.settings().put(key, String.valueOf(timeoutSeconds(value)));
  }

  /**
   * A setting's current value as {@code SET name} shows it; for a STATEMENT_TIMEOUT the session has
   * not set, {@code <server default>}.
   *
   * @throws GatewayException INVALID_SETTING for an unknown name
   */
  public static String show(Session session, String name) {
    String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    if (TIME_ZONE_NAMES.contains(key)) {
      return timeZone(session).getId();
    }
    if (key.equals(USE_CACHED_RESULT)) {
      return Boolean.toString(useCachedResult(session));
    }
    if (key.equals(RETENTION_DURATION_CHECK_KEY)) {
      return Boolean.toString(retentionDurationCheck(session));
    }
    if (key.equals(STATEMENT_TIMEOUT)) {
      String value = session.settings().get(STATEMENT_TIMEOUT);
      return value != null ? value : "<server default>";
    }
    throw GatewayErrorCode.INVALID_SETTING.exception("unknown setting " + name);
  }

  /** Whether VACUUM checks its retention against the table's (true unless set false). */
  public static boolean retentionDurationCheck(Session session) {
    return !"false".equals(session.settings().get(RETENTION_DURATION_CHECK_KEY));
  }

  /** Whether the session lets the result cache answer its queries (true unless set false). */
  public static boolean useCachedResult(Session session) {
    return !"false".equals(session.settings().get(USE_CACHED_RESULT));
  }

  private static boolean parseBoolean(String name, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw GatewayErrorCode.INVALID_SETTING.exception(
        name.trim() + " must be true or false: " + value);
  }

  /** The session time zone; UTC unless the session set one. */
  public static ZoneId timeZone(Session session) {
    String value = session.settings().get(TIME_ZONE);
    return ZoneId.of(value == null ? EngineTimeZones.UTC : value);
  }

  /** The session time zone by the name the engine knows it ({@link EngineTimeZones}). */
  public static String engineTimeZone(Session session) {
    ZoneId zone = timeZone(session);
    return EngineTimeZones.engineName(zone).orElseThrow(() -> invalidTimeZone(zone.getId()));
  }

  /**
   * A time zone as Databricks reads it: a region id ({@code America/Los_Angeles}), {@code UTC} or
   * {@code Z}, an offset ({@code +05:30}, {@code -8:00}, {@code UTC+5}, {@code GMT-08:00}) or one
   * of Java's short ids ({@code PST}). The engine runs in offsets of whole quarter hours only.
   *
   * @throws GatewayException INVALID_CONF_VALUE.TIME_ZONE (22022) for anything else
   */
  public static ZoneId parseTimeZone(String value) {
    if (value == null || value.isBlank()) {
      throw invalidTimeZone(String.valueOf(value));
    }
    ZoneId zone;
    try {
      // Spark's getZoneId: a one-digit hour in an offset gets its leading zero.
      zone = ZoneId.of(value.trim().replaceFirst("(\\+|\\-)(\\d):", "$10$2:"), ZoneId.SHORT_IDS);
    } catch (DateTimeException e) {
      throw invalidTimeZone(value);
    }
    if (zone.getId().equals("Z")) {
      zone = ZoneId.of("UTC");
    }
    if (EngineTimeZones.engineName(zone).isEmpty()) {
      throw invalidTimeZone(value);
    }
    return zone;
  }

  private static GatewayException invalidTimeZone(String value) {
    return new GatewayException(
        "INVALID_CONF_VALUE.TIME_ZONE",
        "22022",
        ErrorCategory.INVALID_ARGUMENT,
        "The value '"
            + value
            + "' in the config \""
            + SPARK_TIME_ZONE
            + "\" is invalid. Cannot resolve the given timezone: use a region id such as"
            + " 'America/Los_Angeles', 'UTC', or an offset such as '+05:30' (whole quarter hours).",
        Optional.empty(),
        null);
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
