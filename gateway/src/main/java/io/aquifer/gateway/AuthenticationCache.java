package io.aquifer.gateway;

import io.aquifer.catalog.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Remembers successful token checks for a short time, so that front ends that authenticate every
 * call (Flight SQL does) do not query the catalog database each time. Keys are SHA-256 hashes, not
 * tokens. An expired token stops working when it expires; a token revoked through this gateway at
 * once (the gateway clears the cache), one revoked from outside (the command line) within {@link
 * #TTL}.
 */
final class AuthenticationCache {
  static final Duration TTL = Duration.ofSeconds(30);
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(Principal principal, long expiresAtNanos) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  AuthenticationCache(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  Optional<Principal> authenticate(String token, Function<String, Optional<Principal>> check) {
    Optional<Principal> cached = cached(token);
    if (cached.isPresent()) {
      return cached;
    }
    Optional<Principal> principal = check.apply(token);
    if (principal.isPresent()) {
      remember(token, principal.get(), Optional.empty());
    } else {
      forget(token);
    }
    return principal;
  }

  /** The principal a token was found to belong to less than {@link #TTL} ago. */
  Optional<Principal> cached(String token) {
    Entry entry = entries.get(sha256(token));
    if (entry != null && entry.expiresAtNanos - nanoTime.getAsLong() > 0) {
      return Optional.of(entry.principal);
    }
    return Optional.empty();
  }

  /**
   * Remembers a successful check for {@link #TTL}, or until {@code validFor} is over if that is
   * sooner (a token that expires is not served from here after it expired).
   */
  void remember(String token, Principal principal, Optional<Duration> validFor) {
    long ttl = validFor.map(v -> Math.min(v.toNanos(), TTL.toNanos())).orElse(TTL.toNanos());
    if (ttl <= 0) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(sha256(token), new Entry(principal, nanoTime.getAsLong() + ttl));
  }

  void forget(String token) {
    entries.remove(sha256(token));
  }

  /** Forgets every check: after a token was revoked here, or admin rights changed. */
  void clear() {
    entries.clear();
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
