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
 * tokens. A revoked or expired token stops working within {@link #TTL}.
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
    String key = sha256(token);
    long now = nanoTime.getAsLong();
    Entry entry = entries.get(key);
    if (entry != null && entry.expiresAtNanos - now > 0) {
      return Optional.of(entry.principal);
    }
    Optional<Principal> principal = check.apply(token);
    if (principal.isPresent()) {
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
      entries.put(key, new Entry(principal.get(), now + TTL.toNanos()));
    } else {
      entries.remove(key);
    }
    return principal;
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
