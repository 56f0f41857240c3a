package io.aquifer.exec.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.storage.delta.NewDataFile;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The gateway's side of a warehouse node: queries, writes and cancels over Flight, with failures as
 * {@link ExecException}s carrying the node's error code (or NODE_UNAVAILABLE when the node cannot
 * be reached). Every call carries the node's {@link NodeSecret}. Thread-safe; one client per node
 * is enough.
 */
public final class WarehouseNodeClient implements AutoCloseable {
  private final BufferAllocator allocator;
  private final FlightClient client;
  private final String node;
  private final FragmentCodec codec = new FragmentCodec();

  /** Fetches engine profiles off the threads reading results; one thread, idle ones end. */
  private final java.util.concurrent.ThreadPoolExecutor profileFetches;

  /**
   * @param allocator where result batches are received; it outlives this client
   */
  public WarehouseNodeClient(BufferAllocator allocator, Location location, NodeSecret secret) {
    this.allocator = allocator;
    this.client =
        FlightClient.builder(allocator, location).intercept(new NodeSecretHeader(secret)).build();
    this.node = location.getUri().getHost() + ":" + location.getUri().getPort();
    this.profileFetches =
        new java.util.concurrent.ThreadPoolExecutor(
            1,
            1,
            10,
            TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(PROFILE_FETCHES_QUEUED),
            r -> {
              Thread t = new Thread(r, "aquifer-engine-profile-" + node);
              t.setDaemon(true);
              return t;
            });
    profileFetches.allowCoreThreadTimeOut(true);
  }

  /** Profile fetches waiting for the fetching thread; beyond this a run keeps no profile. */
  static final int PROFILE_FETCHES_QUEUED = 1_000;

  /**
   * Deadline of one profile fetch. Fetches of a node run one after another on one thread, so a node
   * that does not answer would otherwise hold up every later fetch; past this the run keeps no
   * profile. A node answers from memory, so 10 s is far more than a live node needs.
   */
  static final Duration PROFILE_FETCH_TIMEOUT = Duration.ofSeconds(10);

  public WarehouseNodeClient(BufferAllocator allocator, String host, int port, NodeSecret secret) {
    this(allocator, Location.forGrpcInsecure(host, port), secret);
  }

  /**
   * Starts the fragment on the node and returns its result as a stream. Batches arrive as the
   * reader is pulled; failures (also QUERY_CANCELED) are thrown as {@link ExecException} from
   * {@code getVectorSchemaRoot()} and {@code loadNextBatch()}. Close the reader when done; closing
   * it early cancels the query.
   */
  public ArrowReader query(QueryFragment fragment) {
    try {
      String queryId = fragment.queryId();
      return new FlightQueryReader(
          allocator,
          client.getStream(new Ticket(codec.encode(fragment))),
          node,
          () -> engineProfileLater(queryId));
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  /**
   * The engine's JSON profile of a query that ended on the node, which the node then forgets; empty
   * if it keeps none (profiles off, canceled or failed, fetched before, evicted, node restarted).
   */
  public java.util.Optional<String> engineProfile(String queryId) {
    try {
      Iterator<Result> results =
          client.doAction(
              new Action(WarehouseNodeProducer.ENGINE_PROFILE_ACTION, queryId.getBytes(UTF_8)),
              CallOptions.timeout(PROFILE_FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      java.util.Optional<String> profile =
          results.hasNext()
              ? java.util.Optional.of(new String(results.next().getBody(), UTF_8))
              : java.util.Optional.empty();
      results.forEachRemaining(r -> {});
      return profile;
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  /**
   * {@link #engineProfile(String)} on the client's fetching thread; completes empty, never
   * exceptionally, when the node keeps none, cannot be reached or too many fetches wait.
   */
  java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfileLater(
      String queryId) {
    java.util.concurrent.CompletableFuture<java.util.Optional<String>> profile =
        new java.util.concurrent.CompletableFuture<>();
    try {
      profileFetches.execute(new ProfileFetch(queryId, profile));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      profile.complete(java.util.Optional.empty());
    }
    return profile;
  }

  /** One queued profile fetch; {@link #close()} completes those never run with empty. */
  private final class ProfileFetch implements Runnable {
    private final String queryId;
    private final java.util.concurrent.CompletableFuture<java.util.Optional<String>> profile;

    ProfileFetch(
        String queryId,
        java.util.concurrent.CompletableFuture<java.util.Optional<String>> profile) {
      this.queryId = queryId;
      this.profile = profile;
    }

    @Override
    public void run() {
      io.grpc.Context.ROOT.run(
          () -> {
            try {
              profile.complete(engineProfile(queryId));
            } catch (RuntimeException e) {
              profile.complete(java.util.Optional.empty()); // a run without profile
            }
          });
    }

    void skip() {
      profile.complete(java.util.Optional.empty());
    }
  }

  /** Runs the write on the node and returns the files it wrote (nothing is committed). */
  public List<NewDataFile> write(WriteFragment fragment) {
    return write(fragment, reads -> {});
  }

  /**
   * Like {@link #write(WriteFragment)}, telling {@code reads} what the write's scans read through
   * the node's disk cache, when the node reports it.
   */
  public List<NewDataFile> write(
      WriteFragment fragment,
      java.util.function.Consumer<io.aquifer.storage.cache.DiskCacheReads> reads) {
    try {
      Iterator<Result> results =
          client.doAction(new Action(WarehouseNodeProducer.WRITE_ACTION, codec.encode(fragment)));
      if (!results.hasNext()) {
        throw new ExecException(
            ExecErrorCode.ENGINE_ERROR, "Warehouse node " + node + " returned no write result");
      }
      List<NewDataFile> files = codec.decodeFiles(results.next().getBody());
      if (results.hasNext()) {
        reads.accept(codec.decodeReads(results.next().getBody()));
      }
      results.forEachRemaining(r -> {});
      return files;
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  /** Cancels the query or write with this id on the node, whatever state it is in. */
  public void cancel(String queryId) {
    // Cancel is often sent from a call that was itself just canceled (a client gave up); the
    // cancel must not inherit that call's canceled gRPC context, or it would never leave.
    io.grpc.Context.ROOT.run(
        () -> {
          try {
            client
                .doAction(new Action(WarehouseNodeProducer.CANCEL_ACTION, queryId.getBytes(UTF_8)))
                .forEachRemaining(r -> {});
          } catch (FlightRuntimeException e) {
            throw FlightErrorMapping.fromFlight(e, node);
          }
        });
  }

  /**
   * Asks the node which of these data files its data cache holds now; empty if it has no data
   * cache. One round trip, made at planning time.
   */
  public java.util.Optional<java.util.Set<String>> dataCacheHolding(
      java.util.Collection<String> paths) {
    try {
      Iterator<Result> results =
          client.doAction(
              new Action(
                  WarehouseNodeProducer.DATA_CACHE_HOLDING_ACTION, codec.encodePaths(paths)));
      if (!results.hasNext()) {
        return java.util.Optional.empty();
      }
      java.util.Set<String> held =
          java.util.Set.copyOf(codec.decodePaths(results.next().getBody()));
      results.forEachRemaining(r -> {});
      return java.util.Optional.of(held);
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  /**
   * Asks the node whether it can run queries; returns when it answered yes.
   *
   * @throws ExecException NODE_UNAVAILABLE if it cannot be reached or did not answer within {@code
   *     timeout}; the node's own error if it answered that it cannot run queries
   */
  public void ping(Duration timeout) {
    try {
      client
          .doAction(
              new Action(WarehouseNodeProducer.PING_ACTION, new byte[0]),
              CallOptions.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .forEachRemaining(r -> {});
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  @Override
  public void close() {
    // runs not fetched yet keep no profile, but their futures must still complete
    for (Runnable notRun : profileFetches.shutdownNow()) {
      if (notRun instanceof ProfileFetch) {
        ((ProfileFetch) notRun).skip();
      }
    }
    try {
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
