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
 * it read from Parquet are copied into the cache on one background thread, and entries are dropped
 * past {@link NodeDataCacheConfig#maxBytes()} (counted in source Parquet bytes) by recency and cost
 * (see {@link #reReadCostPerByte}). The index of entries lives in the same database file, so the
 * cache survives restarts.
 *
 * <p>Eviction is GreedyDual-Size: each entry has a priority, set on every fill and use to the
 * cache's inflation value plus its re-read cost per cached byte; the entry with the lowest priority
 * goes first (the least recently used among equal ones), and the inflation value rises to the
 * priority of each entry evicted. With equal costs this is least recently used; an entry that is
 * expensive to read again (many rows per byte of Parquet to decode) outlives cheaper ones used
 * about as recently, but not ones used much later, since each eviction raises what a use is worth.
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
  private final AtomicLong fallbackFiles = new AtomicLong();
  private long cachedBytes;
  private long clock;

  /** GreedyDual-Size's inflation value: the priority of the last entry evicted. */
  private double inflation;

  /**
   * What re-reading one row costs, in bytes of Parquet read: decoding a row's values costs about as
   * much as reading this many bytes.
   */
  static final double ROW_COST_BYTES = 8;

  private volatile boolean closed;

  private static final class Entry {
    final String path;
    final String table;
    final long bytes;
    final long modified;
    final long rows;
    long lastUsed;
    double priority;
    int leases;

    Entry(
        String path,
        String table,
        long bytes,
        long modified,
        long rows,
        long lastUsed,
        double priority) {
      this.path = path;
      this.table = table;
      this.bytes = bytes;
      this.modified = modified;
      this.rows = rows;
      this.lastUsed = lastUsed;
      this.priority = priority;
    }
  }

  /**
   * The cost of reading a file again from Parquet per byte it takes in the cache (counted, like the
   * limit, in source Parquet bytes): its bytes read plus its rows decoded, at {@link
   * #ROW_COST_BYTES} per row, divided by its bytes. At least 1.
   */
  static double reReadCostPerByte(long bytes, long rows) {
    long size = Math.max(1, bytes);
    return (size + ROW_COST_BYTES * Math.max(0, rows)) / size;
  }

  private double priorityOf(long bytes, long rows) {
    return inflation + reReadCostPerByte(bytes, rows);
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
    // Added after the first release: an index without them reads as 0 rows and priority 0.
    DuckDbEngine.run(
        connection,
        "ALTER TABLE " + INDEX + " ADD COLUMN IF NOT EXISTS row_count BIGINT DEFAULT 0");
    DuckDbEngine.run(
        connection, "ALTER TABLE " + INDEX + " ADD COLUMN IF NOT EXISTS priority DOUBLE DEFAULT 0");
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
                "SELECT path, table_name, bytes, modified, last_used, row_count, priority FROM "
                    + INDEX
                    + " ORDER BY last_used")) {
      while (rs.next()) {
        String path = rs.getString(1);
        String table = rs.getString(2);
        if (!tables.contains(table)) {
          stale.add(path);
          continue;
        }
        Entry e =
            new Entry(
                path,
                table,
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(6),
                rs.getLong(5),
                rs.getDouble(7));
        entries.put(path, e);
        cachedBytes += e.bytes;
        // Continue from the lowest priority kept, so new uses rank above the entries kept.
        inflation = entries.size() == 1 ? e.priority : Math.min(inflation, e.priority);
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
    private final int fallbacks;
    private boolean closed;

    private Lease(
        Map<String, String> tables,
        List<Entry> held,
        List<String[]> toFill,
        long bytes,
        int fallbacks) {
      this.tables = tables;
      this.held = held;
      this.toFill = toFill;
      this.bytes = bytes;
      this.fallbacks = fallbacks;
    }

    /** Files this query reads from the cache. */
    int files() {
      return held.size();
    }

    /** Files decided for the cache that this query reads from Parquet, since they were gone. */
    int fallbacks() {
      return fallbacks;
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

  /**
   * Leases the cached files of these scans; the others are copied in after the query. A scan that
   * carries the gateway's decision ({@link ScanSpec#dataCacheFiles()}) reads from the cache only
   * the files decided for it: one of those the cache no longer holds (evicted, or its file changed
   * since the decision) is read from Parquet and counted in {@link
   * NodeDataCacheStats#fallbackFiles()}.
   */
  Lease lease(List<ScanSpec> scans) {
    Map<String, String> tables = new HashMap<>();
    List<Entry> held = new ArrayList<>();
    List<String[]> toFill = new ArrayList<>();
    long bytes = 0;
    int fallbacks = 0;
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
        boolean decided = scan.dataCacheFiles() != null;
        boolean wanted = !decided || scan.dataCacheFiles().contains(file.path());
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
          boolean current = e != null && e.bytes == size && e.modified == modified && !closed;
          if (current && wanted) {
            e.leases++;
            e.lastUsed = now;
            e.priority = priorityOf(e.bytes, e.rows);
            held.add(e);
            tables.put(file.path(), qualified(e.table));
            bytes += size;
            continue;
          }
          if (decided && wanted) {
            fallbacks++;
            LOG.debug("node data cache: {} was decided for the cache but is gone", file.path());
          }
          if (current) {
            continue; // the gateway chose Parquet for a file held since: nothing to copy
          }
        }
        if (size <= config.maxBytes()) {
          toFill.add(new String[] {file.path(), local.get().toString()});
        }
      }
    }
    readBytes.addAndGet(bytes);
    fallbackFiles.addAndGet(fallbacks);
    if (!toFill.isEmpty()) {
      announced.incrementAndGet();
    }
    return new Lease(tables, held, toFill, bytes, fallbacks);
  }

  /**
   * Which of these data files the cache holds now, in their current form (what the gateway asks at
   * planning time). Files that are not local or changed since they were cached are not held.
   */
  Set<String> holding(java.util.Collection<String> paths) {
    Set<String> out = new java.util.HashSet<>();
    for (String path : paths) {
      Entry e;
      synchronized (this) {
        e = closed ? null : entries.get(path);
      }
      if (e == null) {
        continue;
      }
      Optional<Path> local = localFile(path);
      try {
        if (local.isPresent()
            && Files.size(local.get()) == e.bytes
            && Files.getLastModifiedTime(local.get()).toMillis() == e.modified) {
          out.add(path);
        }
      } catch (IOException ignored) {
        // gone: not held
      }
    }
    return out;
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
    long rows;
    long lastUsed;
    double priority;
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
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM " + qualified(table))) {
          rs.next();
          rows = rs.getLong(1);
        }
        lastUsed = tick();
        synchronized (this) {
          priority = priorityOf(size, rows);
        }
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT OR REPLACE INTO "
                    + INDEX
                    + " (path, table_name, bytes, modified, last_used, row_count, priority)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          p.setString(1, path);
          p.setString(2, table);
          p.setLong(3, size);
          p.setLong(4, modified);
          p.setLong(5, lastUsed);
          p.setLong(6, rows);
          p.setDouble(7, priority);
          p.executeUpdate();
        }
        DuckDbEngine.run(c, "COMMIT");
      } catch (SQLException e) {
        DuckDbEngine.run(c, "ROLLBACK");
        throw e;
      }
      synchronized (this) {
        entries.put(path, new Entry(path, table, size, modified, rows, lastUsed, priority));
        cachedBytes += size;
      }
      filledBytes.addAndGet(size);
      evict(c, path);
    }
  }

  /**
   * Drops entries (not leased, not {@code keep}) past the bound: lowest priority first, the least
   * recently used among equal ones.
   */
  private void evict(DuckDBConnection c, String keep) throws SQLException {
    while (true) {
      Entry victim = null;
      synchronized (this) {
        if (cachedBytes <= config.maxBytes()) {
          break;
        }
        Entry lowest = null;
        for (Entry e : entries.values()) {
          if (e.leases == 0
              && !e.path.equals(keep)
              && (lowest == null
                  || e.priority < lowest.priority
                  || (e.priority == lowest.priority && e.lastUsed < lowest.lastUsed))) {
            lowest = e;
          }
        }
        if (lowest == null) {
          break;
        }
        victim = lowest;
        entries.remove(victim.path);
        cachedBytes -= victim.bytes;
        inflation = Math.max(inflation, victim.priority);
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
        evictedFiles.get(),
        fallbackFiles.get());
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
            c.prepareStatement(
                "UPDATE " + INDEX + " SET last_used = ?, priority = ? WHERE path = ?")) {
      for (Entry e : snapshot) {
        p.setLong(1, e.lastUsed);
        p.setDouble(2, e.priority);
        p.setString(3, e.path);
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
