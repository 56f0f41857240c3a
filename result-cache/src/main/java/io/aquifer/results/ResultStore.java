package io.aquifer.results;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statement results as Arrow IPC chunks, readable again by index until closed or expired. Chunks
 * live in a memory tier (Caffeine, bounded in bytes); the least recently used ones move to a {@link
 * SpillTier} (files under the data directory, or objects below an S3 storage root). Each principal
 * may hold at most {@link ResultStoreConfig#quotaPerPrincipalBytes()}; past it, its oldest results
 * are deleted first.
 */
public final class ResultStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);

  private final ResultStoreConfig config;
  private final SpillTier spillTier;
  private final Clock clock;
  private final Map<String, StoredResult> results = new ConcurrentHashMap<>();
  private final Map<String, Long> bytesByOwner = new HashMap<>();
  private final AtomicLong spilledBytes = new AtomicLong();
  private final Cache<StoredChunk, StoredChunk> memory;

  public ResultStore(ResultStoreConfig config, SpillTier spillTier, Clock clock) {
    this.config = requireNonNull(config, "config");
    this.spillTier = requireNonNull(spillTier, "spillTier");
    this.clock = requireNonNull(clock, "clock");
    this.memory =
        Caffeine.newBuilder()
            .maximumWeight(config.memoryLimitBytes())
            .weigher((StoredChunk chunk, StoredChunk same) -> chunk.size())
            .executor(Runnable::run)
            .evictionListener(
                (StoredChunk chunk, StoredChunk same, RemovalCause cause) -> spill(chunk))
            .build();
  }

  /** A store on the local file system, spilling under the configured directory. */
  public static ResultStore local(ResultStoreConfig config) {
    return new ResultStore(
        config, new LocalDirectorySpillTier(config.spillDirectory()), Clock.systemUTC());
  }

  public ResultStoreConfig config() {
    return config;
  }

  /**
   * Starts a result for chunks to be appended to.
   *
   * @param id the statement id; letters, digits, {@code -} and {@code _}
   * @param owner the principal whose quota it counts against
   */
  public StoredResult create(String id, String owner, Schema schema) {
    StoredResult result = new StoredResult(this, id, owner, schema, now());
    if (results.putIfAbsent(id, result) != null) {
      throw new IllegalStateException("result " + id + " exists already");
    }
    return result;
  }

  /** A result that is spooling or stored. */
  public Optional<StoredResult> find(String id) {
    return Optional.ofNullable(results.get(id));
  }

  /** Deletes a result and frees its memory and files; a no-op for an unknown id. */
  public void delete(String id) {
    StoredResult result = results.remove(id);
    if (result == null) {
      return;
    }
    free(result, result.markDeleted());
    spillTier.delete(id);
  }

  /** Deletes finished results whose expiry passed; returns how many. */
  public int expire() {
    Instant now = now();
    int expired = 0;
    for (StoredResult result : List.copyOf(results.values())) {
      if (result.expiredAt(now)) {
        LOG.debug("Result {} of {} expired", result.id(), result.owner());
        delete(result.id());
        expired++;
      }
    }
    return expired;
  }

  /** Bytes of chunks in the memory tier. */
  public long memoryBytes() {
    memory.cleanUp();
    return memory.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** Bytes of chunks on the spill tier. */
  public long spilledBytes() {
    return spilledBytes.get();
  }

  /** Bytes one principal holds, in memory and spilled. */
  public synchronized long bytesOwnedBy(String owner) {
    return bytesByOwner.getOrDefault(owner, 0L);
  }

  /** Results held (spooling, complete, or failed but not yet read). */
  public int resultCount() {
    return results.size();
  }

  @Override
  public void close() {
    for (String id : List.copyOf(results.keySet())) {
      delete(id);
    }
    spillTier.close();
  }

  // ---- for StoredResult ----

  Instant now() {
    return clock.instant();
  }

  SpillTier spillTier() {
    return spillTier;
  }

  /**
   * Counts {@code size} more bytes against the result's owner, first deleting the owner's oldest
   * other results if the quota would be passed.
   */
  void reserve(StoredResult result, long size) {
    while (true) {
      StoredResult victim;
      synchronized (this) {
        long used = bytesByOwner.getOrDefault(result.owner(), 0L);
        if (used + size <= config.quotaPerPrincipalBytes()) {
          bytesByOwner.put(result.owner(), used + size);
          return;
        }
        victim =
            results.values().stream()
                .filter(r -> r != result && r.owner().equals(result.owner()))
                .min(Comparator.comparing(StoredResult::createdAt))
                .orElse(null);
      }
      if (victim == null) {
        throw new ResultStoreException(
            ResultStoreErrorCode.RESULT_QUOTA_EXCEEDED,
            "the result of statement "
                + result.id()
                + " is larger than the result store quota of "
                + config.quotaPerPrincipalBytes()
                + " bytes per principal; add a LIMIT or a filter");
      }
      LOG.info(
          "Deleting result {} of {} to stay within the per-principal quota of {} bytes",
          victim.id(),
          victim.owner(),
          config.quotaPerPrincipalBytes());
      delete(victim.id());
    }
  }

  synchronized void release(StoredResult result, long size, boolean spilled) {
    bytesByOwner.computeIfPresent(
        result.owner(), (o, used) -> used - size <= 0 ? null : used - size);
    if (spilled) {
      spilledBytes.addAndGet(-size);
    }
  }

  void remember(StoredChunk chunk) {
    memory.put(chunk, chunk);
  }

  /** Frees the chunks of a failed result; readers still see its failure. */
  void drop(StoredResult result) {
    free(result, result.takeChunks());
    spillTier.delete(result.id());
  }

  private void free(StoredResult result, List<StoredChunk> chunks) {
    for (StoredChunk chunk : chunks) {
      memory.invalidate(chunk);
      boolean wasSpilled = chunk.delete();
      release(result, chunk.size(), wasSpilled);
    }
  }

  private void spill(StoredChunk chunk) {
    try {
      if (chunk.spill(spillTier)) {
        spilledBytes.addAndGet(chunk.size());
      }
    } catch (RuntimeException e) {
      LOG.error(
          "Cannot spill chunk {} of result {}; it stays in memory",
          chunk.index(),
          chunk.resultId(),
          e);
    }
  }
}
