package io.aquifer.thrift;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.SessionSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session configuration a client sends at OpenSession ({@code configuration}) and with a
 * statement ({@code confOverlay}), read as Databricks SQL reads it.
 *
 * <p>Databricks' JDBC driver sends the URL properties named like the SQL warehouse's configuration
 * parameters ({@code ANSI_MODE}, {@code ENABLE_PHOTON}, {@code LEGACY_TIME_PARSER_POLICY}, {@code
 * MAX_FILE_PARTITION_BYTES}, {@code READ_ONLY_EXTERNAL_METASTORE}, {@code STATEMENT_TIMEOUT},
 * {@code TIMEZONE}, {@code USE_CACHED_RESULT}, {@code QUERY_TAGS}); ODBC sends its {@code
 * SSP_<key>} properties. The settings Aquifer has ({@code STATEMENT_TIMEOUT}, {@code TIMEZONE} or
 * {@code spark.sql.session.timeZone}, {@code USE_CACHED_RESULT}) are set as {@code SET} sets them,
 * with the same checks: a bad value fails OpenSession with SET's error. {@code ANSI_MODE} is
 * accepted when true (Aquifer always runs ANSI mode) and refused when false. The other warehouse
 * parameters only tune Databricks' engine and are accepted without effect, and so are keys Aquifer
 * does not know that are not Spark configurations (Hive's {@code set:hiveconf:} and {@code use:}
 * entries, driver flags). An unknown {@code spark.*} key is refused as {@code SET} refuses it.
 */
final class ThriftSessionConf {
  private static final Logger LOG = LoggerFactory.getLogger(ThriftSessionConf.class);

  /** Databricks SQL warehouse parameters that only tune Databricks' engine or tag queries. */
  private static final Set<String> WITHOUT_EFFECT =
      Set.of(
          "ENABLE_PHOTON",
          "LEGACY_TIME_PARSER_POLICY",
          "MAX_FILE_PARTITION_BYTES",
          "READ_ONLY_EXTERNAL_METASTORE",
          "QUERY_TAGS");

  private static final String ANSI_MODE = "ANSI_MODE";

  private ThriftSessionConf() {}

  /**
   * Applies an OpenSession {@code configuration} to a new session.
   *
   * @throws GatewayException SET's error for a bad value of a known setting or an unknown Spark key
   */
  static void apply(Session session, Map<String, String> configuration) {
    if (configuration == null) {
      return;
    }
    for (Map.Entry<String, String> e : configuration.entrySet()) {
      String key = e.getKey() == null ? "" : e.getKey().trim();
      String upper = key.toUpperCase(Locale.ROOT);
      if (upper.equals(ANSI_MODE)) {
        checkAnsiMode(e.getValue());
      } else if (WITHOUT_EFFECT.contains(upper)) {
        LOG.debug("session configuration {} accepted without effect", key);
      } else if (isSetting(upper) || upper.startsWith("SPARK.")) {
        SessionSettings.set(session, key, e.getValue());
      } else {
        LOG.debug("session configuration {} ignored", key);
      }
    }
  }

  /**
   * The time limit a statement's {@code confOverlay} asks with {@code STATEMENT_TIMEOUT}; the other
   * entries are checked like {@link #apply}'s but a statement cannot change the session's time zone
   * or result cache use alone.
   *
   * @throws GatewayException INVALID_SETTING for a bad value, or for a setting the overlay cannot
   *     change for one statement
   */
  static Optional<Duration> statementTimeout(Session session, Map<String, String> overlay) {
    Optional<Duration> timeout = Optional.empty();
    if (overlay == null) {
      return timeout;
    }
    for (Map.Entry<String, String> e : overlay.entrySet()) {
      String key = e.getKey() == null ? "" : e.getKey().trim();
      String upper = key.toUpperCase(Locale.ROOT);
      if (upper.equals(SessionSettings.STATEMENT_TIMEOUT)) {
        // Checked by the session settings' own rules, on a scratch session.
        Session scratch = new Session("conf-overlay", session.principal(), "main", "default");
        SessionSettings.set(scratch, key, e.getValue());
        long seconds = Long.parseLong(scratch.settings().get(SessionSettings.STATEMENT_TIMEOUT));
        timeout = seconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
      } else if (upper.equals(ANSI_MODE)) {
        checkAnsiMode(e.getValue());
      } else if (isSetting(upper) || upper.startsWith("SPARK.")) {
        throw GatewayErrorCode.INVALID_SETTING.exception(
            "confOverlay cannot set "
                + key
                + " for one statement; set it for the session (SET "
                + key
                + " = ...)");
      }
    }
    return timeout;
  }

  private static boolean isSetting(String upper) {
    return upper.equals(SessionSettings.STATEMENT_TIMEOUT)
        || upper.equals(SessionSettings.TIME_ZONE)
        || upper.equals(SessionSettings.SPARK_TIME_ZONE.toUpperCase(Locale.ROOT))
        || upper.equals(SessionSettings.USE_CACHED_RESULT);
  }

  private static void checkAnsiMode(String value) {
    if (!"true".equalsIgnoreCase(value == null ? "" : value.trim())) {
      throw GatewayErrorCode.INVALID_SETTING.exception(
          "ANSI_MODE must be true: Aquifer always follows ANSI SQL semantics: " + value);
    }
  }
}
