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
import io.aquifer.storage.delta.NewDataFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  @Override
  public List<NewDataFile> write(WriteFragment fragment) {
    throw new ExecException(
        ExecErrorCode.NOT_SUPPORTED, "Spark warehouses do not write tables yet");
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

  @Override
  public void checkHealth() {
    checkOpen();
    try {
      session.version();
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
