package io.aquifer.results.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query result cache: whole results by key, in a memory tier (Caffeine, bounded in bytes) in
 * front of a durable {@link CacheObjectStore} (a directory or S3) that outlives the gateway. The
 * key is the caller's: it must change whenever the result could (plan, table versions, settings,
 * security context). An entry answers for {@link ResultCacheConfig#expiry()} after it was written.
 *
 * <p>The durable tier is best effort: a damaged entry (a data object that does not match its
 * manifest) is ignored, deleted and written anew by the next run; when the store fails, the cache
 * answers from memory only and does not ask the store again for {@value #STORE_BACKOFF_SECONDS}
 * seconds, so that queries never wait on a store that is down. Writes to the store happen in the
 * background, in order; {@link #close()} waits for them.
 */
public final class ResultCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultCache.class);
  static final long STORE_BACKOFF_SECONDS = 30;

  private final ResultCacheConfig config;
  private final CacheObjectStore store;
  private final Clock clock;
  private final Cache<String, CachedResult> memory;
  private final ExecutorService writer;
  private final ConcurrentMap<String, CompletableFuture<Void>> computing =
      new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong bypassed = new AtomicLong();
  private final AtomicLong stores = new AtomicLong();
  private final AtomicLong storeErrors = new AtomicLong();
  private volatile Instant storeUnavailableUntil = Instant.MIN;

  /**
   * The object that says when the cache was last cleared, for other processes sharing the store.
   */
  static final String CLEARED_MARKER = "cleared-at";

  private volatile Instant lastClearSeen = Instant.MIN;

  public ResultCache(ResultCacheConfig config, CacheObjectStore store, Clock clock) {
    this.config = requireNonNull(config, "config");
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
    this.memory =
        Caffeine.newBuilder()
            .maximumWeight(config.memoryLimitBytes())
            .weigher(
                (String key, CachedResult entry) ->
                    (int) Math.min(Integer.MAX_VALUE, entry.byteCount()))
            .expireAfter(
                new Expiry<String, CachedResult>() {
                  @Override
                  public long expireAfterCreate(String key, CachedResult entry, long now) {
                    return remaining(entry).toNanos();
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, CachedResult entry, long now, long current) {
                    return remaining(entry).toNanos();
                  }

                  @Override
                  public long expireAfterRead(
                      String key, CachedResult entry, long now, long current) {
                    return current;
                  }
                })
            .executor(Runnable::run)
            .build();
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "aquifer-result-cache-writer");
              t.setDaemon(true);
              return t;
            });
  }

  /** A cache over the durable tier the configuration names. */
  public static ResultCache open(ResultCacheConfig config) {
    ResultCache cache = new ResultCache(config, config.openStore(), Clock.systemUTC());
    cache.lastClearSeen = cache.readClearedMarker().orElse(Instant.MIN);
    return cache;
  }

  /**
   * Drops the memory tier if another process ({@code aquifer cache clear}, another gateway) cleared
   * the shared durable tier since the last check; true if it did.
   */
  public boolean checkCleared() {
    if (!storeAvailable()) {
      return false;
    }
    Optional<Instant> cleared = readClearedMarker();
    if (cleared.isPresent() && cleared.get().isAfter(lastClearSeen)) {
      lastClearSeen = cleared.get();
      memory.invalidateAll();
      LOG.info("result cache cleared at {}: memory tier dropped", cleared.get());
      return true;
    }
    return false;
  }

  private Optional<Instant> readClearedMarker() {
    try {
      return store
          .read(CLEARED_MARKER)
          .map(b -> Instant.parse(new String(b, java.nio.charset.StandardCharsets.UTF_8).strip()));
    } catch (CacheStoreException e) {
      storeFailed(e);
      return Optional.empty();
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Entries in the durable tier now (one listing of the store). */
  public int durableEntries() {
    int entries = 0;
    for (String name : store.list()) {
      if (name.endsWith(CacheManifest.SUFFIX)) {
        entries++;
      }
    }
    return entries;
  }

  public ResultCacheConfig config() {
    return config;
  }

  /** Where the durable tier is, for logs and messages. */
  public String describeStore() {
    return store.describe();
  }

  /** The entry for a key, from memory or the durable tier; counts a hit or a miss. */
  public Optional<CachedResult> lookup(String key) {
    return lookup(key, true);
  }

  /**
   * The entry for a key; counts a hit or a miss if {@code count} (a statement that looks again
   * after waiting for another's result counts once).
   */
  public Optional<CachedResult> lookup(String key, boolean count) {
    requireNonNull(key, "key");
    Optional<CachedResult> found = find(key);
    if (count || found.isPresent()) {
      (found.isPresent() ? hits : misses).incrementAndGet();
      if (found.isPresent() && !count) {
        misses.decrementAndGet(); // the first look counted a miss; it is a hit after all
      }
    }
    return found;
  }

  /**
   * The entry for a key, counting a hit if there is one and nothing otherwise (the caller then
   * looks again the usual way, which counts the miss).
   */
  public Optional<CachedResult> lookupIfPresent(String key) {
    requireNonNull(key, "key");
    Optional<CachedResult> found = find(key);
    if (found.isPresent()) {
      hits.incrementAndGet();
    }
    return found;
  }

  /** Counts a statement that did not use the cache. */
  public void bypassed() {
    bypassed.incrementAndGet();
  }

  private Optional<CachedResult> find(String key) {
    CachedResult kept = memory.getIfPresent(key);
    if (kept != null && !expired(kept)) {
      return Optional.of(kept);
    }
    if (!storeAvailable()) {
      return Optional.empty();
    }
    try {
      Optional<byte[]> manifestBytes = store.read(CacheManifest.manifestName(key));
      if (manifestBytes.isEmpty()) {
        return Optional.empty();
      }
      Optional<CacheManifest.Parsed> manifest = CacheManifest.read(key, manifestBytes.get());
      if (manifest.isEmpty()) {
        LOG.warn(
            "result cache: the manifest of entry {} in {} is damaged; ignored",
            key,
            store.describe());
        deleteQuietly(CacheManifest.manifestName(key));
        return Optional.empty();
      }
      CacheManifest.Parsed m = manifest.get();
      if (isNotPositive(remainingAt(m.createdAt()))) {
        deleteQuietly(CacheManifest.manifestName(key));
        deleteQuietly(m.dataObject());
        return Optional.empty();
      }
      Optional<CachedResult> entry = store.read(m.dataObject()).flatMap(data -> m.entry(key, data));
      if (entry.isEmpty()) {
        LOG.warn(
            "result cache: entry {} in {} is missing or damaged (its data does not match its"
                + " manifest); ignored",
            key,
            store.describe());
        deleteQuietly(CacheManifest.manifestName(key));
        deleteQuietly(m.dataObject());
        return Optional.empty();
      }
      memory.put(key, entry.get());
      return entry;
    } catch (CacheStoreException e) {
      storeFailed(e);
      return Optional.empty();
    }
  }

  /**
   * Stores an entry: in memory at once, in the durable tier in the background. An entry larger than
   * {@link ResultCacheConfig#maxResultBytes()} is not stored.
   */
  public void store(CachedResult entry) {
    requireNonNull(entry, "entry");
    if (entry.byteCount() > config.maxResultBytes()) {
      return;
    }
    memory.put(entry.key(), entry);
    stores.incrementAndGet();
    try {
      writer.execute(() -> writeDurably(entry));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("result cache closed; entry {} kept in memory only", entry.key());
    }
  }

  private void writeDurably(CachedResult entry) {
    if (!storeAvailable()) {
      return;
    }
    String data =
        entry.key()
            + "."
            + UUID.randomUUID().toString().replace("-", "")
            + CacheManifest.DATA_SUFFIX;
    try {
      store.write(data, entry.arrowIpc());
      store.write(CacheManifest.manifestName(entry.key()), CacheManifest.write(entry, data));
    } catch (CacheStoreException e) {
      storeFailed(e);
      deleteQuietly(data);
    } catch (RuntimeException e) {
      storeErrors.incrementAndGet();
      LOG.error("result cache: writing entry {} failed", entry.key(), e);
    }
  }

  /**
   * Claims the computation of a key's result, so that concurrent identical queries compute it once.
   * Empty if another statement is computing it: wait with {@link #awaitComputed}, then look up
   * again. Otherwise release the claim when done (stored or not).
   */
  public Optional<Claim> claim(String key) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> other = computing.putIfAbsent(key, mine);
    if (other != null) {
      return Optional.empty();
    }
    return Optional.of(
        () -> {
          computing.remove(key, mine);
          mine.complete(null);
        });
  }

  /** Waits up to {@code timeout} for another statement's computation of the key to end. */
  public void awaitComputed(String key, Duration timeout) throws InterruptedException {
    CompletableFuture<Void> other = computing.get(key);
    if (other == null) {
      return;
    }
    try {
      other.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      // it still runs, or failed: the caller computes itself
    }
  }

  /** A claim on computing one key's result. */
  @FunctionalInterface
  public interface Claim extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Removes every entry, in memory and in the durable tier, and notes the time in the store so that
   * other processes sharing it drop their memory tiers too ({@link #checkCleared}); returns how
   * many entries were there.
   */
  public int clear() {
    long inMemory = memory.estimatedSize();
    memory.invalidateAll();
    int removed = 0;
    try {
      drainWrites();
      for (String name : store.list()) {
        if (name.endsWith(CacheManifest.SUFFIX)) {
          removed++;
        }
        if (!name.equals(CLEARED_MARKER)) {
          store.delete(name);
        }
      }
      Instant now = clock.instant();
      store.write(CLEARED_MARKER, now.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      lastClearSeen = now;
    } catch (CacheStoreException e) {
      storeFailed(e);
      throw e;
    }
    return (int) Math.max(removed, inMemory);
  }

  /** Deletes the durable entries whose expiry passed (and stray data objects); returns how many. */
  public int expire() {
    memory.cleanUp();
    CompletableFuture<Integer> done = new CompletableFuture<>();
    try {
      writer.execute(() -> done.complete(expireDurable()));
      return done.get(10, TimeUnit.MINUTES);
    } catch (java.util.concurrent.RejectedExecutionException
        | java.util.concurrent.ExecutionException
        | TimeoutException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private int expireDurable() {
    if (!storeAvailable()) {
      return 0;
    }
    int removed = 0;
    try {
      java.util.List<String> names = store.list();
      java.util.Set<String> referenced = new java.util.HashSet<>();
      for (String name : names) {
        if (!name.endsWith(CacheManifest.SUFFIX)) {
          continue;
        }
        String key = name.substring(0, name.length() - CacheManifest.SUFFIX.length());
        Optional<CacheManifest.Parsed> m =
            store.read(name).flatMap(b -> CacheManifest.read(key, b));
        if (m.isEmpty() || isNotPositive(remainingAt(m.get().createdAt()))) {
          store.delete(name);
          m.ifPresent(p -> store.delete(p.dataObject()));
          removed++;
        } else {
          referenced.add(m.get().dataObject());
        }
      }
      for (String name : names) {
        // A data object whose manifest was never written (a crash) or was replaced. Expiry runs on
        // the writer's thread, so no write of this gateway is half done now.
        if (name.endsWith(CacheManifest.DATA_SUFFIX) && !referenced.contains(name)) {
          store.delete(name);
        }
      }
    } catch (CacheStoreException e) {
      storeFailed(e);
    }
    return removed;
  }

  public ResultCacheMetrics metrics() {
    memory.cleanUp();
    long bytes = memory.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    return new ResultCacheMetrics(
        hits.get(),
        misses.get(),
        bypassed.get(),
        stores.get(),
        storeErrors.get(),
        memory.estimatedSize(),
        bytes);
  }

  /** Waits for the background writes queued so far. */
  public void drainWrites() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      writer.execute(() -> done.complete(null));
      done.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException
        | java.util.concurrent.ExecutionException
        | TimeoutException e) {
      LOG.warn("result cache: background writes did not finish: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("result cache: background writes still running at shutdown; dropped");
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writer.shutdownNow();
    }
    store.close();
  }

  private boolean expired(CachedResult entry) {
    return isNotPositive(remaining(entry));
  }

  private Duration remaining(CachedResult entry) {
    Duration left = remainingAt(entry.createdAt());
    return left.isNegative() ? Duration.ZERO : left;
  }

  private Duration remainingAt(Instant createdAt) {
    return Duration.between(clock.instant(), createdAt.plus(config.expiry()));
  }

  private static boolean isNotPositive(Duration d) {
    return d.isNegative() || d.isZero();
  }

  private boolean storeAvailable() {
    return !clock.instant().isBefore(storeUnavailableUntil);
  }

  private void storeFailed(CacheStoreException e) {
    storeErrors.incrementAndGet();
    storeUnavailableUntil = clock.instant().plusSeconds(STORE_BACKOFF_SECONDS);
    LOG.warn(
        "result cache: the store {} failed ({}); answering from memory only for the next {} s",
        store.describe(),
        e.getMessage(),
        STORE_BACKOFF_SECONDS);
  }

  private void deleteQuietly(String name) {
    try {
      store.delete(name);
    } catch (RuntimeException e) {
      LOG.debug("result cache: cannot delete {}: {}", name, e.toString());
    }
  }
}
