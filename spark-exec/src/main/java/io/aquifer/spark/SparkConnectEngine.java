package io.aquifer.spark;

import static java.util.Objects.requireNonNull;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.NativeEngine;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.SourceFormat;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.duckdb.WrittenParquetFiles;
import io.aquifer.storage.delta.NewDataFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.Dataset;
import org.apache.spark.sql.connect.SparkSession;
import org.apache.spark.sql.connect.client.SparkConnectClient;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.util.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The engine of a warehouse of type {@code spark}: runs compiled fragments on an Apache Spark
 * cluster through Spark Connect, from the gateway's JVM.
 *
 * <p>Each fragment runs in a Spark session of its own (a child of the engine's session, so it holds
 * its own temporary views and time zone and is released when its result is closed). Every scan of
 * the fragment becomes a temporary view over exactly the Parquet files of the bound Delta snapshot,
 * with physical column names mapped to logical ones and partition values added as constants; the
 * fragment's Spark SQL reads those views. Spark sends the result as Arrow IPC batches, which are
 * read here with Aquifer's own Arrow and streamed on without turning into rows.
 */
public final class SparkConnectEngine implements NativeEngine {
  private static final Logger LOG = LoggerFactory.getLogger(SparkConnectEngine.class);
  private static final int REMEMBERED_CANCELS = 1024;

  private final String remote;
  private final SparkSession session;
  private final Map<String, RunningFragment> running = new ConcurrentHashMap<>();
  private final Set<String> canceledBeforeStart =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED_CANCELS;
                }
              }));
  private volatile boolean closed;

  /**
   * Opens a Spark Connect session on the cluster at {@code remote}.
   *
   * @param remote a Spark Connect connection string, {@code sc://host:port[/;param=value;...]}
   * @throws ExecException NODE_UNAVAILABLE if the cluster does not answer
   */
  public SparkConnectEngine(String remote) {
    this.remote = SparkRemote.check(remote);
    try {
      SparkConnectClient client =
          SparkConnectClient.builder().connectionString(remote).userAgent("aquifer").build();
      this.session = SparkSession.builder().client(client).create();
    } catch (RuntimeException e) {
      throw new ExecException(
          ExecErrorCode.NODE_UNAVAILABLE,
          "Cannot open a Spark Connect session at " + remote + ": " + e.getMessage(),
          e);
    }
  }

  public String remote() {
    return remote;
  }

  @Override
  public ArrowReader execute(QueryFragment fragment, BufferAllocator allocator) {
    checkOpen();
    String queryId = fragment.queryId();
    if (canceledBeforeStart.remove(queryId)) {
      throw canceled(queryId);
    }
    SparkSession child = session.newSession();
    RunningFragment run = new RunningFragment(child);
    if (running.putIfAbsent(queryId, run) != null) {
      release(child);
      throw new ExecException(
          ExecErrorCode.INVALID_REQUEST, "Query " + queryId + " is already running");
    }
    BufferAllocator queryAllocator =
        allocator.newChildAllocator("spark-" + queryId, 0, allocator.getLimit());
    CloseableIterator<ExecutePlanResponse> responses = null;
    try {
      child.conf().set("spark.sql.session.timeZone", fragment.timeZone());
      child.conf().set("spark.sql.ansi.enabled", "true");
      for (ScanSpec scan : fragment.scans()) {
        scanData(child, scan).createOrReplaceTempView(scan.relationName());
        run.checkCanceled(queryId);
      }
      Plan plan = child.sql(fragment.engineSql()).plan();
      run.checkCanceled(queryId);
      responses = child.client().execute(plan, Option.empty());
      if (run.canceled) {
        // cancel() may have interrupted the session just before the operation reached Spark.
        interrupt(queryId, run);
      }
      CloseableIterator<ExecutePlanResponse> opened = responses;
      return new SparkArrowReader(
          queryAllocator,
          responses,
          e -> run.canceled ? canceled(queryId) : SparkErrors.translate(e, remote),
          () -> {
            running.remove(queryId, run);
            try {
              closeResponses(opened);
            } finally {
              release(child);
              queryAllocator.close();
            }
          });
    } catch (Exception e) { // Spark's AnalysisException is a checked exception
      running.remove(queryId, run);
      if (responses != null) {
        closeResponses(responses);
      }
      release(child);
      queryAllocator.close();
      if (run.canceled) {
        throw canceled(queryId);
      }
      throw e instanceof ExecException x ? x : SparkErrors.translate(e, remote);
    }
  }

  /** The rows of a scan: its files read as Parquet, columns renamed and partition values added. */
  static Dataset<Row> scanData(SparkSession s, ScanSpec scan) {
    if (scan.format().kind() != SourceFormat.Kind.PARQUET) {
      throw new ExecException(
          ExecErrorCode.NOT_SUPPORTED,
          "Spark warehouses read Delta tables only; loading "
              + scan.format().kind()
              + " is not"
              + " supported yet");
    }
    Map<Map<String, String>, List<String>> byPartition = new LinkedHashMap<>();
    for (ScanFile f : scan.files()) {
      if (f.deletedRowPositions().length > 0) {
        throw new ExecException(
            ExecErrorCode.NOT_SUPPORTED,
            "Spark warehouses do not read tables with deletion vectors yet (file "
                + f.path()
                + ")");
      }
      byPartition.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f.path());
    }
    if (byPartition.isEmpty()) {
      List<String> nulls = new ArrayList<>();
      for (ScanColumn c : scan.columns()) {
        nulls.add("CAST(NULL AS " + c.type().sql() + ") AS " + quote(c.name()));
      }
      return s.sql("SELECT " + String.join(", ", nulls) + " WHERE false");
    }
    Dataset<Row> all = null;
    for (Map.Entry<Map<String, String>, List<String>> group : byPartition.entrySet()) {
      Dataset<Row> files = s.read().parquet(group.getValue().toArray(String[]::new));
      List<Column> columns = new ArrayList<>();
      for (ScanColumn c : scan.columns()) {
        Column value =
            c.partitionColumn()
                ? functions.lit(partitionValue(group.getKey(), c)).cast(c.type().sql())
                : functions.col(quote(c.physicalName()));
        columns.add(value.as(c.name()));
      }
      Dataset<Row> part = files.select(columns.toArray(Column[]::new));
      all = all == null ? part : all.union(part);
    }
    return all;
  }

  private static String partitionValue(Map<String, String> values, ScanColumn c) {
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().equalsIgnoreCase(c.name()) || e.getKey().equalsIgnoreCase(c.physicalName())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** A Spark identifier in backticks. */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /**
   * Has Spark write the fragment's rows as Parquet files into a private staging directory below the
   * table root ({@code _aquifer_staging_<uuid>}, ignored by Delta readers because of the
   * underscore); then, here in the gateway, reads each file's statistics from its footer and moves
   * it directly below the table root. Nothing is committed: the gateway commits the returned files
   * as one Delta transaction, as for a DuckDB node. If anything fails or the write is canceled, the
   * staging directory and every file already moved are deleted.
   */
  @Override
  public List<NewDataFile> write(WriteFragment fragment) {
    checkOpen();
    if (!fragment.partitionColumns().isEmpty()) {
      throw new ExecException(
          ExecErrorCode.NOT_SUPPORTED,
          "Spark warehouses do not write partitioned tables yet (partitioned by "
              + String.join(", ", fragment.partitionColumns())
              + "); use a DuckDB warehouse");
    }
    String queryId = fragment.query().queryId();
    Path tableDirectory;
    try {
      tableDirectory = Paths.get(fragment.targetDirectory()).toAbsolutePath().normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new ExecException(
          ExecErrorCode.NOT_SUPPORTED,
          "Spark warehouses write to a shared file system only (file: URIs), not to "
              + fragment.targetDirectory());
    }
    if (canceledBeforeStart.remove(queryId)) {
      throw canceled(queryId);
    }
    SparkSession child = session.newSession();
    RunningFragment run = new RunningFragment(child);
    if (running.putIfAbsent(queryId, run) != null) {
      release(child);
      throw new ExecException(
          ExecErrorCode.INVALID_REQUEST, "Query " + queryId + " is already running");
    }
    Path staging = tableDirectory.resolve(STAGING_PREFIX + UUID.randomUUID());
    List<Path> published = new ArrayList<>();
    try {
      child.conf().set("spark.sql.session.timeZone", fragment.query().timeZone());
      child.conf().set("spark.sql.ansi.enabled", "true");
      // Delta readers expect INT64 microseconds, not Spark's default INT96 timestamps.
      child.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
      for (ScanSpec scan : fragment.query().scans()) {
        scanData(child, scan).createOrReplaceTempView(scan.relationName());
        run.checkCanceled(queryId);
      }
      Dataset<Row> rows = child.sql(writeSql(fragment));
      run.checkCanceled(queryId);
      rows.write()
          .mode("errorifexists")
          .option("maxRecordsPerFile", String.valueOf(fragment.targetFileRows()))
          .parquet(staging.toString());
      run.checkCanceled(queryId);
      List<NewDataFile> files = new ArrayList<>();
      try (Connection footers = DriverManager.getConnection("jdbc:duckdb:")) {
        for (Path file : writtenFiles(staging)) {
          // Spark writes a file with no rows for an empty result: publish deletes it.
          WrittenParquetFiles.publish(
                  footers, file, fragment.targetSchema(), tableDirectory, published)
              .ifPresent(files::add);
        }
      }
      run.checkCanceled(queryId);
      deleteRecursively(staging);
      return List.copyOf(files);
    } catch (Exception e) { // Spark's AnalysisException is a checked exception
      deleteRecursively(staging);
      for (Path file : published) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException io) {
          LOG.error("could not delete {} of a failed write", file, io);
        }
      }
      if (run.canceled) {
        throw canceled(queryId);
      }
      if (e instanceof ExecException x) {
        throw x;
      }
      if (e instanceof IOException || e instanceof SQLException) {
        throw new ExecException(
            ExecErrorCode.ENGINE_ERROR,
            "Publishing the files Spark wrote to " + tableDirectory + " failed: " + e,
            e);
      }
      String message = String.valueOf(e.getMessage());
      int marker = message.indexOf(NOT_NULL_MARKER);
      if (marker >= 0) {
        String detail = message.substring(marker + NOT_NULL_MARKER.length());
        int end = detail.indexOf(" SQLSTATE");
        throw new ExecException(
            ExecErrorCode.NOT_NULL_VIOLATION,
            (end > 0 ? detail.substring(0, end) : detail).strip(),
            e);
      }
      throw SparkErrors.translate(e, remote);
    } finally {
      running.remove(queryId, run);
      release(child);
    }
  }

  static final String STAGING_PREFIX = "_aquifer_staging_";
  private static final String NOT_NULL_MARKER = "AQUIFER NOT NULL constraint violated: ";

  /**
   * The Spark SQL that gives the rows to write: the fragment's query, its columns cast to the
   * target's types and named with its physical column names; a NULL for a NOT NULL column fails.
   */
  static String writeSql(WriteFragment fragment) {
    List<io.aquifer.storage.types.Column> columns = fragment.targetSchema().columns();
    List<String> aliases = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      io.aquifer.storage.types.Column column = columns.get(i);
      String alias = quote("_c" + i);
      aliases.add(alias);
      String value = "CAST(q." + alias + " AS " + column.type().sql() + ")";
      if (!column.nullable()) {
        value =
            "CASE WHEN q."
                + alias
                + " IS NULL THEN raise_error('"
                + (NOT_NULL_MARKER
                        + "NOT NULL constraint violated for column: "
                        + column.name()
                        + ".")
                    .replace("\\", "\\\\")
                    .replace("'", "\\'")
                + "') ELSE "
                + value
                + " END";
      }
      values.add(value + " AS " + quote(column.physicalName()));
    }
    String query = fragment.query().engineSql().strip();
    while (query.endsWith(";")) {
      query = query.substring(0, query.length() - 1).strip();
    }
    return "SELECT "
        + String.join(", ", values)
        + " FROM (\n"
        + query
        + "\n) AS q("
        + String.join(", ", aliases)
        + ")";
  }

  /** The Parquet files Spark wrote (not its _SUCCESS marker and checksum files). */
  private static List<Path> writtenFiles(Path staging) throws IOException {
    if (!Files.isDirectory(staging)) {
      return List.of();
    }
    try (var listing = Files.list(staging)) {
      return listing
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith("part-") && name.endsWith(".parquet");
              })
          .sorted()
          .toList();
    }
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (var walk = Files.walk(directory)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      LOG.error("could not delete the staging directory {} of a write", directory, e);
    }
  }

  @Override
  public void cancel(String queryId) {
    RunningFragment run = running.get(queryId);
    if (run == null) {
      canceledBeforeStart.add(queryId);
      return;
    }
    run.canceled = true;
    interrupt(queryId, run);
  }

  /** Whether a fragment with this id is running (submitted, its result not yet closed). */
  public boolean isRunning(String queryId) {
    return running.containsKey(queryId);
  }

  private static void interrupt(String queryId, RunningFragment run) {
    try {
      run.session.interruptAll();
    } catch (RuntimeException e) {
      LOG.warn("query {}: interrupting it on Spark failed", queryId, e);
    }
  }

  /**
   * Asks the Spark Connect server for a session setting: a round trip on every call (unlike {@code
   * version()}, which the client remembers), and no job on the cluster.
   */
  @Override
  public void checkHealth() {
    checkOpen();
    try {
      session.conf().get("spark.sql.session.timeZone");
    } catch (RuntimeException e) {
      throw new ExecException(
          ExecErrorCode.NODE_UNAVAILABLE,
          "The Spark cluster at " + remote + " does not answer: " + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Map.Entry<String, RunningFragment> e : running.entrySet()) {
      cancel(e.getKey());
    }
    release(session);
  }

  private void checkOpen() {
    if (closed) {
      throw new ExecException(ExecErrorCode.NODE_UNAVAILABLE, "The Spark engine is closed");
    }
  }

  /** Stops reading a result stream (Spark Connect releases the operation on the server). */
  private static void closeResponses(CloseableIterator<ExecutePlanResponse> responses) {
    try {
      responses.close();
    } catch (Exception e) {
      LOG.debug("closing a Spark result stream failed", e);
    }
  }

  private static void release(SparkSession s) {
    try {
      s.close();
    } catch (RuntimeException e) {
      LOG.debug("releasing a Spark session failed", e);
    }
  }

  private static ExecException canceled(String queryId) {
    return new ExecException(ExecErrorCode.QUERY_CANCELED, "Query " + queryId + " was canceled");
  }

  /** A fragment on its way through Spark: its session, and whether it was canceled. */
  private static final class RunningFragment {
    final SparkSession session;
    volatile boolean canceled;

    RunningFragment(SparkSession session) {
      this.session = requireNonNull(session, "session");
    }

    void checkCanceled(String queryId) {
      if (canceled) {
        throw canceled(queryId);
      }
    }
  }
}
