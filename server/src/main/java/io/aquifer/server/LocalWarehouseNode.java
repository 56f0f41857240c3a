package io.aquifer.server;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.results.ArrowReaderResultStream;
import io.aquifer.storage.delta.NewDataFile;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** The warehouse node of the embedded defaults, in this JVM. */
final class LocalWarehouseNode implements AutoCloseable {
  private final DuckDbEngine engine;
  private final BufferAllocator allocator;

  private LocalWarehouseNode(DuckDbEngine engine, BufferAllocator allocator) {
    this.engine = engine;
    this.allocator = allocator;
  }

  static LocalWarehouseNode start(ServerConfig config, BufferAllocator allocator) {
    Path data = config.dataDirectory();
    DuckDbEngineConfig engineConfig =
        new DuckDbEngineConfig(
            List.of(data.resolve("warehouse")),
            data.resolve("tmp"),
            config.nodeMemoryLimitBytes(),
            config.queryMemoryLimitBytes(),
            config.nodeThreads(),
            DuckDbEngineConfig.DEFAULT_ARROW_BATCH_ROWS);
    return new LocalWarehouseNode(new DuckDbEngine(engineConfig), allocator);
  }

  WarehouseConnection connection() {
    return new WarehouseConnection() {
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
      public void close() {}
    };
  }

  @Override
  public void close() {
    engine.close();
  }
}
