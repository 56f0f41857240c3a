package io.aquifer.spark;

import static java.util.Objects.requireNonNull;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.results.ArrowReaderResultStream;
import io.aquifer.storage.delta.NewDataFile;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.rel.RelNode;

/**
 * The gateway's connection to a Spark cluster: plans are compiled to Spark SQL ({@link
 * SparkPlanCompiler}) and run by a {@link SparkConnectEngine}; results flow into the gateway as
 * Arrow batches like a warehouse node's. Writes are not supported yet (the engine refuses them).
 */
public final class SparkWarehouseConnection implements WarehouseConnection {
  private final SparkConnectEngine engine;
  private final BufferAllocator allocator;

  /**
   * @param engine the engine; closed with this connection
   * @param allocator parent of the per-query allocators results live in
   */
  public SparkWarehouseConnection(SparkConnectEngine engine, BufferAllocator allocator) {
    this.engine = requireNonNull(engine, "engine");
    this.allocator = requireNonNull(allocator, "allocator");
  }

  @Override
  public QueryFragment compile(String queryId, RelNode plan) {
    return SparkPlanCompiler.compile(queryId, plan);
  }

  @Override
  public ResultStream query(QueryFragment fragment) {
    return new ArrowReaderResultStream(engine.execute(fragment, allocator), () -> {});
  }

  @Override
  public List<NewDataFile> write(WriteFragment fragment) {
    return engine.write(fragment);
  }

  @Override
  public void cancel(String queryId) {
    engine.cancel(queryId);
  }

  @Override
  public void close() {
    engine.close();
  }
}
