package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.node.WarehouseNodeClient;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.results.ArrowReaderResultStream;
import io.aquifer.storage.delta.NewDataFile;
import java.util.List;

/** A warehouse of one node, reached over its Arrow Flight endpoint. */
public final class NodeWarehouseConnection implements WarehouseConnection {
  private final WarehouseNodeClient client;

  public NodeWarehouseConnection(WarehouseNodeClient client) {
    this.client = requireNonNull(client, "client");
  }

  @Override
  public ResultStream query(QueryFragment fragment) {
    return new ArrowReaderResultStream(client.query(fragment), () -> {});
  }

  @Override
  public List<NewDataFile> write(WriteFragment fragment) {
    return client.write(fragment);
  }

  @Override
  public List<NewDataFile> write(
      WriteFragment fragment,
      java.util.function.Consumer<io.aquifer.storage.cache.DiskCacheReads> reads) {
    return client.write(fragment, reads);
  }

  @Override
  public java.util.Optional<java.util.Set<String>> dataCacheHolding(
      java.util.Collection<String> paths) {
    return client.dataCacheHolding(paths);
  }

  /** The node's health check: returns if it answered within the timeout that it can run queries. */
  public void ping(java.time.Duration timeout) {
    client.ping(timeout);
  }

  @Override
  public void cancel(String queryId) {
    client.cancel(queryId);
  }

  @Override
  public void close() {
    client.close();
  }
}
