package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbQuoting.identifier;
import static io.aquifer.exec.duckdb.DuckDbQuoting.string;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.NativeEngine;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.WriteFragment;
import io.aquifer.storage.delta.NewDataFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.duckdb.DuckDBResultSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DuckDB engine of a warehouse node: one in-memory DuckDB database, locked down at start-up to
 * the configured data and temp directories, with configuration locked.
 *
 * <p>Each query runs on its own connection (a duplicate of a configured template connection, so it
 * inherits the per-connection settings that cannot be changed after the lock). There is one
 * template per time zone a fragment can ask for ({@link DuckDbZoneConnections}), since {@code
 * TimeZone} is such a setting: casts between TIMESTAMP (TIMESTAMPTZ) and TIMESTAMP_NTZ or strings,
 * field extraction and formatting then follow the session's zone. The scans become temporary views
 * of that connection, the engine SQL runs with a streaming result, and the result is exported as
 * Arrow batches while it is being computed.
 *
 * <p>Memory: {@code memory_limit} bounds all queries of the node together (buffer-managed memory
 * and aggregate states); a query that needs more fails with OUT_OF_MEMORY naming the node limit.
 * Per query, DuckDB offers {@code operator_memory_limit} (a per-connection spill threshold for hash
 * tables and sorts, not a hard limit), and the engine enforces a hard limit on the Arrow batch a
 * query holds in the JVM. See {@link DuckDbEngineConfig}.
 */
public final class DuckDbEngine implements NativeEngine {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbEngine.class);

  private final DuckDbEngineConfig config;
  private final DuckDBConnection streamingTemplate;
  private final DuckDBConnection materializingTemplate;
  private final DuckDbZoneConnections streamingZones;
  private final DuckDbZoneConnections materializingZones;
  private final DuckDbErrorTranslator errors;
  private final RunningQueries queries;
  private final DuckDbParquetWriter writer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final DuckDbTableCache dataCache;

  private final ScanFileLocalizer localizer;
  private final java.util.Optional<io.aquifer.storage.cache.NodeDiskCache> diskCache;

  public DuckDbEngine(DuckDbEngineConfig config) {
    this(config, java.util.Optional.empty());
  }

  /**
   * An engine that reads files of object stores through {@code diskCache} (DuckDB reads only local
   * files; the cache's directory is added to the directories it may read).
   */
  public DuckDbEngine(
      DuckDbEngineConfig config,
      java.util.Optional<io.aquifer.storage.cache.NodeDiskCache> diskCache) {
    this(config, diskCache, java.util.Optional.empty());
  }

  /**
   * An engine with a node data cache ({@link DuckDbTableCache}) as well: its database file is
   * attached before the engine is locked down, and its directory is allowed besides the data
   * directories.
   */
  public DuckDbEngine(
      DuckDbEngineConfig config,
      java.util.Optional<io.aquifer.storage.cache.NodeDiskCache> diskCache,
      java.util.Optional<NodeDataCacheConfig> dataCacheConfig) {
    this.config = config;
    this.diskCache = diskCache;
    this.localizer = new ScanFileLocalizer(diskCache);
    this.errors = new DuckDbErrorTranslator(config);
    DuckDbConnectionInterrupter interrupter = DuckDbConnectionInterrupter.create();
    this.queries = new RunningQueries(interrupter);
    DuckDBConnection streaming = null;
    DuckDBConnection materializing = null;
    DuckDbZoneConnections streamingByZone = null;
    DuckDbZoneConnections materializingByZone = null;
    DuckDbTableCache cache = null;
    try {
      Files.createDirectories(config.tempDirectory());
      for (Path dir : config.dataDirectories()) {
        Files.createDirectories(dir);
      }
      Properties properties = new Properties();
      properties.setProperty("jdbc_stream_results", "true");
      streaming = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:", properties);
      DuckDbJavaFunctions.register(streaming);
      run(streaming, "SET GLOBAL memory_limit = " + string(config.nodeMemoryLimitBytes() + "B"));
      run(streaming, "SET GLOBAL threads = " + config.threads());
      run(streaming, "SET GLOBAL temp_directory = " + string(config.tempDirectory().toString()));
      run(streaming, "SET GLOBAL TimeZone = 'UTC'");
      run(streaming, "SET SESSION TimeZone = 'UTC'");
      run(
          streaming,
          "SET SESSION operator_memory_limit = " + string(config.queryMemoryLimitBytes() + "B"));
      materializing = streaming.duplicate();
      run(materializing, "SET SESSION jdbc_stream_results = false");
      if (config.engineProfiles()) {
        // Queries (not writes) keep their operator profile for query history; the duplicates a
        // query runs on inherit it, as the setting cannot change once configuration is locked.
        run(streaming, "SET SESSION enable_profiling = 'no_output'");
        run(streaming, "SET SESSION tracked_metrics = ['operator.*']");
      }
      streamingByZone = DuckDbZoneConnections.prepare(streaming);
      materializingByZone = DuckDbZoneConnections.prepare(materializing);
      if (dataCacheConfig.isPresent()) {
        cache = DuckDbTableCache.open(streaming, materializing, dataCacheConfig.get());
      }
      lockDown(streaming, cache);
    } catch (SQLException | IOException e) {
      closeQuietly(cache);
      closeQuietly(materializingByZone);
      closeQuietly(streamingByZone);
      closeQuietly(materializing);
      closeQuietly(streaming);
      if (cache != null) {
        cache.released();
      }
      throw new ExecException(
          ExecErrorCode.NODE_UNAVAILABLE,
          "The DuckDB engine failed to start: " + e.getMessage(),
          e);
    }
    this.streamingTemplate = streaming;
    this.materializingTemplate = materializing;
    this.streamingZones = streamingByZone;
    this.materializingZones = materializingByZone;
    this.dataCache = cache;
    this.writer = new DuckDbParquetWriter(errors, queries, config.dataDirectories());
    LOG.info(
        "DuckDB engine started: memory limit {}, per-query {}, {} threads, data directories {}",
        DuckDbEngineConfig.formatBytes(config.nodeMemoryLimitBytes()),
        DuckDbEngineConfig.formatBytes(config.queryMemoryLimitBytes()),
        config.threads(),
        config.dataDirectories());
  }

  private void lockDown(DuckDBConnection connection, DuckDbTableCache cache) throws SQLException {
    List<Path> allowed = new ArrayList<>(config.dataDirectories());
    allowed.add(config.tempDirectory());
    diskCache.ifPresent(disk -> allowed.add(disk.directory()));
    if (cache != null) {
      allowed.add(cache.databaseFile().getParent());
    }
    String directories =
        allowed.stream()
            .map(p -> string(p.toString().endsWith("/") ? p.toString() : p + "/"))
            .collect(Collectors.joining(", ", "[", "]"));
    run(connection, "SET allowed_directories = " + directories);
    run(connection, "SET enable_external_access = false");
    run(connection, "SET autoinstall_known_extensions = false");
    run(connection, "SET autoload_known_extensions = false");
    run(connection, "SET allow_community_extensions = false");
    run(connection, "SET lock_configuration = true");
  }

  public DuckDbEngineConfig config() {
    return config;
  }

  @Override
  public ArrowReader execute(QueryFragment fragment, BufferAllocator allocator) {
    return execute(fragment, allocator, Map.of());
  }

  /**
   * Runs a fragment that also reads rows given as Arrow streams, each under its relation name (a
   * system table's rows, {@link io.aquifer.exec.compile.DuckDbPlanCompiler#compileOverRows}). The
   * rows are copied into temporary tables of the query's own connection first, so that the query
   * may read each more than once. The readers are closed.
   */
  public ArrowReader execute(
      QueryFragment fragment, BufferAllocator allocator, Map<String, ArrowReader> rows) {
    try {
      return run(fragment, allocator, rows);
    } finally {
      rows.values().forEach(DuckDbEngine::closeQuietly);
    }
  }

  private ArrowReader run(
      QueryFragment fragment, BufferAllocator allocator, Map<String, ArrowReader> rows) {
    ensureOpen();
    RunningQuery query = queries.start(fragment.queryId());
    QueryResources resources = new QueryResources(query);
    try {
      query.throwIfCanceled();
      DuckDBConnection connection = resources.connect(streamingZones.template(fragment.timeZone()));
      EngineSqlGuard.checkSingleSelect(connection, fragment.engineSql());
      ScanFileLocalizer.Localized local = localizer.localize(fragment.scans());
      resources.lease(local.lease());
      DuckDbScanViews.CachedFiles cached = DuckDbScanViews.CachedFiles.NONE;
      java.util.function.Supplier<io.aquifer.storage.cache.DiskCacheReads> reads = local.reads();
      if (dataCache != null) {
        DuckDbTableCache.Lease lease = resources.dataLease(dataCache.lease(fragment.scans()));
        cached = lease::table;
        if (lease.files() > 0) {
          // Query history's read_cache_bytes counts both caches: object-store files found in the
          // disk cache and data files read from the node data cache's tables.
          io.aquifer.storage.cache.DiskCacheReads fromTables =
              new io.aquifer.storage.cache.DiskCacheReads(
                  lease.files(), 0, lease.readCacheBytes(), 0);
          java.util.function.Supplier<io.aquifer.storage.cache.DiskCacheReads> disk = reads;
          reads = () -> disk.get().plus(fromTables);
        }
      }
      createViews(connection, local.scans(), cached);
      for (Map.Entry<String, ArrowReader> relation : rows.entrySet()) {
        loadRows(connection, relation.getKey(), relation.getValue(), allocator);
        query.throwIfCanceled();
      }
      query.throwIfCanceled();
      Statement statement = resources.statement(connection.createStatement());
      query.running(connection, statement);
      ResultSet result;
      try {
        result =
            resources.result(
                statement.executeQuery(
                    fragment.profile()
                        ? "EXPLAIN (ANALYZE, FORMAT JSON) "
                            + EngineSqlGuard.withoutTrailingSemicolons(fragment.engineSql())
                        : fragment.engineSql()));
      } catch (SQLException e) {
        if (!query.isCanceled() && DuckDbErrorTranslator.isLostStreamingError(e)) {
          throw diagnoseLostError(fragment, local.scans(), query, resources, e);
        }
        throw e;
      }
      query.throwIfCanceled();
      BufferAllocator queryAllocator =
          resources.allocator(
              allocator.newChildAllocator("query-" + fragment.queryId(), 0, Long.MAX_VALUE));
      ArrowReader source =
          resources.source(
              (ArrowReader)
                  ((DuckDBResultSet) result)
                      .arrowExportStream(queryAllocator, config.arrowBatchRows()));
      return new DuckDbResultReader(
          queryAllocator,
          source,
          query,
          errors,
          config.queryMemoryLimitBytes(),
          resources,
          reads,
          config.engineProfiles() && !fragment.profile()
              ? () -> engineProfile(connection)
              : java.util.Optional::empty);
    } catch (Throwable t) {
      resources.close();
      if (query.isCanceled()) {
        throw query.canceledException(t);
      }
      throw errors.translate(t);
    }
  }

  /** The profile of the query the connection ran last, as DuckDB's JSON; empty if none. */
  private static java.util.Optional<String> engineProfile(DuckDBConnection connection) {
    try {
      String json = connection.getProfilingInformation(org.duckdb.ProfilerPrintFormat.JSON);
      return json == null || json.isBlank()
          ? java.util.Optional.empty()
          : java.util.Optional.of(json);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("no engine profile: {}", e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /** Copies an Arrow stream into a temporary table {@code name} of the connection. */
  private static void loadRows(
      DuckDBConnection connection, String name, ArrowReader reader, BufferAllocator allocator)
      throws SQLException {
    String stream = name + "_stream";
    try (ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, reader, exported);
      connection.registerArrowStream(stream, exported);
      run(
          connection,
          "CREATE TEMPORARY TABLE " + identifier(name) + " AS SELECT * FROM " + identifier(stream));
    }
  }

  /**
   * DuckDB JDBC 2.0.0.1 drops the message of an error raised while a streaming query starts. The
   * query is run once more without streaming, reduced to one row, only to learn the error.
   */
  private ExecException diagnoseLostError(
      QueryFragment fragment,
      List<ScanSpec> scans,
      RunningQuery query,
      QueryResources resources,
      SQLException lost) {
    DuckDBConnection probe = null;
    try {
      probe = materializingZones.template(fragment.timeZone()).duplicate();
      query.attach(probe);
      createViews(probe, scans);
      String sql =
          "SELECT max(hash(COLUMNS(*))) FROM ("
              + EngineSqlGuard.withoutTrailingSemicolons(fragment.engineSql())
              + "\n) AS aquifer_probe";
      try (Statement statement = probe.createStatement()) {
        query.running(probe, statement);
        statement.executeQuery(sql).close();
      }
      return new ExecException(
          ExecErrorCode.ENGINE_ERROR,
          "The query failed in the engine, which did not report the cause",
          lost);
    } catch (SQLException e) {
      return query.isCanceled() ? query.canceledException(e) : errors.translate(e);
    } finally {
      if (probe != null) {
        query.detach(probe);
        closeQuietly(probe);
      }
    }
  }

  static void createViews(DuckDBConnection connection, List<ScanSpec> scans) throws SQLException {
    createViews(connection, scans, DuckDbScanViews.CachedFiles.NONE);
  }

  static void createViews(
      DuckDBConnection connection, List<ScanSpec> scans, DuckDbScanViews.CachedFiles cached)
      throws SQLException {
    for (ScanSpec scan : scans) {
      if (scan.format().kind() == io.aquifer.exec.SourceFormat.Kind.AVRO
          || scan.format().kind() == io.aquifer.exec.SourceFormat.Kind.ORC
          || scan.format().kind() == io.aquifer.exec.SourceFormat.Kind.XML) {
        // The engine has no Avro, ORC or XML reader: the node reads each file into a temporary
        // table
        // of the query's connection, which the scan then reads as it reads cached Parquet files.
        Map<String, String> tables = NodeReadFileTables.load(connection, scan);
        DuckDbScanViews.CachedFiles outer = cached;
        DuckDbScanViews.CachedFiles avro =
            file ->
                tables.containsKey(file.path())
                    ? java.util.Optional.of(tables.get(file.path()))
                    : outer.table(file);
        ScanSpec parquet =
            new ScanSpec(
                scan.relationName(),
                scan.columns(),
                scan.files(),
                scan.format().withKind(io.aquifer.exec.SourceFormat.Kind.PARQUET));
        run(connection, DuckDbScanViews.createViewSql(parquet, avro));
        continue;
      }
      run(
          connection,
          DuckDbScanViews.createViewSql(
              scan, cached, DuckDbScanViews.csvHeaderNames(connection, scan)));
    }
  }

  /** What the node data cache holds and has served; empty without one. */
  public java.util.Optional<NodeDataCacheStats> dataCacheStats() {
    return java.util.Optional.ofNullable(dataCache).map(DuckDbTableCache::stats);
  }

  /**
   * Waits until the node data cache has copied in what past queries read (benchmarks, tests); true
   * at once without a cache.
   */
  public boolean awaitDataCacheIdle(java.time.Duration timeout) throws InterruptedException {
    return dataCache == null || dataCache.awaitIdle(timeout.toMillis());
  }

  /**
   * Which of these data files the node data cache holds now; empty without a cache. The gateway
   * asks this at planning time to decide, per table, which files its scans read from the cache.
   */
  @Override
  public java.util.Optional<java.util.Set<String>> dataCacheHolding(
      java.util.Collection<String> paths) {
    return dataCache == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(dataCache.holding(paths));
  }

  /** Bytes of source Parquet read from the node data cache since start; 0 without one. */
  public long readCacheBytes() {
    return dataCache == null ? 0 : dataCache.stats().readBytes();
  }

  @Override
  public List<NewDataFile> write(WriteFragment fragment) {
    return write(fragment, reads -> {});
  }

  @Override
  public List<NewDataFile> write(
      WriteFragment fragment,
      java.util.function.Consumer<io.aquifer.storage.cache.DiskCacheReads> reads) {
    ensureOpen();
    // Scans of object-store files read the disk cache's copies, held until the write is done.
    ScanFileLocalizer.Localized local = localizer.localize(fragment.query().scans());
    try (AutoCloseable lease = local.lease()) {
      io.aquifer.exec.QueryFragment query =
          new io.aquifer.exec.QueryFragment(
              fragment.query().queryId(),
              fragment.query().engineSql(),
              local.scans(),
              fragment.query().timeZone());
      WriteFragment localized =
          new WriteFragment(
              query,
              fragment.targetDirectory(),
              fragment.targetSchema(),
              fragment.targetFileRows(),
              fragment.partitionColumns());
      DuckDBConnection template = materializingZones.template(fragment.query().timeZone());
      List<NewDataFile> files =
          ObjectStoreTableWriter.isObjectStore(fragment.targetDirectory())
              ? new ObjectStoreTableWriter(config.dataDirectories().get(0))
                  .write(localized, f -> writer.write(f, template))
              : writer.write(localized, template);
      reads.accept(local.reads().get());
      return files;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ExecException(ExecErrorCode.ENGINE_ERROR, "write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void cancel(String queryId) {
    queries.cancel(queryId);
  }

  @Override
  public void checkHealth() {
    ensureOpen();
  }

  /** Number of queries and writes currently running. */
  public int runningQueries() {
    return queries.runningCount();
  }

  /**
   * Number of fragments (queries and writes) this engine has started since it started (for tests
   * and diagnostics: a statement's engine work is one fragment).
   */
  public long startedQueries() {
    return queries.startedCount();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    queries.close();
    closeQuietly(dataCache);
    closeQuietly(materializingZones);
    closeQuietly(streamingZones);
    closeQuietly(materializingTemplate);
    closeQuietly(streamingTemplate);
    if (dataCache != null) {
      dataCache.released();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new ExecException(ExecErrorCode.NODE_UNAVAILABLE, "The engine is closed");
    }
  }

  /** Runs one statement on a fresh Statement (a failed DuckDB Statement closes itself). */
  static void run(DuckDBConnection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("closing {} failed", closeable.getClass().getSimpleName(), e);
    }
  }

  /** What one query holds, closed in reverse order when its reader closes or it fails. */
  private final class QueryResources implements AutoCloseable {
    private final RunningQuery query;
    private DuckDBConnection connection;
    private Statement statement;
    private ResultSet result;
    private BufferAllocator allocator;
    private ArrowReader source;
    private AutoCloseable lease;
    private DuckDbTableCache.Lease dataLease;
    private boolean closed;

    QueryResources(RunningQuery query) {
      this.query = query;
    }

    DuckDBConnection connect(DuckDBConnection template) throws SQLException {
      connection = template.duplicate();
      query.attach(connection);
      return connection;
    }

    Statement statement(Statement s) {
      return statement = s;
    }

    ResultSet result(ResultSet r) {
      return result = r;
    }

    BufferAllocator allocator(BufferAllocator a) {
      return allocator = a;
    }

    ArrowReader source(ArrowReader r) {
      return source = r;
    }

    /** Disk-cache files the query reads, released when it ends. */
    void lease(AutoCloseable l) {
      lease = l;
    }

    /** Node data cache tables the query reads, released when it ends. */
    DuckDbTableCache.Lease dataLease(DuckDbTableCache.Lease l) {
      return dataLease = l;
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      DuckDbEngine.closeQuietly(source);
      DuckDbEngine.closeQuietly(result);
      DuckDbEngine.closeQuietly(statement);
      if (connection != null) {
        query.detach(connection);
        DuckDbEngine.closeQuietly(connection);
      }
      DuckDbEngine.closeQuietly(dataLease);
      if (allocator != null) {
        try {
          allocator.close();
        } catch (RuntimeException e) {
          LOG.error("query {} leaked Arrow memory: {}", query.queryId(), e.getMessage());
        }
      }
      DuckDbEngine.closeQuietly(lease);
      queries.finish(query);
    }
  }
}
