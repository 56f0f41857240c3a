package io.aquifer.gateway.execution;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import io.aquifer.gateway.ResultStream;
import io.aquifer.storage.delta.NewDataFile;
import java.util.List;
import org.apache.calcite.rel.RelNode;

/**
 * Where the gateway sends compiled work: one warehouse's node(s), reached over Arrow Flight. The
 * seam where routing, queueing and autoscaling plug in.
 */
public interface WarehouseConnection extends AutoCloseable {
  /**
   * Compiles a bound query plan into this warehouse's engine SQL: DuckDB's for warehouse nodes,
   * another dialect for another engine (Spark).
   */
  default QueryFragment compile(String queryId, RelNode plan) {
    return DuckDbPlanCompiler.compile(queryId, plan);
  }

  /** Runs a query fragment; rows stream back as Arrow batches. */
  ResultStream query(QueryFragment fragment);

  /** Writes a query's rows as new data files; nothing is committed. */
  List<NewDataFile> write(WriteFragment fragment);

  /**
   * Like {@link #write(WriteFragment)}, telling {@code reads} what the write's scans read through
   * the node's disk cache (query history's {@code read_cache_bytes}, {@code read_remote_bytes}).
   */
  default List<NewDataFile> write(
      WriteFragment fragment,
      java.util.function.Consumer<io.aquifer.storage.cache.DiskCacheReads> reads) {
    return write(fragment);
  }

  /**
   * Where the statements of {@code session} run: this connection, unless it routes between
   * warehouses (then it throws if the session names a warehouse that does not exist).
   */
  default WarehouseConnection forSession(io.aquifer.gateway.Session session) {
    return this;
  }

  /**
   * Which of these data files the warehouse's node data cache holds now, asked at planning time;
   * empty when its nodes keep no data cache or none runs to ask (then no decision is made and a
   * node reads what its cache holds).
   */
  default java.util.Optional<java.util.Set<String>> dataCacheHolding(
      java.util.Collection<String> paths) {
    return java.util.Optional.empty();
  }

  /** Cancels a running fragment by query id; a no-op when none runs. */
  void cancel(String queryId);

  @Override
  void close();
}
