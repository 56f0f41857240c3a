package io.aquifer.server;

import io.aquifer.catalog.Warehouse;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.warehouse.ClusterProvisioner;
import io.aquifer.gateway.warehouse.WarehouseCluster;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Clusters in the gateway's JVM: each a DuckDB engine behind its own Flight endpoint on loopback
 * with its own secret, reached only over Flight. They share the gateway's machine, so each gets the
 * server's {@code node-memory-limit} and {@code node-threads}, as the single node of earlier
 * versions did, whatever the warehouse's size; sizes apply to node processes.
 */
final class InProcessClusterProvisioner implements ClusterProvisioner {
  private final ServerConfig config;
  private final BufferAllocator allocator;
  private final List<LocalCluster> clusters = new CopyOnWriteArrayList<>();

  InProcessClusterProvisioner(ServerConfig config, BufferAllocator allocator) {
    this.config = config;
    this.allocator = allocator;
  }

  @Override
  public WarehouseCluster start(Warehouse warehouse, String clusterId) {
    LocalCluster cluster = new LocalCluster(clusterId, LocalWarehouseNode.start(config, allocator));
    clusters.add(cluster);
    return cluster;
  }

  /** Queries the engines of all clusters run now. */
  int runningQueries() {
    return clusters.stream().mapToInt(c -> c.node.runningQueries()).sum();
  }

  /** Fragments the engines of the running clusters have started. */
  long startedQueries() {
    return clusters.stream().mapToLong(c -> c.node.startedQueries()).sum();
  }

  /** The data cache figures of the running clusters' nodes, summed (for tests and benchmarks). */
  io.aquifer.exec.duckdb.NodeDataCacheStats dataCacheStats() {
    return clusters.stream()
        .map(c -> c.node.dataCacheStats())
        .flatMap(java.util.Optional::stream)
        .reduce(
            io.aquifer.exec.duckdb.NodeDataCacheStats.NONE,
            io.aquifer.exec.duckdb.NodeDataCacheStats::plus);
  }

  /** Waits until every node's data cache has copied in what past queries read. */
  boolean awaitDataCacheIdle(java.time.Duration timeout) throws InterruptedException {
    for (LocalCluster c : clusters) {
      if (!c.node.awaitDataCacheIdle(timeout)) {
        return false;
      }
    }
    return true;
  }

  /** The Flight port of a running cluster, for tests; -1 if none runs. */
  int anyNodePort() {
    return clusters.isEmpty() ? -1 : clusters.get(0).node.port();
  }

  private final class LocalCluster implements WarehouseCluster {
    private final String id;
    private final LocalWarehouseNode node;
    private volatile boolean closed;

    LocalCluster(String id, LocalWarehouseNode node) {
      this.id = id;
      this.node = node;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WarehouseConnection connection() {
      return node.connection();
    }

    @Override
    public boolean isAlive() {
      return !closed;
    }

    @Override
    public void ping(java.time.Duration timeout) {
      node.ping(timeout);
    }

    @Override
    public String describe() {
      return "in-process node on port " + node.port();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        clusters.remove(this);
        node.close();
      }
    }
  }
}
