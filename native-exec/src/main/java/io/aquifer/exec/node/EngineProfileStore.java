package io.aquifer.exec.node;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The node's engine profiles of finished queries, by query id, until the gateway fetches them
 * ({@code DoAction("engine-profile")}), which removes them. Only a query whose result was sent to
 * the end is put here; a canceled or failed one keeps none. Bounded: beyond {@code maxEntries}
 * profiles or {@code maxBytes} (UTF-16 chars counted as two bytes) the oldest are dropped, and a
 * profile older than {@code maxAge} is dropped too (a gateway that never asked: profiles off, or it
 * went away). Thread-safe.
 */
public final class EngineProfileStore {
  public static final int DEFAULT_MAX_ENTRIES = 256;
  public static final long DEFAULT_MAX_BYTES = 16L << 20;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  private final int maxEntries;
  private final long maxBytes;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<String, Kept> profiles = new LinkedHashMap<>(); // oldest first
  private long bytes; // guarded by this

  private record Kept(String json, long keptAtNanos) {
    long bytes() {
      return 2L * json.length();
    }
  }

  public EngineProfileStore() {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES, DEFAULT_MAX_AGE, System::nanoTime);
  }

  /**
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; a hand-made one in
   *     tests)
   */
  public EngineProfileStore(
      int maxEntries, long maxBytes, Duration maxAge, LongSupplier nanoClock) {
    if (maxEntries < 1 || maxBytes < 1 || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException(
          "An engine profile store needs room: maxEntries="
              + maxEntries
              + ", maxBytes="
              + maxBytes
              + ", maxAge="
              + maxAge);
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
  }

  /** Keeps the profile of a query that ran to the end; one larger than the whole store is not. */
  public synchronized void put(String queryId, String profileJson) {
    requireNonNull(queryId, "queryId");
    Kept kept = new Kept(requireNonNull(profileJson, "profileJson"), nanoClock.getAsLong());
    Kept previous = profiles.remove(queryId);
    if (previous != null) {
      bytes -= previous.bytes();
    }
    if (kept.bytes() > maxBytes) {
      return;
    }
    profiles.put(queryId, kept);
    bytes += kept.bytes();
    evict();
  }

  /** The query's profile, removed from the store; empty if none is kept (or no longer). */
  public synchronized Optional<String> take(String queryId) {
    evict();
    Kept kept = profiles.remove(requireNonNull(queryId, "queryId"));
    if (kept == null) {
      return Optional.empty();
    }
    bytes -= kept.bytes();
    return Optional.of(kept.json());
  }

  /** Profiles kept now. */
  public synchronized int size() {
    evict();
    return profiles.size();
  }

  /** Bytes the profiles kept now take (two per char). */
  public synchronized long bytes() {
    evict();
    return bytes;
  }

  private void evict() {
    long now = nanoClock.getAsLong();
    Iterator<Map.Entry<String, Kept>> oldest = profiles.entrySet().iterator();
    while (oldest.hasNext()) {
      Kept kept = oldest.next().getValue();
      if (profiles.size() <= maxEntries
          && bytes <= maxBytes
          && now - kept.keptAtNanos() < maxAgeNanos) {
        return;
      }
      oldest.remove();
      bytes -= kept.bytes();
    }
  }
}
