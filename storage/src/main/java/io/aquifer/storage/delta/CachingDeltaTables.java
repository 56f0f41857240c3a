package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aquifer.storage.delta.DeltaLogListing.CommitFile;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * {@link DeltaTables} that keeps the snapshots it has read, so that planning a statement does not
 * replay a Delta log that has not changed since the last statement.
 *
 * <p>Snapshots are kept by (table location, version), since a version of a Delta table never
 * changes. {@link #latest} still asks the file system every time whether the table has changed: any
 * writer's commit, in this process or another, adds a commit file and so a version the cache has
 * not seen. When the newest version seen before, N, is kept, two metadata requests settle it (no
 * commit file N+1; commit file N as it was), however long the log; otherwise one listing of the
 * log, starting at N, finds the newest version, and that version is read if it is not kept. No log
 * file is read to find out. A log deleted and written anew at the same location shows up as fewer
 * versions than before, or as a known version whose commit file has another size or modification
 * time; every kept version of that table is then dropped. Time travel by version is answered from
 * the cache alone; by timestamp, Kernel resolves the version first (without replaying the log's
 * files) and the snapshot of that version comes from the cache. Commits need no invalidation: they
 * add versions and change none.
 *
 * <p>The cache is bounded by weight: one unit per data file of a snapshot (plus one per {@value
 * #DELETED_ROWS_PER_UNIT} deleted row positions, plus one for the snapshot itself); the least
 * recently used snapshots go first. Concurrent readers of a version not yet kept wait for one read
 * of it instead of each replaying the log. Thread-safe.
 */
public final class CachingDeltaTables implements DeltaTables {
  /** The default bound: kept snapshots hold about this many data files in all. */
  public static final long DEFAULT_MAX_CACHED_FILES = 100_000;

  /** Deleted row positions (8 bytes each) that weigh about as much as one data file's entry. */
  static final int DELETED_ROWS_PER_UNIT = 128;

  /** Tables whose newest commit file seen is remembered. */
  private static final int MAX_REMEMBERED_TABLES = 10_000;

  private final KernelDeltaTables kernel;
  private final Cache<SnapshotKey, CachedSnapshot> snapshots;

  /** Reads under way, so that concurrent readers of one version wait for one read. */
  private final ConcurrentMap<SnapshotKey, CompletableFuture<CachedSnapshot>> reading =
      new ConcurrentHashMap<>();

  /** The table properties of versions read by {@link #properties(URI, long)}. */
  private final Cache<SnapshotKey, Map<String, String>> versionProperties =
      Caffeine.newBuilder().maximumSize(MAX_REMEMBERED_TABLES).executor(Runnable::run).build();

  /** The newest commit file seen of each table, by the path Kernel spells its location. */
  private final Cache<String, CommitFile> newestCommits;

  /** Caches snapshots of up to {@link #DEFAULT_MAX_CACHED_FILES} data files in all. */
  public CachingDeltaTables(KernelDeltaTables kernel) {
    this(kernel, DEFAULT_MAX_CACHED_FILES);
  }

  /**
   * @param maxCachedFiles the bound of the cache, in data files (see the class comment); a snapshot
   *     heavier than the bound is read but not kept
   */
  public CachingDeltaTables(KernelDeltaTables kernel, long maxCachedFiles) {
    this.kernel = requireNonNull(kernel, "kernel");
    if (maxCachedFiles < 0) {
      throw new IllegalArgumentException("maxCachedFiles < 0: " + maxCachedFiles);
    }
    this.snapshots =
        Caffeine.newBuilder()
            .maximumWeight(maxCachedFiles)
            .<SnapshotKey, CachedSnapshot>weigher((key, cached) -> cached.weight())
            // Eviction work is small; doing it on the caller's thread keeps the bound exact.
            .executor(Runnable::run)
            .build();
    this.newestCommits =
        Caffeine.newBuilder().maximumSize(MAX_REMEMBERED_TABLES).executor(Runnable::run).build();
  }

  @Override
  public DeltaSnapshot create(
      URI location,
      TableSchema schema,
      List<String> partitionColumns,
      Map<String, String> properties,
      List<NewDataFile> initialFiles) {
    DeltaSnapshot created =
        kernel.create(location, schema, partitionColumns, properties, initialFiles);
    // A table that lived here before (its log since deleted) left versions that are not this one's.
    forget(TableLocation.of(location).kernelPath());
    return created;
  }

  @Override
  public DeltaSnapshot latest(URI location) {
    String path = TableLocation.of(location).kernelPath();
    CommitFile seen = newestCommits.getIfPresent(path);
    if (seen != null) {
      CachedSnapshot kept = snapshots.getIfPresent(new SnapshotKey(path, seen.version()));
      if (kept != null && seen.equals(kept.commit()) && isStillNewest(location, seen)) {
        return kept.snapshot();
      }
    }
    long from = seen == null ? 0 : seen.version();
    Optional<CommitFile> newest = kernel.newestCommit(location, from);
    if (newest.isEmpty() && seen != null) {
      // The log holds fewer versions than before: deleted, and perhaps written anew.
      forget(path);
      newest = from == 0 ? newest : kernel.newestCommit(location, 0);
    }
    if (newest.isEmpty()) {
      return kernel.latest(location); // no table here: Kernel says why
    }
    CommitFile commit = newest.get();
    SnapshotKey key = new SnapshotKey(path, commit.version());
    CachedSnapshot cached = cachedOrRead(key, commit, () -> read(location, key));
    if (!commit.equals(cached.commit())) {
      if (cached.commit() != null) {
        // The same version from another commit file: the log was written anew.
        forget(path);
      }
      // Else it was kept by time travel, which does not look at commit files: read it once more
      // and keep it with its commit file.
      cached = new CachedSnapshot(read(location, key), commit);
      snapshots.put(key, cached);
    }
    newestCommits.put(path, commit);
    return cached.snapshot();
  }

  /** No commit after {@code seen}, and {@code seen} the very file it was. */
  private boolean isStillNewest(URI location, CommitFile seen) {
    return kernel.commitFile(location, seen.version() + 1).isEmpty()
        && kernel.commitFile(location, seen.version()).filter(seen::equals).isPresent();
  }

  @Override
  public DeltaSnapshot atVersion(URI location, long version) {
    SnapshotKey key = new SnapshotKey(TableLocation.of(location).kernelPath(), version);
    return cachedOrRead(key, null, () -> read(location, key)).snapshot();
  }

  @Override
  public DeltaSnapshot atTimestamp(URI location, long timestampMillis) {
    return atVersion(location, kernel.versionAtTimestamp(location, timestampMillis));
  }

  @Override
  public long commit(URI location, CommitRequest request) {
    // Versions never change, so nothing kept is stale: the next latest() sees the new commit file.
    return kernel.commit(location, request);
  }

  @Override
  public long alter(URI location, TableChange change) {
    // As commit: the next latest() sees the new commit file.
    return kernel.alter(location, change);
  }

  @Override
  public Map<String, String> properties(URI location) {
    return kernel.properties(location);
  }

  /**
   * Reads a version, keeping its table properties too: a write to the version asks for them (its
   * CHECK constraints), and so needs no second read of the log.
   */
  private DeltaSnapshot read(URI location, SnapshotKey key) {
    KernelDeltaTables.VersionRead read = kernel.readVersion(location, key.version());
    versionProperties.put(key, read.properties());
    return read.snapshot();
  }

  /** Kept by (table, version) like the snapshots: a version's properties never change. */
  @Override
  public Map<String, String> properties(URI location, long version) {
    SnapshotKey key = new SnapshotKey(TableLocation.of(location).kernelPath(), version);
    return versionProperties.get(key, k -> kernel.properties(location, version));
  }

  @Override
  public java.util.Set<String> tableFeatures(URI location) {
    return kernel.tableFeatures(location);
  }

  @Override
  public List<HistoryEntry> history(URI location) {
    return kernel.history(location);
  }

  @Override
  public java.util.Set<URI> removedFiles(URI location, long fromVersion) {
    return kernel.removedFiles(location, fromVersion);
  }

  /** How many snapshots are kept now (after pending evictions). */
  long cachedSnapshotCount() {
    snapshots.cleanUp();
    return snapshots.estimatedSize();
  }

  /**
   * The kept snapshot, or the one {@code read} returns, kept with {@code commit} (null when its
   * commit file was not looked at). One read per key at a time: later callers wait for it. A read
   * that fails keeps nothing and fails every caller that waited for it.
   */
  private CachedSnapshot cachedOrRead(
      SnapshotKey key, CommitFile commit, Supplier<DeltaSnapshot> read) {
    CachedSnapshot kept = snapshots.getIfPresent(key);
    if (kept != null) {
      return kept;
    }
    CompletableFuture<CachedSnapshot> mine = new CompletableFuture<>();
    CompletableFuture<CachedSnapshot> running = reading.putIfAbsent(key, mine);
    if (running != null) {
      return await(running);
    }
    try {
      kept = snapshots.getIfPresent(key); // kept by a read that ended just now
      if (kept == null) {
        kept = new CachedSnapshot(read.get(), commit);
        snapshots.put(key, kept);
      }
      mine.complete(kept);
      return kept;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      reading.remove(key, mine);
    }
  }

  private static CachedSnapshot await(CompletableFuture<CachedSnapshot> read) {
    try {
      return read.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Drops every kept version of the table at {@code path}. */
  private void forget(String path) {
    newestCommits.invalidate(path);
    snapshots.asMap().keySet().removeIf(key -> key.path().equals(path));
    versionProperties.asMap().keySet().removeIf(key -> key.path().equals(path));
  }

  /** A version of the table whose location Kernel spells {@code path}. */
  private record SnapshotKey(String path, long version) {
    SnapshotKey {
      requireNonNull(path, "path");
    }
  }

  /**
   * A kept snapshot.
   *
   * @param commit the commit file of its version as a listing showed it; null when read by time
   *     travel, which looks at no commit file
   */
  private record CachedSnapshot(DeltaSnapshot snapshot, CommitFile commit) {
    CachedSnapshot {
      requireNonNull(snapshot, "snapshot");
    }

    int weight() {
      long deletedRows = 0;
      for (DataFile file : snapshot.files()) {
        deletedRows += file.deletedRowPositions().length;
      }
      long weight = 1L + snapshot.files().size() + deletedRows / DELETED_ROWS_PER_UNIT;
      return (int) Math.min(Integer.MAX_VALUE, weight);
    }
  }
}
