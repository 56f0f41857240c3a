package io.aquifer.gateway.history;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.QueryHistoryEntry;
import io.aquifer.catalog.QueryHistoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query history over the catalog database, written off the statements' threads: {@link #record}
 * puts the entry in a bounded queue and returns; one writer thread takes what is queued and writes
 * it in one transaction, then removes entries past the retention limits. When the queue is full the
 * entry is dropped and counted (a warning is logged); a failed write is logged and its entries are
 * lost, never a statement's failure. {@link #close} writes what is still queued. Reads write the
 * queue first, so a client sees its own statements at once.
 */
public final class AsyncQueryHistory implements QueryHistory, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncQueryHistory.class);

  /** Entries waiting to be written; beyond this, new ones are dropped. */
  public static final int QUEUE_CAPACITY = 10_000;

  /** Most entries written in one transaction. */
  private static final int BATCH = 500;

  /** Retention is applied after this many entries were written, and on start. */
  private static final int PRUNE_EVERY = 1_000;

  private final QueryHistoryStore store;
  private final QueryHistoryConfig config;
  private final Clock clock;
  private final BlockingQueue<QueryHistoryEntry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

  /** Engine profiles that arrived after their statement was recorded, by statement id. */
  private final BlockingQueue<LateProfile> profiles = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

  /**
   * A profile whose entry was not written yet when it was: a writer pass (one drain) can miss an
   * entry the writer thread has just taken, so it is tried again on the next pass, a few times.
   */
  private record LateProfile(String statementId, String json, int passes) {}

  private static final int LATE_PROFILE_PASSES = 3;
  private final ReentrantLock writing = new ReentrantLock();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private long writtenSincePrune;
  private volatile boolean closed;

  public AsyncQueryHistory(QueryHistoryStore store, QueryHistoryConfig config) {
    this(store, config, Clock.systemUTC());
  }

  public AsyncQueryHistory(QueryHistoryStore store, QueryHistoryConfig config, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    prune();
    this.writer = new Thread(this::writeLoop, "aquifer-query-history");
    writer.setDaemon(true);
    writer.start();
  }

  public QueryHistoryConfig config() {
    return config;
  }

  @Override
  public void record(QueryHistoryEntry entry) {
    requireNonNull(entry, "entry");
    if (closed) {
      LOG.warn("query history is closed; statement {} is not recorded", entry.statementId());
      return;
    }
    if (entry.engineProfile() != null && !keepsEngineProfile(entry.engineProfile())) {
      entry = entry.withEngineProfile(null); // too large to keep (or not kept at all)
    }
    if (!queue.offer(entry)) {
      long count = dropped.incrementAndGet();
      if (count == 1 || count % 1_000 == 0) {
        LOG.warn(
            "query history queue is full ({} entries): {} statements not recorded so far",
            QUEUE_CAPACITY,
            count);
      }
    }
  }

  @Override
  public boolean keepsEngineProfiles() {
    return config.engineProfiles();
  }

  /**
   * Queues the profile for the writer, which adds it to the entry once that is written (entries
   * recorded before it are written first); a profile too large, or beyond the queue, is not kept.
   */
  @Override
  public void recordEngineProfile(String statementId, String planAndProfile) {
    requireNonNull(statementId, "statementId");
    if (closed || planAndProfile == null || !keepsEngineProfile(planAndProfile)) {
      return;
    }
    if (!profiles.offer(new LateProfile(statementId, planAndProfile, 0))) {
      LOG.debug("query history profile queue is full: statement {} keeps none", statementId);
    }
  }

  @Override
  public boolean keepsEngineProfile(String profile) {
    return config.engineProfiles()
        && ((long) profile.length() * 3 <= config.engineProfileMaxBytes()
            || profile.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                <= config.engineProfileMaxBytes());
  }

  /** Entries dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public List<QueryHistoryEntry> entries(Optional<String> executedBy, int limit) {
    flush();
    return store.list(executedBy, limit);
  }

  @Override
  public Optional<io.aquifer.catalog.QueryHistoryStore.StoredEngineProfile> engineProfile(
      String statementId) {
    flush();
    return store.engineProfile(statementId);
  }

  /** Writes everything queued now, in the caller's thread. */
  public void flush() {
    writing.lock();
    try {
      writeQueued(null);
    } finally {
      writing.unlock();
    }
  }

  /**
   * Writes the queued entries, then the profiles that were queued before them (so each profile's
   * entry, recorded before its profile arrived, is written first). The caller holds {@link
   * #writing}.
   */
  private void writeQueued(QueryHistoryEntry first) {
    List<LateProfile> late = new ArrayList<>();
    profiles.drainTo(late);
    List<QueryHistoryEntry> batch = new ArrayList<>();
    if (first != null) {
      batch.add(first);
    }
    while (true) {
      queue.drainTo(batch, BATCH - batch.size());
      if (batch.isEmpty()) {
        break;
      }
      write(batch);
      batch.clear();
    }
    if (!late.isEmpty()) {
      Map<String, LateProfile> byStatement = new LinkedHashMap<>();
      late.forEach(p -> byStatement.putIfAbsent(p.statementId(), p));
      Map<String, String> json = new LinkedHashMap<>();
      byStatement.forEach((id, p) -> json.put(id, p.json()));
      try {
        for (String missing : store.updateEngineProfiles(json)) {
          LateProfile p = byStatement.get(missing);
          if (p.passes() + 1 < LATE_PROFILE_PASSES) {
            profiles.offer(new LateProfile(p.statementId(), p.json(), p.passes() + 1));
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot write {} engine profiles to query history", byStatement.size(), e);
      }
    }
  }

  private void writeLoop() {
    while (!closed) {
      try {
        QueryHistoryEntry first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null && profiles.isEmpty()) {
          continue;
        }
        writing.lock();
        try {
          writeQueued(first);
        } finally {
          writing.unlock();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("query history writer failed", e);
      }
    }
  }

  /** Writes one batch (the caller holds {@link #writing}); a failure is logged. */
  private void write(List<QueryHistoryEntry> batch) {
    // The same statement recorded twice in one batch: keep the last.
    Map<String, QueryHistoryEntry> unique = new LinkedHashMap<>();
    for (QueryHistoryEntry e : batch) {
      unique.put(e.statementId(), e);
    }
    List<QueryHistoryEntry> entries = new ArrayList<>(unique.values());
    entries.sort(Comparator.comparing(QueryHistoryEntry::endTime));
    try {
      store.insert(entries);
    } catch (RuntimeException e) {
      LOG.warn("cannot write {} query history entries; they are lost", entries.size(), e);
      return;
    }
    writtenSincePrune += entries.size();
    if (writtenSincePrune >= PRUNE_EVERY) {
      writtenSincePrune = 0;
      prune();
    }
  }

  private void prune() {
    try {
      int removed = store.prune(config.maxEntries(), clock.instant().minus(config.maxAge()));
      if (removed > 0) {
        LOG.debug("removed {} query history entries past retention", removed);
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot apply query history retention", e);
    }
  }

  /** Stops the writer and writes what is still queued. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.interrupt();
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
    prune();
  }
}
