package io.aquifer.exec.node;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.NativeEngine;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warehouse node's Arrow Flight endpoint around an engine it owns. Start it in-process (tests,
 * the gateway's embedded mode) or through {@link WarehouseNodeMain} as its own process; both are
 * reached the same way, with a {@link WarehouseNodeClient}.
 *
 * <pre>{@code
 * NativeEngine engine = new DuckDbEngine(DuckDbEngineConfig.defaults(dataDirs, tempDir));
 * NodeSecret secret = NodeSecret.generate();
 * try (WarehouseNodeServer node = WarehouseNodeServer.start(engine, 0, secret);
 *     WarehouseNodeClient client = new WarehouseNodeClient(allocator, node.location(), secret)) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Every call must carry the node's {@link NodeSecret}; calls without it are refused before the
 * producer sees them (see {@link NodeSecretAuthenticator}).
 */
public final class WarehouseNodeServer implements AutoCloseable {
  public static final String LOOPBACK = "127.0.0.1";

  private static final Logger LOG = LoggerFactory.getLogger(WarehouseNodeServer.class);

  private final NativeEngine engine;
  private final BufferAllocator allocator;
  private final FlightServer server;

  private WarehouseNodeServer(NativeEngine engine, BufferAllocator allocator, FlightServer server) {
    this.engine = engine;
    this.allocator = allocator;
    this.server = server;
  }

  /** Starts a node on the loopback interface; port 0 picks a free port (see {@link #port()}). */
  public static WarehouseNodeServer start(NativeEngine engine, int port, NodeSecret secret) {
    return start(engine, LOOPBACK, port, secret);
  }

  /**
   * Starts a node on {@code host:port}. The node owns the engine from here on: closing the node
   * closes it, also when the start fails.
   */
  public static WarehouseNodeServer start(
      NativeEngine engine, String host, int port, NodeSecret secret) {
    BufferAllocator allocator = new RootAllocator();
    FlightServer server = null;
    try {
      server =
          FlightServer.builder(
                  allocator,
                  Location.forGrpcInsecure(host, port),
                  new WarehouseNodeProducer(engine, allocator))
              .headerAuthenticator(new NodeSecretAuthenticator(secret))
              .build()
              .start();
      LOG.info("warehouse node listening on {}", server.getLocation());
      return new WarehouseNodeServer(engine, allocator, server);
    } catch (IOException | RuntimeException e) {
      engine.close();
      allocator.close();
      throw new ExecException(
          ExecErrorCode.NODE_UNAVAILABLE,
          "The warehouse node cannot listen on " + host + ":" + port + ": " + e.getMessage(),
          e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Where clients connect, e.g. {@code grpc+tcp://127.0.0.1:40123}. */
  public Location location() {
    return server.getLocation();
  }

  /** Arrow memory held by running queries now. */
  public long arrowMemoryBytes() {
    return allocator.getAllocatedMemory();
  }

  /** The most Arrow memory running queries held at any time since start. */
  public long peakArrowMemoryBytes() {
    return allocator.getPeakMemoryAllocation();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops listening, cancels running queries, and closes the engine. */
  @Override
  public void close() {
    server.shutdown();
    engine.close();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("calls still open after 10 seconds are cut");
      }
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      allocator.close();
    } catch (RuntimeException e) {
      LOG.error("Arrow memory still held at shutdown: {}", e.getMessage());
    }
  }
}
