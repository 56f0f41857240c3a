package io.aquifer.spark;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Warehouse;
import io.aquifer.exec.QueryFragment;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.warehouse.ClusterProvisioner;
import io.aquifer.gateway.warehouse.WarehouseCluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.rel.RelNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "clusters" of Spark warehouses. The Spark cluster is the user's and runs without Aquifer: a
 * warehouse of type {@code spark} is one cluster, and starting it opens a Spark Connect session on
 * the warehouse's endpoint ({@code spark_connect_url}), stopping it closes the session. A start
 * waits for the server to answer at most {@code startTimeout} (the Spark Connect client itself
 * retries an unreachable server for minutes), then fails naming the endpoint.
 */
public final class SparkClusterProvisioner implements ClusterProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(SparkClusterProvisioner.class);

  private final BufferAllocator allocator;
  private final Duration startTimeout;
  private final ExecutorService calls;

  /**
   * @param allocator parent of the allocators results live in
   * @param startTimeout how long a start waits for the Spark Connect server to answer
   */
  public SparkClusterProvisioner(BufferAllocator allocator, Duration startTimeout) {
    this.allocator = requireNonNull(allocator, "allocator");
    this.startTimeout = requireNonNull(startTimeout, "startTimeout");
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
    }
    AtomicInteger threads = new AtomicInteger();
    this.calls =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "aquifer-spark-connect-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public WarehouseCluster start(Warehouse warehouse, String clusterId) {
    String url =
        warehouse
            .spec()
            .sparkConnectUrl()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "warehouse " + warehouse.name() + " has no Spark Connect endpoint"));
    String where = endpoint(url);
    SparkConnectEngine engine;
    try {
      engine = new SparkConnectEngine(url);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot open a Spark Connect session at " + where + ": " + e.getMessage(), e);
    }
    try {
      within(engine, startTimeout, where);
    } catch (RuntimeException e) {
      closeLater(engine);
      throw e;
    }
    LOG.info("warehouse {}: Spark Connect session open at {}", warehouse.name(), where);
    return new SparkCluster(clusterId, engine, where);
  }

  @Override
  public QueryFragment compile(Warehouse warehouse, String queryId, RelNode plan) {
    return SparkPlanCompiler.compile(queryId, plan);
  }

  /** Runs a health check, giving up after {@code timeout}. */
  private void within(SparkConnectEngine engine, Duration timeout, String where) {
    CompletableFuture<Void> answer = CompletableFuture.runAsync(engine::checkHealth, calls);
    try {
      answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new IllegalStateException(
          "the Spark Connect server at "
              + where
              + " did not answer within "
              + timeout.toMillis()
              + " ms (is it running, and reachable from the gateway?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Spark at " + where);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException(
          "the Spark Connect server at " + where + " does not answer: " + cause.getMessage(),
          cause);
    }
  }

  /** Closes a session whose server may not answer, without waiting for it. */
  private void closeLater(SparkConnectEngine engine) {
    try {
      calls.execute(engine::close);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The provisioner is closing (the gateway stops): still release the session on Spark.
      Thread closer = new Thread(engine::close, "aquifer-spark-connect-close");
      closer.setDaemon(true);
      closer.start();
    }
  }

  /** The endpoint without its parameters (which may hold a token), for messages and logs. */
  static String endpoint(String url) {
    int params = url.indexOf("/;");
    return params < 0 ? url : url.substring(0, params);
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }

  private final class SparkCluster implements WarehouseCluster {
    private final String id;
    private final SparkConnectEngine engine;
    private final SparkWarehouseConnection connection;
    private final String where;
    private volatile boolean closed;

    SparkCluster(String id, SparkConnectEngine engine, String where) {
      this.id = id;
      this.engine = engine;
      this.connection = new SparkWarehouseConnection(engine, allocator);
      this.where = where;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WarehouseConnection connection() {
      return connection;
    }

    @Override
    public boolean isAlive() {
      return !closed;
    }

    @Override
    public void ping(Duration timeout) {
      within(engine, timeout, where);
    }

    @Override
    public String describe() {
      return "Spark Connect session at " + where;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        closeLater(engine);
      }
    }
  }
}
