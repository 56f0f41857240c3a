package io.aquifer.server;

import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.exec.duckdb.NodeDataCacheConfig;
import io.aquifer.exec.duckdb.NodeDataCacheStats;
import io.aquifer.exec.node.NodeSecret;
import io.aquifer.exec.node.WarehouseNodeClient;
import io.aquifer.exec.node.WarehouseNodeServer;
import io.aquifer.gateway.execution.NodeWarehouseConnection;
import io.aquifer.gateway.execution.WarehouseConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The warehouse node of the embedded defaults: DuckDB and its Flight endpoint in this JVM, on a
 * free loopback port. The gateway reaches it only through Flight, as it would a node in another
 * process, with a secret generated for this node that any other caller lacks.
 */
final class LocalWarehouseNode implements AutoCloseable {
  private final DuckDbEngine engine;
  private final WarehouseNodeServer server;
  private final NodeWarehouseConnection connection;

  private LocalWarehouseNode(
      DuckDbEngine engine, WarehouseNodeServer server, NodeWarehouseConnection connection) {
    this.engine = engine;
    this.server = server;
    this.connection = connection;
  }

  /**
   * One disk cache per directory in this JVM, shared by its in-process nodes (a cache directory
   * belongs to one process).
   */
  private static final java.util.Map<Path, io.aquifer.storage.cache.NodeDiskCache> DISK_CACHES =
      new java.util.concurrent.ConcurrentHashMap<>();

  static io.aquifer.storage.cache.NodeDiskCache diskCache(Path directory, long maxBytes) {
    return DISK_CACHES.computeIfAbsent(
        directory.toAbsolutePath().normalize(),
        d ->
            new io.aquifer.storage.cache.NodeDiskCache(
                d, maxBytes, io.aquifer.storage.cache.RemoteFileSource.s3()));
  }

  /**
   * The counters of the disk cache in {@code directory} of this JVM's in-process nodes; zeros
   * before a node opened it.
   */
  static io.aquifer.storage.cache.DiskCacheStats diskCacheStats(Path directory) {
    io.aquifer.storage.cache.NodeDiskCache cache =
        DISK_CACHES.get(directory.toAbsolutePath().normalize());
    return cache == null
        ? new io.aquifer.storage.cache.DiskCacheStats(0, 0, 0, 0, 0, 0, 0)
        : cache.stats();
  }

  static LocalWarehouseNode start(ServerConfig config, BufferAllocator allocator) {
    Path data = config.dataDirectory();
    List<Path> readable = new ArrayList<>();
    readable.add(data.resolve("warehouse"));
    readable.add(data.resolve(io.aquifer.gateway.volumes.VolumeFiles.MANAGED_DIRECTORY));
    readable.addAll(config.externalLocations());
    DuckDbEngineConfig engineConfig =
        DuckDbEngineConfig.defaults(readable, data.resolve("tmp"))
            .withMemoryLimits(config.nodeMemoryLimitBytes(), config.queryMemoryLimitBytes())
            .withThreads(config.nodeThreads())
            .withEngineProfiles(config.queryHistory().engineProfiles());
    DuckDbEngine engine =
        new DuckDbEngine(
            engineConfig,
            java.util.Optional.of(diskCache(data.resolve("disk-cache"), config.diskCacheBytes())),
            config.nodeDataCacheBytes() == 0
                ? java.util.Optional.empty()
                : java.util.Optional.of(
                    new NodeDataCacheConfig(
                        data.resolve("node-data-cache"), config.nodeDataCacheBytes())));
    WarehouseNodeServer server = null;
    try {
      // A new secret for each node, kept in memory only: other local users cannot call the node.
      NodeSecret secret = NodeSecret.generate();
      server = WarehouseNodeServer.start(engine, 0, secret);
      WarehouseNodeClient client = new WarehouseNodeClient(allocator, server.location(), secret);
      return new LocalWarehouseNode(engine, server, new NodeWarehouseConnection(client));
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      engine.close();
      throw e;
    }
  }

  WarehouseConnection connection() {
    return connection;
  }

  void ping(java.time.Duration timeout) {
    connection.ping(timeout);
  }

  /**
   * The node's Flight port on loopback (for tests and diagnostics; every call needs the secret).
   */
  int port() {
    return server.port();
  }

  int runningQueries() {
    return engine.runningQueries();
  }

  long startedQueries() {
    return engine.startedQueries();
  }

  /** What the node's data cache holds and has served; empty without one. */
  java.util.Optional<NodeDataCacheStats> dataCacheStats() {
    return engine.dataCacheStats();
  }

  /** Waits until the node data cache has copied in what past queries read; true without one. */
  boolean awaitDataCacheIdle(java.time.Duration timeout) throws InterruptedException {
    return engine.awaitDataCacheIdle(timeout);
  }

  /** Peak Arrow memory the node held for results in flight, for benchmarks. */
  long peakArrowMemoryBytes() {
    return server.peakArrowMemoryBytes();
  }

  @Override
  public void close() {
    connection.close();
    server.close(); // also closes the engine it owns
  }
}
