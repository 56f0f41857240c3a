package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.CatalogException;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.TableDefinition;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableName;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.exec.duckdb.DuckDbTypes;
import io.aquifer.gateway.execution.ManagedTableLocations;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.TableSchema;
import io.trino.tpch.TpchEntity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Generates the eight TPC-H tables of a scale factor and writes each as a managed Delta table in
 * one catalog schema. Runs inside the process that owns the data directory (it commits to the
 * catalog and to Delta logs).
 *
 * <p>Per table: the catalog row is created CREATING (invisible); the io.trino.tpch generator writes
 * {@code |}-separated text on all threads into a staging folder below the table directory; a
 * private, locked-down DuckDB engine reads the text with explicit types and writes Parquet files of
 * about a million rows with their statistics (large tables go in batches of {@value
 * #PARTS_PER_BATCH} million-row parts, so that at most about a gigabyte of text is on disk at a
 * time); all files become Delta version 0 in one commit; the catalog row turns ACTIVE. On any
 * failure or interruption the table directory is deleted and the catalog row removed, so no half
 * table is ever visible. A killed process leaves a CREATING row that the gateway's start-up
 * recovery removes.
 *
 * <p>Idempotent: a table that exists, was written by this loader for the same scale factor and has
 * the right columns and row count is skipped. Any other table of that name is a {@link
 * TpchErrorCode#TABLE_CONFLICT}: the loader never replaces data it did not write.
 */
public final class TpchDataLoader {
  /** Catalog property on each table: the scale factor it was generated for. */
  public static final String SCALE_FACTOR_PROPERTY = "tpch.scale_factor";

  /** Catalog property on each table: the generator that made it. */
  public static final String GENERATOR_PROPERTY = "tpch.generator";

  static final String GENERATOR = "io.trino.tpch 1.2";
  static final String TEXT_FOLDER = "_aquifer_tpch_text";
  private static final long TARGET_FILE_ROWS = 1_000_000;

  /** Generator parts (about a million rows each) written as text before they become Parquet. */
  static final int PARTS_PER_BATCH = 8;

  private static final long MAX_ENGINE_MEMORY_BYTES = 4L << 30;

  private final CatalogStore catalog;
  private final DeltaTables tables;
  private final ManagedTableLocations locations;
  private final String owner;
  private final int threads;
  private final int partsPerBatch;

  /**
   * @param owner the principal that owns the catalog, schema and tables the loader creates
   */
  public TpchDataLoader(
      CatalogStore catalog, DeltaTables tables, ManagedTableLocations locations, String owner) {
    this(catalog, tables, locations, owner, Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param threads generator threads, also the engine's threads
   */
  public TpchDataLoader(
      CatalogStore catalog,
      DeltaTables tables,
      ManagedTableLocations locations,
      String owner,
      int threads) {
    this(catalog, tables, locations, owner, threads, PARTS_PER_BATCH);
  }

  private TpchDataLoader(
      CatalogStore catalog,
      DeltaTables tables,
      ManagedTableLocations locations,
      String owner,
      int threads,
      int partsPerBatch) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.tables = requireNonNull(tables, "tables");
    this.locations = requireNonNull(locations, "locations");
    this.owner = requireNonNull(owner, "owner");
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1: " + threads);
    }
    this.threads = threads;
    if (partsPerBatch < 1) {
      throw new IllegalArgumentException("partsPerBatch < 1: " + partsPerBatch);
    }
    this.partsPerBatch = partsPerBatch;
  }

  /** For tests: smaller batches, to go through several at a small scale factor. */
  TpchDataLoader withPartsPerBatch(int parts) {
    return new TpchDataLoader(catalog, tables, locations, owner, threads, parts);
  }

  /** Loads into the default schema, {@code samples.tpch_sf<sf>}. */
  public LoadSummary load(TpchScaleFactor scaleFactor, LoadProgress progress) {
    return load(scaleFactor, TpchSchemaName.defaultFor(scaleFactor), progress);
  }

  /**
   * Creates the catalog and schema if missing, then each table that does not exist yet.
   *
   * @throws TpchException TABLE_CONFLICT, LOAD_FAILED or LOAD_INTERRUPTED; tables committed before
   *     the failure stay (each is complete)
   */
  public LoadSummary load(
      TpchScaleFactor scaleFactor, TpchSchemaName target, LoadProgress progress) {
    requireNonNull(scaleFactor, "scaleFactor");
    requireNonNull(target, "target");
    requireNonNull(progress, "progress");
    long start = System.nanoTime();
    catalog.createCatalog(target.catalog(), owner, Optional.of("Sample data sets"), true);
    catalog.createSchema(
        target.catalog(),
        target.schema(),
        owner,
        Optional.of(
            "TPC-H at scale factor "
                + scaleFactor
                + ", generated by "
                + GENERATOR
                + " (derived from TPC-H; not audited TPC results)"),
        true);
    progress.loadStarted(target, scaleFactor, TpchTableSpec.ALL.size());
    List<TableLoadResult> results = new ArrayList<>();
    try (Resources resources = new Resources()) {
      for (TpchTableSpec<?> spec : TpchTableSpec.ALL) {
        results.add(loadTable(spec, scaleFactor, target, progress, resources));
      }
    }
    LoadSummary summary =
        new LoadSummary(target, scaleFactor, results, Duration.ofNanos(System.nanoTime() - start));
    progress.loadFinished(summary);
    return summary;
  }

  private <E extends TpchEntity> TableLoadResult loadTable(
      TpchTableSpec<E> spec,
      TpchScaleFactor scaleFactor,
      TpchSchemaName target,
      LoadProgress progress,
      Resources resources) {
    long start = System.nanoTime();
    TableName name = target.table(spec.name());
    Optional<TableInfo> existing = catalog.getTable(name);
    if (existing.isPresent()) {
      TableLoadResult result = checkExisting(existing.get(), spec, scaleFactor, start);
      progress.tableSkipped(result);
      return result;
    }
    progress.tableStarted(spec.name(), spec.approximateRows(scaleFactor));
    URI location = locations.newLocation(name);
    TableDefinition definition =
        TableDefinition.managed(name, owner, location.toString())
            .withComment(
                "TPC-H "
                    + spec.name()
                    + " at scale factor "
                    + scaleFactor
                    + " (derived from TPC-H; not audited TPC results)")
            .withProperties(
                Map.of(
                    SCALE_FACTOR_PROPERTY, scaleFactor.toString(), GENERATOR_PROPERTY, GENERATOR));
    try {
      catalog.beginCreateTable(definition, false);
    } catch (CatalogException e) {
      throw new TpchException(
          TpchErrorCode.TABLE_CONFLICT,
          "cannot create "
              + name
              + ": "
              + e.getMessage()
              + " (a table left half-created by a killed load is removed when the warehouse"
              + " starts)",
          e);
    }
    TableLoadResult result;
    try {
      Path text = Path.of(location).resolve(TEXT_FOLDER);
      TpchTextGenerator generator = resources.generator();
      int parts = generator.partCount(spec, scaleFactor);
      List<NewDataFile> files = new ArrayList<>();
      long generated = 0;
      // Batches of parts bound the text on disk at large scale factors (SF 1: one batch).
      for (int first = 1; first <= parts; first += partsPerBatch) {
        int last = Math.min(parts, first + partsPerBatch - 1);
        long before = generated;
        TpchTextGenerator.GeneratedText batch =
            generator.generate(
                spec,
                scaleFactor,
                first,
                last,
                parts,
                text,
                rows -> progress.rowsGenerated(spec.name(), before + rows));
        generated += batch.rows();
        progress.tableWriting(spec.name(), generated);
        files.addAll(writeParquet(resources, spec, batch.files(), location));
        deleteRecursively(text);
      }
      long written = files.stream().mapToLong(f -> f.stats().numRecords()).sum();
      if (written != generated) {
        throw new TpchException(
            TpchErrorCode.LOAD_FAILED,
            name + ": generated " + generated + " rows but the Parquet files hold " + written);
      }
      OptionalLong exact = spec.exactRows(scaleFactor);
      if (exact.isPresent() && exact.getAsLong() != written) {
        throw new TpchException(
            TpchErrorCode.LOAD_FAILED,
            name
                + ": generated "
                + written
                + " rows; TPC-H has "
                + exact.getAsLong()
                + " at scale factor "
                + scaleFactor);
      }
      checkInterrupted(name);
      DeltaSnapshot snapshot = tables.create(location, spec.schema(), List.of(), Map.of(), files);
      catalog.commitCreateTable(name);
      result =
          new TableLoadResult(
              name,
              false,
              written,
              files.size(),
              files.stream().mapToLong(NewDataFile::size).sum(),
              snapshot.version(),
              Duration.ofNanos(System.nanoTime() - start));
    } catch (Throwable failure) {
      boolean interrupted = Thread.interrupted() || isInterruption(failure);
      try {
        rollBack(name, location, failure);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      throw asLoadFailure(name, failure, interrupted);
    }
    progress.tableLoaded(result); // committed: a failure from here on keeps the table
    return result;
  }

  /** Deletes what was written of the table and removes its CREATING row. */
  private void rollBack(TableName name, URI location, Throwable failure) {
    try {
      locations.delete(location);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      catalog.abortCreateTable(name);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static boolean isInterruption(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException
          || t instanceof java.io.InterruptedIOException
          || t instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

  private static RuntimeException asLoadFailure(
      TableName name, Throwable failure, boolean interrupted) {
    if (failure instanceof Error error) {
      throw error;
    }
    if (interrupted) {
      return new TpchException(
          TpchErrorCode.LOAD_INTERRUPTED,
          "loading " + name + " was interrupted; nothing of it was kept",
          failure);
    }
    if (failure instanceof TpchException e) {
      return e;
    }
    return new TpchException(
        TpchErrorCode.LOAD_FAILED,
        "loading " + name + " failed; nothing of it was kept: " + failure.getMessage(),
        failure);
  }

  private static void checkInterrupted(TableName name) throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("loading " + name + " was interrupted");
    }
  }

  /** Runs the engine's Parquet write on a pool thread, so that an interrupt can cancel it. */
  private List<NewDataFile> writeParquet(
      Resources resources, TpchTableSpec<?> spec, List<Path> textFiles, URI location)
      throws InterruptedException {
    DuckDbEngine engine = resources.engine();
    String queryId = "tpch-load-" + spec.name() + "-" + UUID.randomUUID();
    WriteFragment fragment =
        new WriteFragment(
            new QueryFragment(queryId, readTextSql(spec.schema(), textFiles), List.of()),
            location,
            spec.schema(),
            TARGET_FILE_ROWS);
    Future<List<NewDataFile>> write = resources.pool().submit(() -> engine.write(fragment));
    try {
      return write.get();
    } catch (InterruptedException e) {
      engine.cancel(queryId);
      awaitQuietly(write);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new TpchException(TpchErrorCode.LOAD_FAILED, "writing Parquet failed: " + cause, cause);
    }
  }

  /** DuckDB reads the text with the table's exact types: no type detection, no quoting. */
  static String readTextSql(TableSchema schema, List<Path> textFiles) {
    String files =
        textFiles.stream()
            .map(p -> DuckDbSql.string(p.toString()))
            .collect(Collectors.joining(", ", "[", "]"));
    String columns =
        schema.columns().stream()
            .map(c -> DuckDbSql.string(c.name()) + ": " + DuckDbSql.string(duckDbType(c.type())))
            .collect(Collectors.joining(", ", "{", "}"));
    return "SELECT * FROM read_csv("
        + files
        + ", delim = '|', header = false, quote = '',"
        + " escape = '', nullstr = '\\N', auto_detect = false, columns = "
        + columns
        + ")";
  }

  private static String duckDbType(DataType type) {
    return DuckDbTypes.toDuckDb(type);
  }

  private TableLoadResult checkExisting(
      TableInfo table, TpchTableSpec<?> spec, TpchScaleFactor scaleFactor, long start) {
    String madeFor = table.properties().get(SCALE_FACTOR_PROPERTY);
    if (madeFor == null || !sameScaleFactor(madeFor, scaleFactor)) {
      throw new TpchException(
          TpchErrorCode.TABLE_CONFLICT,
          table.name()
              + " exists but was not loaded as TPC-H at scale factor "
              + scaleFactor
              + (madeFor == null ? "" : " (it holds scale factor " + madeFor + ")")
              + "; drop it or load into another schema with --schema");
    }
    URI location = URI.create(table.location().orElseThrow());
    DeltaSnapshot snapshot = tables.latest(location);
    if (!sameColumns(snapshot.schema(), spec.schema())) {
      throw new TpchException(
          TpchErrorCode.TABLE_CONFLICT,
          table.name()
              + " exists with other columns than TPC-H "
              + spec.name()
              + "; drop it or load into another schema with --schema");
    }
    long rows = rowCount(snapshot);
    OptionalLong exact = spec.exactRows(scaleFactor);
    if (rows < 0 || (exact.isPresent() && rows != exact.getAsLong())) {
      throw new TpchException(
          TpchErrorCode.TABLE_CONFLICT,
          table.name()
              + " exists with "
              + (rows < 0 ? "an unknown number of" : Long.toString(rows))
              + " rows, not the "
              + exact.orElse(-1)
              + " of TPC-H at scale factor "
              + scaleFactor
              + "; drop it or load into another schema with --schema");
    }
    return new TableLoadResult(
        table.name(),
        true,
        rows,
        snapshot.files().size(),
        snapshot.files().stream().mapToLong(DataFile::size).sum(),
        snapshot.version(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static boolean sameScaleFactor(String property, TpchScaleFactor scaleFactor) {
    try {
      return TpchScaleFactor.parse(property).equals(scaleFactor);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean sameColumns(TableSchema actual, TableSchema expected) {
    if (actual.columns().size() != expected.columns().size()) {
      return false;
    }
    for (int i = 0; i < expected.columns().size(); i++) {
      Column a = actual.columns().get(i);
      Column e = expected.columns().get(i);
      if (!a.name().equalsIgnoreCase(e.name()) || !a.type().equals(e.type())) {
        return false;
      }
    }
    return true;
  }

  /** Live rows of a snapshot from its file statistics; -1 if a file has none. */
  static long rowCount(DeltaSnapshot snapshot) {
    long rows = 0;
    for (DataFile file : snapshot.files()) {
      if (file.stats().isEmpty()) {
        return -1;
      }
      rows += file.stats().get().numRecords() - file.deletedRowPositions().length;
    }
    return rows;
  }

  private static void awaitQuietly(Future<?> future) {
    boolean interrupted = false;
    while (true) {
      try {
        future.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }

  /**
   * The thread pool, text generator and engine of one load, made when first needed. The engine
   * starts in the background as soon as the first table is generated, so its start-up overlaps with
   * the generation.
   */
  private final class Resources implements AutoCloseable {
    private ExecutorService pool;
    private TpchTextGenerator generator;
    private CompletableFuture<DuckDbEngine> engine;
    private Path engineTemp;

    ExecutorService pool() {
      if (pool == null) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory =
            r -> {
              Thread t = new Thread(r, "tpch-load-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            };
        pool = Executors.newFixedThreadPool(threads, factory);
      }
      return pool;
    }

    TpchTextGenerator generator() {
      if (generator == null) {
        generator = new TpchTextGenerator(pool(), threads);
        startEngine();
      }
      return generator;
    }

    DuckDbEngine engine() throws InterruptedException {
      startEngine();
      try {
        return engine.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        throw new TpchException(
            TpchErrorCode.LOAD_FAILED, "the DuckDB engine did not start: " + cause, cause);
      }
    }

    private void startEngine() {
      if (engine != null) {
        return;
      }
      try {
        engineTemp = Files.createTempDirectory("aquifer-tpch-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory for the engine", e);
      }
      DuckDbEngineConfig defaults =
          DuckDbEngineConfig.defaults(List.of(locations.root()), engineTemp);
      long memory = Math.min(defaults.nodeMemoryLimitBytes(), MAX_ENGINE_MEMORY_BYTES);
      DuckDbEngineConfig config = defaults.withMemoryLimits(memory, memory).withThreads(threads);
      engine = new CompletableFuture<>();
      Thread starter =
          new Thread(
              () -> {
                try {
                  engine.complete(new DuckDbEngine(config));
                } catch (Throwable t) {
                  engine.completeExceptionally(t);
                }
              },
              "tpch-load-engine-start");
      starter.setDaemon(true);
      starter.start();
    }

    @Override
    public void close() {
      if (pool != null) {
        pool.shutdownNow();
      }
      if (engine != null) {
        try {
          engine.join().close();
        } catch (RuntimeException e) {
          // It did not start: nothing to close.
        }
      }
      if (engineTemp != null) {
        try {
          deleteRecursively(engineTemp);
        } catch (UncheckedIOException e) {
          // A leftover empty temp folder is harmless.
        }
      }
    }
  }
}
