package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.StatementService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.apache.calcite.avatica.server.AvaticaProtobufHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.HandlerList;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Avatica endpoint of the gateway: Avatica's remote JDBC protocol, protobuf over HTTP, on a
 * host and port, answered by {@link AquiferMeta} through the gateway's {@link StatementService}.
 * Clients: Aquifer's JDBC driver ({@code jdbc:aquifer://host:port?token=...}), Avatica's remote
 * driver ({@code jdbc:avatica:remote:url=http://host:port;serialization=protobuf} with property
 * {@code token}, or {@code user=token} and the token as {@code password}), and Avatica's other
 * protobuf clients.
 *
 * <pre>{@code
 * AvaticaFrontEnd frontEnd = new AvaticaFrontEnd(statementService, AvaticaConfig.defaults().withPort(0));
 * frontEnd.start();
 * int port = frontEnd.port();
 * ...
 * frontEnd.stop();
 * }</pre>
 *
 * <p>Jetty (9.4, as Avatica 1.28's server brings it) serves Avatica's {@link
 * AvaticaProtobufHandler} at every path but {@value CancelHandler#PATH}, {@value
 * CancelHandler#QUERY_TIMEOUT_PATH} and {@value CancelHandler#HEARTBEAT_PATH}. Plain HTTP only for
 * now: TLS belongs in front of it (or in a later config option); the access token travels in the
 * OpenConnection request.
 */
public final class AvaticaFrontEnd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AvaticaFrontEnd.class);
  private static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(30);

  /** Each running statement holds a thread while its request waits for the first frame. */
  private static final int MAX_THREADS = 128;

  private static final int MIN_THREADS = 4;

  private final StatementService service;
  private final AvaticaConfig config;
  private final Clock clock;

  private ClientConnections connections;
  private Server server;
  private ServerConnector connector;
  private ScheduledExecutorService sweeper;
  private ExecutorService prefetch;

  public AvaticaFrontEnd(StatementService service, AvaticaConfig config) {
    this(service, config, Clock.systemUTC());
  }

  /** On {@code host}:{@code port} (0 for any free port) with default settings. */
  public AvaticaFrontEnd(StatementService service, String host, int port) {
    this(service, AvaticaConfig.defaults().withHost(host).withPort(port));
  }

  AvaticaFrontEnd(StatementService service, AvaticaConfig config, Clock clock) {
    this.service = requireNonNull(service, "service");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Binds the port and starts serving. @throws UncheckedIOException if the port cannot be bound */
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("Avatica front end already started");
    }
    ClientConnections clientConnections =
        new ClientConnections(
            service, config.connectionIdleTimeout(), config.heartbeatTimeout(), clock);
    ExecutorService frameReader =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "aquifer-avatica-prefetch");
              thread.setDaemon(true);
              return thread;
            });
    AquiferMeta meta =
        new AquiferMeta(service, clientConnections, config.maxFrameRows(), frameReader);
    AvaticaProtobufHandler avatica = new AvaticaProtobufHandler(new CompactFrameService(meta));

    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    threads.setName("aquifer-avatica");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    ServerConnector httpConnector = new ServerConnector(jetty);
    httpConnector.setHost(config.host());
    httpConnector.setPort(config.port());
    jetty.addConnector(httpConnector);
    HandlerList handlers = new HandlerList();
    handlers.addHandler(new CancelHandler(meta));
    MalformedRequestGuard guarded = new MalformedRequestGuard();
    guarded.setHandler(avatica);
    ClientAddressHandler addressed = new ClientAddressHandler();
    addressed.setHandler(guarded);
    handlers.addHandler(addressed);
    jetty.setHandler(handlers);
    try {
      jetty.start();
    } catch (Exception e) {
      stopQuietly(jetty);
      clientConnections.close();
      frameReader.shutdownNow();
      throw new UncheckedIOException(
          "Cannot start Avatica on " + config.host() + ":" + config.port(),
          e instanceof IOException io ? io : new IOException(e));
    }
    avatica.setServerRpcMetadata(
        new RpcMetadataResponse(config.host() + ":" + httpConnector.getLocalPort()));
    connections = clientConnections;
    prefetch = frameReader;
    server = jetty;
    connector = httpConnector;
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "aquifer-avatica-sweeper");
              thread.setDaemon(true);
              return thread;
            });
    long interval = sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
    long beats = config.heartbeatTimeout().toMillis() / 5;
    sweeper.scheduleWithFixedDelay(this::sweepSilent, beats, beats, TimeUnit.MILLISECONDS);
    log.info("Avatica listening on http://{}:{}", config.host(), connector.getLocalPort());
  }

  /** The bound port (the chosen one when the config says 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("Avatica front end not started");
    }
    return connector.getLocalPort();
  }

  /**
   * Stops serving: closes every client connection (which cancels what its statements run and closes
   * its gateway session), then the HTTP server. Safe to call twice.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    sweeper.shutdownNow();
    connections.close();
    stopQuietly(server);
    prefetch.shutdownNow();
    server = null;
    connector = null;
    log.info("Avatica stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private Duration sweepInterval() {
    Duration half = config.connectionIdleTimeout().dividedBy(2);
    if (half.compareTo(MAX_SWEEP_INTERVAL) > 0) {
      return MAX_SWEEP_INTERVAL;
    }
    return half.toMillis() < 10 ? Duration.ofMillis(10) : half;
  }

  private void sweep() {
    try {
      connections.closeIdle();
    } catch (RuntimeException e) {
      log.warn("Avatica clean-up failed", e);
    }
  }

  private void sweepSilent() {
    try {
      connections.closeSilent();
    } catch (RuntimeException e) {
      log.warn("Avatica clean-up of connections without heartbeats failed", e);
    }
  }

  private static void stopQuietly(Server jetty) {
    try {
      jetty.stop();
    } catch (Exception e) {
      log.warn("Stopping the Avatica HTTP server failed", e);
    }
  }
}
