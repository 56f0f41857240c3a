package io.aquifer.exec.duckdb;

import io.aquifer.exec.ArrowRows;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** A real, locked-down DuckDB engine over a temporary data directory, for one test class. */
final class DuckDbEngineFixture implements AutoCloseable {
  final Path dataDirectory;
  final DuckDbEngine engine;
  final BufferAllocator allocator = new RootAllocator();

  DuckDbEngineFixture(Path root) {
    this(root, config -> config);
  }

  DuckDbEngineFixture(Path root, java.util.function.UnaryOperator<DuckDbEngineConfig> customize) {
    this.dataDirectory = root.resolve("data");
    DuckDbEngineConfig config =
        DuckDbEngineConfig.defaults(List.of(dataDirectory), root.resolve("tmp"))
            .withMemoryLimits(1L << 30, 256L << 20)
            .withThreads(2);
    this.engine = new DuckDbEngine(customize.apply(config));
  }

  static QueryFragment fragment(String sql, ScanSpec... scans) {
    return new QueryFragment(UUID.randomUUID().toString(), sql, List.of(scans));
  }

  List<List<Object>> rows(String sql, ScanSpec... scans) throws Exception {
    try (ArrowReader reader = engine.execute(fragment(sql, scans), allocator)) {
      return ArrowRows.readAll(reader);
    }
  }

  Schema schema(String sql, ScanSpec... scans) throws Exception {
    try (ArrowReader reader = engine.execute(fragment(sql, scans), allocator)) {
      return reader.getVectorSchemaRoot().getSchema();
    }
  }

  @Override
  public void close() {
    engine.close();
    allocator.close();
  }
}
