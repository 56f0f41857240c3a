package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.results.ArrowReaderResultStream;
import io.aquifer.gateway.system.SystemTableResults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.RelNode;

/**
 * Runs queries over system tables ({@code system.*}, {@code information_schema}) in the gateway,
 * whose rows live there and not in Delta files: compiled like any query by the DuckDB compiler and
 * run on an in-memory DuckDB engine of the gateway's own, which reads each table's rows as an Arrow
 * stream. So every function and form a warehouse runs works over system tables too, with the same
 * semantics, and no warehouse is started for them.
 *
 * <p>The engine starts on the first such query (one thread, a small memory limit: system tables are
 * small) and stops with the gateway.
 */
public final class SystemQueryEngine implements AutoCloseable {
  /** System tables are small; a query over them needs little. */
  private static final long MEMORY_LIMIT_BYTES = 512L << 20;

  private final Path workDirectory;
  private DuckDbEngine engine;
  private boolean closed;

  /**
   * @param workDirectory where the engine may spill (created on first use)
   */
  public SystemQueryEngine(Path workDirectory) {
    this.workDirectory = requireNonNull(workDirectory, "workDirectory");
  }

  /**
   * Runs a plan that reads only system tables.
   *
   * @param queryId the id the query can be canceled by ({@link #cancel}): the statement's id, or
   *     one of its node call ids
   * @param timeZone the session time zone the engine runs in
   */
  ResultStream run(
      String queryId,
      RelNode bound,
      String timeZone,
      JavaTypeFactory typeFactory,
      BufferAllocator allocator) {
    DuckDbPlanCompiler.RowsQuery query = DuckDbPlanCompiler.compileOverRows(queryId, bound);
    QueryFragment fragment = query.fragment().withTimeZone(timeZone);
    Map<String, ArrowReader> rows = new LinkedHashMap<>();
    try {
      for (DuckDbPlanCompiler.RowsScan scan : query.rows()) {
        List<Object[]> values = new ArrayList<>();
        Enumerator<Object[]> it = scan.table().scan(null).enumerator();
        try {
          while (it.moveNext()) {
            values.add(it.current());
          }
        } finally {
          it.close();
        }
        rows.put(
            scan.relationName(),
            new RowsReader(
                allocator,
                SystemTableResults.of(allocator, scan.table().getRowType(typeFactory), values)));
      }
    } catch (RuntimeException e) {
      rows.values().forEach(SystemQueryEngine::closeQuietly);
      throw e;
    }
    ArrowReader result = engine().execute(fragment, allocator, rows);
    return new ArrowReaderResultStream(result, () -> {});
  }

  /** Cancels the queries of a statement (by its id or a call id of it). */
  public void cancel(String queryId) {
    DuckDbEngine running;
    synchronized (this) {
      running = engine;
    }
    if (running != null) {
      running.cancel(queryId);
    }
  }

  private synchronized DuckDbEngine engine() {
    if (closed) {
      throw new IllegalStateException("the gateway is closed");
    }
    if (engine == null) {
      Path spill = workDirectory.resolve("spill");
      engine =
          new DuckDbEngine(
              new DuckDbEngineConfig(
                  List.of(workDirectory),
                  spill,
                  MEMORY_LIMIT_BYTES,
                  MEMORY_LIMIT_BYTES / 2,
                  1,
                  DuckDbEngineConfig.DEFAULT_ARROW_BATCH_ROWS,
                  false)); // system tables' queries keep no engine profile
    }
    return engine;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already failing
    }
  }

  /** A system table's rows, batch by batch, as an Arrow reader the engine can import. */
  private static final class RowsReader extends ArrowReader {
    private final SystemTableResults rows;

    RowsReader(BufferAllocator allocator, SystemTableResults rows) {
      super(allocator);
      this.rows = rows;
    }

    @Override
    protected Schema readSchema() {
      return rows.schema();
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      prepareLoadNextBatch();
      if (!rows.next()) {
        return false;
      }
      try (ArrowRecordBatch batch = new VectorUnloader(rows.root()).getRecordBatch()) {
        loadRecordBatch(batch);
      }
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {
      rows.close();
    }
  }
}
