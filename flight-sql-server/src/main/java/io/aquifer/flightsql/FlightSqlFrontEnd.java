package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.StatementService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Arrow Flight SQL endpoint of the gateway: a Flight server on a host and port whose producer
 * ({@link AquiferFlightSqlProducer}) answers through the gateway's {@link StatementService}.
 * Clients: the Flight SQL JDBC driver ({@code
 * jdbc:arrow-flight-sql://host:port?useEncryption=false&token=...} or {@code
 * user=...&password=...}), ADBC, ODBC.
 *
 * <pre>{@code
 * FlightSqlFrontEnd frontEnd = new FlightSqlFrontEnd(statementService, allocator, config);
 * frontEnd.start();
 * int port = frontEnd.port();
 * ...
 * frontEnd.stop();
 * }</pre>
 *
 * <p>Plain TCP only for now: TLS belongs in front of it (or in a later config option).
 */
public final class FlightSqlFrontEnd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FlightSqlFrontEnd.class);
  private static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(30);

  private final StatementService service;
  private final BufferAllocator parentAllocator;
  private final FlightSqlConfig config;
  private final Clock clock;
  private final FlightCallTimings callTimings = new FlightCallTimings();

  private BufferAllocator allocator;
  private ConnectionSessions sessions;
  private SubmittedStatements submittedStatements;
  private FlightServer server;
  private ScheduledExecutorService sweeper;

  public FlightSqlFrontEnd(
      StatementService service, BufferAllocator allocator, FlightSqlConfig config) {
    this(service, allocator, config, Clock.systemUTC());
  }

  /** On {@code host}:{@code port} (0 for any free port) with default timeouts. */
  public FlightSqlFrontEnd(
      StatementService service, BufferAllocator allocator, String host, int port) {
    this(service, allocator, FlightSqlConfig.defaults().withHost(host).withPort(port));
  }

  FlightSqlFrontEnd(
      StatementService service, BufferAllocator allocator, FlightSqlConfig config, Clock clock) {
    this.service = requireNonNull(service, "service");
    this.parentAllocator = requireNonNull(allocator, "allocator");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Binds the port and starts serving. @throws UncheckedIOException if the port cannot be bound */
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("Flight SQL front end already started");
    }
    allocator = parentAllocator.newChildAllocator("flight-sql", 0, Long.MAX_VALUE);
    sessions = new ConnectionSessions(service, config.sessionIdleTimeout(), clock);
    submittedStatements = new SubmittedStatements(service, clock);
    PreparedStatementCache preparedStatements = new PreparedStatementCache();
    sessions.onClose(preparedStatements::closeOwnedBy);
    sessions.onClose(submittedStatements::discardOwnedBy);
    AquiferFlightSqlProducer producer =
        new AquiferFlightSqlProducer(
            service, allocator, sessions, preparedStatements, submittedStatements);
    FlightAuthHandler authHandler = new FlightAuthHandler(service, sessions);
    FlightServer flightServer =
        FlightServer.builder(
                allocator,
                Location.forGrpcInsecure(config.host(), config.port()),
                new MalformedCallGuard(producer))
            .middleware(
                FlightSessionMiddleware.KEY,
                new FlightSessionMiddleware.Factory(authHandler, sessions, callTimings))
            .transportHint(
                "grpc.builderConsumer",
                (java.util.function.Consumer<io.grpc.netty.NettyServerBuilder>)
                    b -> b.addStreamTracerFactory(new ClientAddressTracer()))
            .build();
    try {
      flightServer.start();
    } catch (IOException e) {
      closeQuietly(flightServer);
      sessions.close();
      allocator.close();
      throw new UncheckedIOException(
          "Cannot start Flight SQL on " + config.host() + ":" + config.port(), e);
    }
    server = flightServer;
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "aquifer-flight-sql-sweeper");
              thread.setDaemon(true);
              return thread;
            });
    long interval = sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
    log.info("Flight SQL listening on {}:{}", config.host(), server.getPort());
  }

  /** The bound port (the chosen one when the config says 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("Flight SQL front end not started");
    }
    return server.getPort();
  }

  /** The time spent per kind of Flight call since the start (or the last reset). */
  public FlightCallTimings callTimings() {
    return callTimings;
  }

  /**
   * How many statements started by GetFlightInfo a DoGet has begun to fetch since the front end
   * started (for tests and diagnostics); a statement never fetched is canceled after the
   * unclaimed-result timeout instead.
   */
  public synchronized long resultFetchesStarted() {
    return submittedStatements == null ? 0 : submittedStatements.claims();
  }

  /**
   * Stops serving: cancels the statements it started, closes the server (waiting a few seconds for
   * calls in flight) and every client connection's gateway session. Safe to call twice.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    sweeper.shutdownNow();
    server.shutdown();
    submittedStatements.close();
    closeQuietly(server);
    sessions.close();
    server = null;
    allocator.close();
    log.info("Flight SQL stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private Duration sweepInterval() {
    Duration shortest =
        config.sessionIdleTimeout().compareTo(config.unclaimedResultTimeout()) < 0
            ? config.sessionIdleTimeout()
            : config.unclaimedResultTimeout();
    Duration half = shortest.dividedBy(2);
    if (half.compareTo(MAX_SWEEP_INTERVAL) > 0) {
      return MAX_SWEEP_INTERVAL;
    }
    return half.toMillis() < 10 ? Duration.ofMillis(10) : half;
  }

  private void sweep() {
    try {
      submittedStatements.cancelUnclaimed(config.unclaimedResultTimeout());
      sessions.closeIdle();
    } catch (RuntimeException e) {
      log.warn("Flight SQL clean-up failed", e);
    }
  }

  private static void closeQuietly(FlightServer server) {
    try {
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
