package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbQuoting.identifier;
import static io.aquifer.exec.duckdb.DuckDbQuoting.string;
import static java.util.Objects.requireNonNull;

import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.SourceFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node data cache: Delta data files kept as tables of a DuckDB database file attached to the
 * engine, so that a warm query reads DuckDB's own storage instead of decoding Parquet.
 *
 * <p>The unit is one data file of a table. A Delta data file is immutable and its path unique to
 * the table, so a snapshot is exactly the set of its files: an append adds tables for the new files
 * only, a rewrite (DELETE, UPDATE, OVERWRITE) makes the rewritten files' tables unused, and a scan
 * of any bound version, time travel included, reads cached tables for precisely the files the
 * statement bound and Parquet for the others. An entry also records the file's size, and is not
 * used when the file on disk differs. Files with deletion vectors and non-local files are read from
 * Parquet.
 *
 * <p>A query leases the entries it reads (they are not evicted while it runs); after it, the files
 * it read from Parquet are copied into the cache on one background thread, and the least recently
 * used entries are dropped past {@link NodeDataCacheConfig#maxBytes()} (counted in source Parquet
 * bytes). The index of entries lives in the same database file, so the cache survives restarts.
 */
final class DuckDbTableCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbTableCache.class);
  static final String CATALOG = "aquifer_data_cache";
  static final String FILE_NAME = "data-cache.duckdb";
  private static final String INDEX = CATALOG + ".main.aquifer_entries";
  private static final int MAX_SLOTS = 64;

  /**
   * Database files held by a cache of this JVM. DuckDB's file lock does not exclude a second
   * database instance of the same process, so engines of one JVM (in-process nodes) claim here.
   */
  private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

  private final NodeDataCacheConfig config;
  private final Path databaseFile;
  private final DuckDBConnection fillTemplate;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();

  /**
   * Leases whose files are still to be scheduled for copying: a client can have the last row before
   * its query's lease is closed, so {@link #awaitIdle} waits for these too.
   */
  private final java.util.concurrent.atomic.AtomicInteger announced =
      new java.util.concurrent.atomic.AtomicInteger();

  private final ExecutorService filler;
  private final AtomicLong readBytes = new AtomicLong();
  private final AtomicLong filledBytes = new AtomicLong();
  private final AtomicLong evictedFiles = new AtomicLong();
  private long cachedBytes;
  private long clock;
  private volatile boolean closed;

  private static final class Entry {
    final String path;
    final String table;
    final long bytes;
    final long modified;
    long lastUsed;
    int leases;

    Entry(String path, String table, long bytes, long modified, long lastUsed) {
      this.path = path;
      this.table = table;
      this.bytes = bytes;
      this.modified = modified;
      this.lastUsed = lastUsed;
    }
  }

  private DuckDbTableCache(
      NodeDataCacheConfig config, Path databaseFile, DuckDBConnection fillTemplate) {
    this.config = config;
    this.databaseFile = databaseFile;
    this.fillTemplate = fillTemplate;
    this.filler =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "aquifer-data-cache-fill");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Attaches the cache's database file to the engine of {@code connection} (before the engine is
   * locked down) and loads its index. {@code fillTemplate} is duplicated for the background copies.
   */
  static DuckDbTableCache open(
      DuckDBConnection connection, DuckDBConnection fillTemplate, NodeDataCacheConfig config)
      throws SQLException, IOException {
    SQLException last = null;
    for (int slot = 0; slot < MAX_SLOTS; slot++) {
      Path dir = slot == 0 ? config.directory() : config.directory().resolve("slot-" + slot);
      Files.createDirectories(dir);
      Path file = dir.resolve(FILE_NAME);
      if (!CLAIMED.add(file)) {
        continue;
      }
      try {
        attach(connection, file);
      } catch (SQLException e) {
        if (isLockConflict(e)) {
          // Another engine (a node of another process) holds this file: try the next slot.
          CLAIMED.remove(file);
          last = e;
          continue;
        }
        // Not a DuckDB file any more (e.g. damaged): the cache is only a copy, start afresh.
        LOG.warn("node data cache {} cannot be opened, starting empty: {}", file, e.getMessage());
        try {
          moveAside(file);
          attach(connection, file);
        } catch (SQLException | IOException again) {
          CLAIMED.remove(file);
          throw again;
        }
      }
      try {
        DuckDbTableCache cache = new DuckDbTableCache(config, file, fillTemplate);
        try {
          cache.loadIndex(connection);
        } catch (SQLException e) {
          // An index this version cannot read: start afresh, as for a damaged file.
          LOG.warn(
              "node data cache {} has an unreadable index, starting empty: {}",
              file,
              e.getMessage());
          DuckDbEngine.run(connection, "DETACH " + identifier(CATALOG));
          moveAside(file);
          attach(connection, file);
          cache = new DuckDbTableCache(config, file, fillTemplate);
          cache.loadIndex(connection);
        }
        return cache;
      } catch (SQLException | IOException | RuntimeException e) {
        CLAIMED.remove(file);
        throw e;
      }
    }
    throw last != null
        ? last
        : new SQLException("every node data cache slot below " + config.directory() + " is in use");
  }

  private static void attach(DuckDBConnection connection, Path file) throws SQLException {
    DuckDbEngine.run(
        connection, "ATTACH " + string(file.toString()) + " AS " + identifier(CATALOG));
  }

  private static boolean isLockConflict(SQLException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return message.contains("lock");
  }

  /** Renames a database file that cannot be opened (and its write-ahead log) out of the way. */
  private static void moveAside(Path file) throws IOException {
    String suffix = ".broken-" + System.currentTimeMillis();
    for (Path p : List.of(file, file.resolveSibling(file.getFileName() + ".wal"))) {
      if (Files.exists(p)) {
        Files.move(p, p.resolveSibling(p.getFileName() + suffix));
      }
    }
  }

  private void loadIndex(DuckDBConnection connection) throws SQLException {
    DuckDbEngine.run(
        connection,
        "CREATE TABLE IF NOT EXISTS "
            + INDEX
            + " (path VARCHAR PRIMARY KEY, table_name VARCHAR NOT NULL, bytes BIGINT NOT NULL,"
            + " modified BIGINT NOT NULL, last_used BIGINT NOT NULL)");
    Set<String> tables = new java.util.HashSet<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = "
                    + string(CATALOG))) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    List<String> stale = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT path, table_name, bytes, modified, last_used FROM "
                    + INDEX
                    + " ORDER BY last_used")) {
      while (rs.next()) {
        String path = rs.getString(1);
        String table = rs.getString(2);
        if (!tables.contains(table)) {
          stale.add(path);
          continue;
        }
        entries.put(path, new Entry(path, table, rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        cachedBytes += rs.getLong(3);
      }
    }
    for (String path : stale) {
      try (PreparedStatement p =
          connection.prepareStatement("DELETE FROM " + INDEX + " WHERE path = ?")) {
        p.setString(1, path);
        p.executeUpdate();
      }
    }
    LOG.info(
        "node data cache {}: {} files, {} of {}",
        databaseFile,
        entries.size(),
        DuckDbEngineConfig.formatBytes(cachedBytes),
        DuckDbEngineConfig.formatBytes(config.maxBytes()));
  }

  Path databaseFile() {
    return databaseFile;
  }

  /** The cached tables one query reads: held until {@link Lease#close()}. */
  final class Lease implements AutoCloseable {
    private final Map<String, String> tables;
    private final List<Entry> held;
    private final List<String[]> toFill;
    private final long bytes;
    private boolean closed;

    private Lease(Map<String, String> tables, List<Entry> held, List<String[]> toFill, long bytes) {
      this.tables = tables;
      this.held = held;
      this.toFill = toFill;
      this.bytes = bytes;
    }

    /** The qualified cached table of a file of this query, if the query reads the cached form. */
    Optional<String> table(ScanFile file) {
      return Optional.ofNullable(tables.get(file.path()));
    }

    /** Bytes (of source Parquet) this query reads from the cache. */
    long readCacheBytes() {
      return bytes;
    }

    @Override
    public void close() {
      synchronized (DuckDbTableCache.this) {
        if (closed) {
          return;
        }
        closed = true;
        for (Entry e : held) {
          e.leases--;
        }
      }
      try {
        for (String[] file : toFill) {
          scheduleFill(file[0], file[1]);
        }
      } finally {
        if (!toFill.isEmpty()) {
          announced.decrementAndGet();
        }
      }
    }
  }

  /** Leases the cached files of these scans; the others are copied in after the query. */
  Lease lease(List<ScanSpec> scans) {
    Map<String, String> tables = new HashMap<>();
    List<Entry> held = new ArrayList<>();
    List<String[]> toFill = new ArrayList<>();
    long bytes = 0;
    long now = tick();
    for (ScanSpec scan : scans) {
      if (scan.format().kind() != SourceFormat.Kind.PARQUET) {
        continue;
      }
      for (ScanFile file : scan.files()) {
        if (file.deletedRowPositions().length > 0 || tables.containsKey(file.path())) {
          continue;
        }
        Optional<Path> local = localFile(file.path());
        if (local.isEmpty()) {
          continue;
        }
        long size;
        long modified;
        try {
          size = Files.size(local.get());
          modified = Files.getLastModifiedTime(local.get()).toMillis();
        } catch (IOException e) {
          continue; // the scan reports the missing file itself
        }
        synchronized (this) {
          Entry e = entries.get(file.path());
          if (e != null && e.bytes == size && e.modified == modified && !closed) {
            e.leases++;
            e.lastUsed = now;
            held.add(e);
            tables.put(file.path(), qualified(e.table));
            bytes += size;
            continue;
          }
        }
        if (size <= config.maxBytes()) {
          toFill.add(new String[] {file.path(), local.get().toString()});
        }
      }
    }
    readBytes.addAndGet(bytes);
    if (!toFill.isEmpty()) {
      announced.incrementAndGet();
    }
    return new Lease(tables, held, toFill, bytes);
  }

  private static Optional<Path> localFile(String path) {
    if (!path.regionMatches(true, 0, "file:", 0, 5) && !path.startsWith("/")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(DuckDbQuoting.enginePath(path)));
  }

  static String qualified(String table) {
    return identifier(CATALOG) + ".main." + identifier(table);
  }

  private void scheduleFill(String path, String localPath) {
    if (closed || !pending.add(path)) {
      return;
    }
    try {
      filler.execute(
          () -> {
            try {
              fill(path, localPath);
            } catch (SQLException | IOException | RuntimeException e) {
              LOG.warn("node data cache: could not cache {}: {}", path, e.getMessage());
            } finally {
              pending.remove(path);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      pending.remove(path);
    }
  }

  private void fill(String path, String localPath) throws SQLException, IOException {
    if (closed) {
      return;
    }
    long size = Files.size(Path.of(localPath));
    long modified = Files.getLastModifiedTime(Path.of(localPath)).toMillis();
    String table = tableName(path);
    Entry replaced;
    synchronized (this) {
      Entry e = entries.get(path);
      if (e != null && e.bytes == size && e.modified == modified) {
        return;
      }
      replaced = e != null && e.leases == 0 ? entries.remove(path) : null;
      if (e != null && replaced == null) {
        return; // in use with another size: retried by a later query
      }
      if (replaced != null) {
        cachedBytes -= replaced.bytes;
      }
    }
    try (DuckDBConnection c = fillTemplate.duplicate()) {
      DuckDbEngine.run(c, "BEGIN TRANSACTION");
      try {
        DuckDbEngine.run(c, "DROP TABLE IF EXISTS " + qualified(table));
        DuckDbEngine.run(
            c,
            "CREATE TABLE "
                + qualified(table)
                + " AS SELECT * FROM read_parquet("
                + string(localPath)
                + ", hive_partitioning = false)");
        try (PreparedStatement p =
            c.prepareStatement("INSERT OR REPLACE INTO " + INDEX + " VALUES (?, ?, ?, ?, ?)")) {
          p.setString(1, path);
          p.setString(2, table);
          p.setLong(3, size);
          p.setLong(4, modified);
          p.setLong(5, tick());
          p.executeUpdate();
        }
        DuckDbEngine.run(c, "COMMIT");
      } catch (SQLException e) {
        DuckDbEngine.run(c, "ROLLBACK");
        throw e;
      }
      synchronized (this) {
        entries.put(path, new Entry(path, table, size, modified, tick()));
        cachedBytes += size;
      }
      filledBytes.addAndGet(size);
      evict(c, path);
    }
  }

  /** Drops least recently used entries (not leased, not {@code keep}) past the bound. */
  private void evict(DuckDBConnection c, String keep) throws SQLException {
    while (true) {
      Entry victim = null;
      synchronized (this) {
        if (cachedBytes <= config.maxBytes()) {
          break;
        }
        Entry oldest = null;
        for (Entry e : entries.values()) {
          if (e.leases == 0
              && !e.path.equals(keep)
              && (oldest == null || e.lastUsed < oldest.lastUsed)) {
            oldest = e;
          }
        }
        if (oldest == null) {
          break;
        }
        victim = oldest;
        entries.remove(victim.path);
        cachedBytes -= victim.bytes;
      }
      DuckDbEngine.run(c, "DROP TABLE IF EXISTS " + qualified(victim.table));
      try (PreparedStatement p = c.prepareStatement("DELETE FROM " + INDEX + " WHERE path = ?")) {
        p.setString(1, victim.path);
        p.executeUpdate();
      }
      evictedFiles.incrementAndGet();
      LOG.debug("node data cache: evicted {}", victim.path);
    }
  }

  /**
   * The recency clock: wall-clock milliseconds, but strictly increasing, so that two uses in the
   * same millisecond are still ordered.
   */
  private synchronized long tick() {
    clock = Math.max(clock + 1, System.currentTimeMillis());
    return clock;
  }

  static String tableName(String path) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
      return "f_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until no copy is pending and no finished query's copies are still to be scheduled (for
   * tests and benchmarks); false on timeout.
   */
  boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!pending.isEmpty() || announced.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** What the cache holds and has served. */
  synchronized NodeDataCacheStats stats() {
    return new NodeDataCacheStats(
        entries.size(),
        cachedBytes,
        config.maxBytes(),
        readBytes.get(),
        filledBytes.get(),
        evictedFiles.get());
  }

  /** The cached source paths, least recently used first (for tests). */
  synchronized List<String> cachedPaths() {
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.sort(java.util.Comparator.comparingLong(e -> e.lastUsed));
    return sorted.stream().map(e -> e.path).toList();
  }

  @Override
  public void close() {
    closed = true;
    filler.shutdown();
    try {
      if (!filler.awaitTermination(30, TimeUnit.SECONDS)) {
        filler.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Entry> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(entries.values());
    }
    try (DuckDBConnection c = fillTemplate.duplicate();
        PreparedStatement p =
            c.prepareStatement("UPDATE " + INDEX + " SET last_used = ? WHERE path = ?")) {
      for (Entry e : snapshot) {
        p.setLong(1, e.lastUsed);
        p.setString(2, e.path);
        p.executeUpdate();
      }
    } catch (SQLException e) {
      LOG.debug("node data cache: could not save recency", e);
    }
  }

  /** After the engine closed its database: another engine of this JVM may attach the file. */
  void released() {
    CLAIMED.remove(requireNonNull(databaseFile));
  }
}
