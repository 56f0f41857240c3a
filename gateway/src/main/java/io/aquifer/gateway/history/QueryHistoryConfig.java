package io.aquifer.gateway.history;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;

/**
 * How much query history is kept.
 *
 * @param maxEntries the most statements kept; older ones are removed first (server property {@code
 *     query-history-max-entries}, default {@value #DEFAULT_MAX_ENTRIES})
 * @param maxAge statements that ended longer ago are removed (server property {@code
 *     query-history-max-age}, e.g. {@code 30d}, {@code 12h}, {@code 90m}; default 30 days)
 * @param engineProfileMaxBytes the largest engine profile (per-operator profile of a statement's
 *     query, as JSON) kept with a statement; a larger one is not kept; 0 keeps none and tells the
 *     local warehouse nodes not to collect them (server property {@code
 *     query-history-engine-profile-max-size}, default 256KiB)
 */
public record QueryHistoryConfig(int maxEntries, Duration maxAge, long engineProfileMaxBytes) {
  public static final int DEFAULT_MAX_ENTRIES = 100_000;
  public static final long DEFAULT_ENGINE_PROFILE_MAX_BYTES = 256L << 10;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);

  public QueryHistoryConfig {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("query history max entries must be at least 1");
    }
    requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("query history max age must be positive: " + maxAge);
    }
    if (engineProfileMaxBytes < 0) {
      throw new IllegalArgumentException(
          "query history engine profile max size must not be negative: " + engineProfileMaxBytes);
    }
  }

  /** Retention with the default engine profile size. */
  public QueryHistoryConfig(int maxEntries, Duration maxAge) {
    this(maxEntries, maxAge, DEFAULT_ENGINE_PROFILE_MAX_BYTES);
  }

  /** Whether engine profiles are kept at all. */
  public boolean engineProfiles() {
    return engineProfileMaxBytes > 0;
  }

  public static QueryHistoryConfig defaults() {
    return new QueryHistoryConfig(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_AGE);
  }

  /**
   * Parses an age: a whole number followed by {@code d} (days), {@code h} (hours), {@code m}
   * (minutes) or {@code s} (seconds).
   */
  public static Duration parseAge(String setting, String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    if (value.length() >= 2) {
      char unit = value.charAt(value.length() - 1);
      try {
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        switch (unit) {
          case 'd':
            return Duration.ofDays(amount);
          case 'h':
            return Duration.ofHours(amount);
          case 'm':
            return Duration.ofMinutes(amount);
          case 's':
            return Duration.ofSeconds(amount);
          default:
            break;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        setting + " must be a whole number with d, h, m or s (e.g. 30d): " + text);
  }
}
