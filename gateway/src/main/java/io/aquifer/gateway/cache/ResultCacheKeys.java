package io.aquifer.gateway.cache;

import io.aquifer.gateway.Session;
import io.aquifer.gateway.SessionSettings;
import io.aquifer.planner.cache.PlanFingerprint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The result cache key of a query: SHA-256 of its plan's canonical text (which names every table
 * read by location and snapshot version), the session settings that can change a result (the time
 * zone, and any other setting but those known not to), and the principal. The principal is in the
 * key because what a principal may see (grants, and later row filters and column masks) is its own:
 * two principals never share an entry.
 */
public final class ResultCacheKeys {
  /** Bumped when the key or the entry format changes, so old entries are never read. */
  private static final String FORMAT = "aquifer-result-cache-key-1";

  /** Settings that cannot change a result. */
  private static final Set<String> IRRELEVANT_SETTINGS =
      Set.of(SessionSettings.STATEMENT_TIMEOUT, SessionSettings.USE_CACHED_RESULT);

  private ResultCacheKeys() {}

  public static String key(PlanFingerprint plan, Session session) {
    if (!plan.cacheable()) {
      throw new IllegalArgumentException("not cacheable: " + plan.notCacheableBecause().get());
    }
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("principal=").append(session.principal().name()).append('\n');
    text.append("timezone=").append(SessionSettings.engineTimeZone(session)).append('\n');
    Map<String, String> settings = new TreeMap<>();
    session
        .settings()
        .forEach(
            (k, v) -> {
              String name = k.toUpperCase(Locale.ROOT);
              if (!IRRELEVANT_SETTINGS.contains(name) && !name.equals(SessionSettings.TIME_ZONE)) {
                settings.put(name, v);
              }
            });
    settings.forEach(
        (k, v) -> text.append("setting ").append(k).append('=').append(v).append('\n'));
    text.append(plan.canonical());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
