package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.TableName;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.exec.duckdb.DuckDbTypes;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
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
 * Generates the eight TPC-H tables of a scale factor and loads each into a running warehouse the
 * way a client would: through SQL statements to the gateway, which creates and commits every table
 * (so the server keeps running and there is one commit path).
 *
 * <p>Per table: the io.trino.tpch generator writes {@code |}-separated text on all threads into a
 * staging folder (below one of the server's external locations, so that its warehouse nodes may
 * read it); a private, locked-down DuckDB engine reads the text with explicit types and writes
 * Parquet files of about a million rows next to it (large tables in batches of {@value
 * #PARTS_PER_BATCH} million-row parts, so that at most about a gigabyte of text is on disk at a
 * time); then {@code CREATE TABLE} with the exact TPC-H columns and {@code COPY INTO table FROM
 * 'staging' FILEFORMAT = PARQUET} make the gateway write and commit all rows in one Delta commit.
 * The staging folder is deleted afterwards. On any failure or interruption the table is dropped
 * again, so no half table stays; a killed load can leave an empty table (marked with the loader's
 * properties), which the next load fills.
 *
 * <p>Idempotent: a table that exists, was written by this loader for the same scale factor and has
 * the right columns and row count is skipped. Any other table of that name is a {@link
 * TpchErrorCode#TABLE_CONFLICT}: the loader never replaces data it did not write.
 */
public final class TpchDataLoader {
  /** Table property on each table: the scale factor it was generated for. */
  public static final String SCALE_FACTOR_PROPERTY = "tpch.scale_factor";

  /** Table property on each table: the generator that made it. */
  public static final String GENERATOR_PROPERTY = "tpch.generator";

  static final String GENERATOR = "io.trino.tpch 1.2";
  static final String TEXT_FOLDER = "text";
  static final String PARQUET_FOLDER = "parquet";
  private static final long TARGET_FILE_ROWS = 1_000_000;

  /** Generator parts (about a million rows each) written as text before they become Parquet. */
  static final int PARTS_PER_BATCH = 8;

  private static final long MAX_ENGINE_MEMORY_BYTES = 4L << 30;

  private final WarehouseSql sql;
  private final Path stagingRoot;
  private final int threads;
  private final int partsPerBatch;

  /**
   * @param sql statements to the running warehouse, as a user allowed to create the catalog, schema
   *     and tables
   * @param stagingRoot a directory below one of the server's external locations, where the loader
   *     stages Parquet files for {@code COPY INTO}; created if missing
   * @param threads generator threads, also the staging engine's threads
   */
  public TpchDataLoader(WarehouseSql sql, Path stagingRoot, int threads) {
    this(sql, stagingRoot, threads, PARTS_PER_BATCH);
  }

  private TpchDataLoader(WarehouseSql sql, Path stagingRoot, int threads, int partsPerBatch) {
    this.sql = requireNonNull(sql, "sql");
    this.stagingRoot = requireNonNull(stagingRoot, "stagingRoot").toAbsolutePath().normalize();
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
    return new TpchDataLoader(sql, stagingRoot, threads, parts);
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
    try {
      Files.createDirectories(stagingRoot);
    } catch (IOException e) {
      throw new TpchException(
          TpchErrorCode.LOAD_FAILED, "cannot create the staging directory " + stagingRoot, e);
    }
    sql.update(
        "CREATE CATALOG IF NOT EXISTS "
            + identifier(target.catalog())
            + " COMMENT "
            + literal("Sample data sets"));
    sql.update(
        "CREATE SCHEMA IF NOT EXISTS "
            + target.sql()
            + " COMMENT "
            + literal(
                "TPC-H at scale factor "
                    + scaleFactor
                    + ", generated by "
                    + GENERATOR
                    + " (derived from TPC-H; not audited TPC results)"));
    Set<String> existing = new HashSet<>();
    for (List<String> row : sql.query("SHOW TABLES IN " + target.sql())) {
      existing.add(row.get(1).toLowerCase(Locale.ROOT));
    }
    progress.loadStarted(target, scaleFactor, TpchTableSpec.ALL.size());
    List<TableLoadResult> results = new ArrayList<>();
    try (Resources resources = new Resources()) {
      for (TpchTableSpec<?> spec : TpchTableSpec.ALL) {
        results.add(
            loadTable(
                spec, scaleFactor, target, existing.contains(spec.name()), progress, resources));
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
      boolean exists,
      LoadProgress progress,
      Resources resources) {
    long start = System.nanoTime();
    TableName name = target.table(spec.name());
    String table = target.sql() + "." + identifier(spec.name());
    boolean create = true;
    if (exists) {
      ExistingTable found = describe(table);
      TableLoadResult result = checkExisting(name, table, found, spec, scaleFactor, start);
      if (result != null) {
        progress.tableSkipped(result);
        return result;
      }
      create = false; // an empty table a killed load left: fill it
    }
    progress.tableStarted(spec.name(), spec.approximateRows(scaleFactor));
    Path staging = stagingRoot.resolve(spec.name() + "-" + UUID.randomUUID());
    boolean created = false;
    TableLoadResult result;
    try {
      Path text = staging.resolve(TEXT_FOLDER);
      Path parquet = staging.resolve(PARQUET_FOLDER);
      Files.createDirectories(parquet);
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
        files.addAll(writeParquet(resources, spec, batch.files(), parquet.toUri()));
        deleteRecursively(text);
      }
      long staged = files.stream().mapToLong(f -> f.stats().numRecords()).sum();
      if (staged != generated) {
        throw new TpchException(
            TpchErrorCode.LOAD_FAILED,
            name + ": generated " + generated + " rows but the Parquet files hold " + staged);
      }
      checkInterrupted(name);
      if (create) {
        sql.update(createTableSql(table, spec, scaleFactor));
        created = true;
      }
      checkInterrupted(name);
      long copied =
          sql.update(
              "COPY INTO "
                  + table
                  + " FROM "
                  + literal(parquet.toString())
                  + " FILEFORMAT = PARQUET");
      OptionalLong exact = spec.exactRows(scaleFactor);
      if (copied != generated || (exact.isPresent() && exact.getAsLong() != copied)) {
        throw new TpchException(
            TpchErrorCode.LOAD_FAILED,
            name
                + ": generated "
                + generated
                + " rows, the warehouse copied "
                + copied
                + (exact.isPresent()
                    ? "; TPC-H has " + exact.getAsLong() + " at scale factor " + scaleFactor
                    : ""));
      }
      ExistingTable loaded = describe(table);
      result =
          new TableLoadResult(
              name,
              false,
              copied,
              loaded.files(),
              files.stream().mapToLong(NewDataFile::size).sum(),
              loaded.version(),
              Duration.ofNanos(System.nanoTime() - start));
    } catch (Throwable failure) {
      boolean interrupted = Thread.interrupted() || isInterruption(failure);
      try {
        if (created) {
          dropQuietly(table, failure);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      throw asLoadFailure(name, failure, interrupted);
    } finally {
      try {
        deleteRecursively(staging);
      } catch (UncheckedIOException e) {
        // A leftover staging folder wastes space only; the next load uses a new one.
      }
    }
    progress.tableLoaded(result); // committed: a failure from here on keeps the table
    return result;
  }

  private void dropQuietly(String table, Throwable failure) {
    try {
      sql.update("DROP TABLE IF EXISTS " + table);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  static String createTableSql(String table, TpchTableSpec<?> spec, TpchScaleFactor scaleFactor) {
    StringBuilder b = new StringBuilder("CREATE TABLE ").append(table).append(" (");
    List<Column> columns = spec.schema().columns();
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      b.append(i == 0 ? "" : ", ")
          .append(identifier(c.name()))
          .append(' ')
          .append(c.type().sql())
          .append(c.nullable() ? "" : " NOT NULL");
    }
    return b.append(") COMMENT ")
        .append(
            literal(
                "TPC-H "
                    + spec.name()
                    + " at scale factor "
                    + scaleFactor
                    + " (derived from TPC-H; not audited TPC results)"))
        .append(" TBLPROPERTIES (")
        .append(literal(SCALE_FACTOR_PROPERTY))
        .append(" = ")
        .append(literal(scaleFactor.toString()))
        .append(", ")
        .append(literal(GENERATOR_PROPERTY))
        .append(" = ")
        .append(literal(GENERATOR))
        .append(")")
        .toString();
  }

  /** A table as {@code DESCRIBE EXTENDED} shows it. */
  record ExistingTable(
      List<List<String>> columns, Map<String, String> properties, int files, long version) {}

  private ExistingTable describe(String table) {
    List<List<String>> rows = sql.query("DESCRIBE EXTENDED " + table);
    List<List<String>> columns = new ArrayList<>();
    Map<String, String> properties = new HashMap<>();
    int files = 0;
    long version = -1;
    boolean detail = false;
    for (List<String> row : rows) {
      String key = row.get(0) == null ? "" : row.get(0);
      String value = row.get(1) == null ? "" : row.get(1);
      if (key.isEmpty()) {
        detail = true;
        continue;
      }
      if (!detail) {
        columns.add(List.of(key, value));
      } else if (key.equals("Number of Files")) {
        files = Integer.parseInt(value.strip());
      } else if (key.equals("Version")) {
        version = Long.parseLong(value.strip());
      } else if (key.equals("Table Properties")) {
        properties.putAll(parseProperties(value));
      }
    }
    return new ExistingTable(columns, properties, files, version);
  }

  /** {@code {a=1, b=x y}}, as DESCRIBE EXTENDED prints the properties. */
  static Map<String, String> parseProperties(String text) {
    Map<String, String> properties = new HashMap<>();
    String inner = text.strip();
    if (inner.startsWith("{") && inner.endsWith("}")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    for (String pair : inner.split(", ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        properties.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    return properties;
  }

  /**
   * The result for a table that is complete (skip it), null for an empty table a killed load left
   * (fill it); throws TABLE_CONFLICT for anything else.
   */
  private TableLoadResult checkExisting(
      TableName name,
      String table,
      ExistingTable found,
      TpchTableSpec<?> spec,
      TpchScaleFactor scaleFactor,
      long start) {
    String madeFor = found.properties().get(SCALE_FACTOR_PROPERTY);
    if (madeFor == null || !sameScaleFactor(madeFor, scaleFactor)) {
      throw new TpchException(
          TpchErrorCode.TABLE_CONFLICT,
          name
              + " exists but was not loaded as TPC-H at scale factor "
              + scaleFactor
              + (madeFor == null ? "" : " (it holds scale factor " + madeFor + ")")
              + "; drop it or load into another schema with --schema");
    }
    if (!sameColumns(found.columns(), spec.schema())) {
      throw new TpchException(
          TpchErrorCode.TABLE_CONFLICT,
          name
              + " exists with other columns than TPC-H "
              + spec.name()
              + "; drop it or load into another schema with --schema");
    }
    long rows = Long.parseLong(sql.query("SELECT count(*) FROM " + table).get(0).get(0));
    if (rows == 0) {
      return null;
    }
    OptionalLong exact = spec.exactRows(scaleFactor);
    if (exact.isPresent() && rows != exact.getAsLong()) {
      throw new TpchException(
          TpchErrorCode.TABLE_CONFLICT,
          name
              + " exists with "
              + rows
              + " rows, not the "
              + exact.getAsLong()
              + " of TPC-H at scale factor "
              + scaleFactor
              + "; drop it or load into another schema with --schema");
    }
    return new TableLoadResult(
        name,
        true,
        rows,
        found.files(),
        0,
        found.version(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static boolean sameScaleFactor(String property, TpchScaleFactor scaleFactor) {
    try {
      return TpchScaleFactor.parse(property).equals(scaleFactor);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean sameColumns(List<List<String>> actual, TableSchema expected) {
    if (actual.size() != expected.columns().size()) {
      return false;
    }
    for (int i = 0; i < expected.columns().size(); i++) {
      Column e = expected.columns().get(i);
      if (!actual.get(i).get(0).equalsIgnoreCase(e.name())
          || !actual.get(i).get(1).equalsIgnoreCase(e.type().sql())) {
        return false;
      }
    }
    return true;
  }

  /** A name in backticks when it is not a plain identifier. */
  static String identifier(String name) {
    return name.matches("[a-z_][a-z0-9_]*") ? name : "`" + name.replace("`", "``") + "`";
  }

  /** A SQL string literal. */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
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
      DuckDbEngineConfig defaults = DuckDbEngineConfig.defaults(List.of(stagingRoot), engineTemp);
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
