package io.aquifer.exec.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.NativeEngine;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.storage.delta.NewDataFile;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Flight service, a thin adapter over a {@link NativeEngine}:
 *
 * <ul>
 *   <li>{@code DoGet(ticket)}: the ticket is a JSON {@link QueryFragment}; when the query's scans
 *       read object-store files through the disk cache, a message without batch carries what they
 *       read ({@code DiskCacheReads} as JSON application metadata); the engine's batches are sent
 *       as they are produced, waiting for the client to be ready before each one, so a slow client
 *       slows the query instead of filling memory. A client that goes away (cancels or closes the
 *       call, or drops the connection) cancels the query, also while DuckDB is still computing the
 *       first batch (see {@link CallCancellation}). When the last batch was sent, the engine's
 *       profile of the query (if it kept one) is put in the node's {@link EngineProfileStore} under
 *       the fragment's query id before the call completes; nothing follows the last batch.
 *   <li>{@code DoAction("write", WriteFragment JSON)}: one result, the JSON list of new files, and
 *       when its scans read object-store files through the disk cache a second one, what they read
 *       ({@code DiskCacheReads} JSON). A client that goes away cancels the write.
 *   <li>{@code DoAction("cancel", query id in UTF-8)}: no result.
 *   <li>{@code DoAction("ping")}: no result if the node can run queries, else an error.
 *   <li>{@code DoAction("engine-profile", query id in UTF-8)}: one result, the engine's JSON
 *       profile of that query, which the store then forgets; no result if it keeps none (profiles
 *       off, the call was canceled or failed, already fetched, evicted, or the node restarted).
 *   <li>{@code DoAction("data-cache-holding", JSON list of data file paths)}: no result if the node
 *       has no data cache, else one, the JSON list of those files its data cache holds now.
 * </ul>
 *
 * Everything else answers "unimplemented". Failures carry the {@link ExecErrorCode} (see {@link
 * FlightErrorMapping}).
 */
public final class WarehouseNodeProducer extends NoOpFlightProducer {
  public static final String WRITE_ACTION = "write";
  public static final String CANCEL_ACTION = "cancel";
  public static final String PING_ACTION = "ping";
  public static final String DATA_CACHE_HOLDING_ACTION = "data-cache-holding";
  public static final String ENGINE_PROFILE_ACTION = "engine-profile";

  private static final Logger LOG = LoggerFactory.getLogger(WarehouseNodeProducer.class);
  private static final long READY_WAIT_MILLIS = 1_000;

  private final NativeEngine engine;
  private final BufferAllocator allocator;
  private final FragmentCodec codec = new FragmentCodec();
  private final EngineProfileStore profiles;

  public WarehouseNodeProducer(NativeEngine engine, BufferAllocator allocator) {
    this(engine, allocator, new EngineProfileStore());
  }

  /**
   * @param profiles where the engine profiles of finished queries wait for the gateway
   */
  public WarehouseNodeProducer(
      NativeEngine engine, BufferAllocator allocator, EngineProfileStore profiles) {
    this.engine = engine;
    this.allocator = allocator;
    this.profiles = java.util.Objects.requireNonNull(profiles, "profiles");
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    QueryFragment fragment;
    try {
      fragment = codec.decodeQuery(ticket.getBytes());
    } catch (ExecException e) {
      listener.error(FlightErrorMapping.toFlight(e));
      return;
    }
    String queryId = fragment.queryId();
    CancelingBackpressure backpressure = new CancelingBackpressure(engine, queryId);
    backpressure.register(listener);
    // Flight tells the back-pressure strategy of a canceled call only once this handler returns;
    // while DuckDB computes, only the call's gRPC context says so.
    try (CallCancellation call = CallCancellation.onCancel(() -> engine.cancel(queryId));
        ArrowReader reader = engine.execute(fragment, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      listener.start(root);
      sendDiskCacheReads(reader, listener);
      while (reader.loadNextBatch()) {
        if (!waitUntilReady(backpressure, call)) {
          engine.cancel(queryId);
          return;
        }
        listener.putNext();
      }
      keepEngineProfile(queryId, reader, listener);
      listener.completed();
    } catch (ExecException e) {
      listener.error(FlightErrorMapping.toFlight(e));
    } catch (Exception e) {
      LOG.error("query {} failed", queryId, e);
      listener.error(
          FlightErrorMapping.toFlight(
              new ExecException(
                  ExecErrorCode.ENGINE_ERROR, "The node failed to run the query", e)));
    }
  }

  /**
   * Tells the client what the query's scans read through the disk cache (known once its files are
   * localized, before the first batch), as a message with application metadata and no batch.
   */
  private void sendDiskCacheReads(ArrowReader reader, ServerStreamListener listener) {
    if (!(reader instanceof io.aquifer.exec.ReadsThroughDiskCache cached)) {
      return;
    }
    io.aquifer.storage.cache.DiskCacheReads reads = cached.diskCacheReads();
    if (!reads.any()) {
      return;
    }
    byte[] json = codec.encodeReads(reads);
    org.apache.arrow.memory.ArrowBuf buffer = allocator.buffer(json.length);
    buffer.writeBytes(json);
    listener.putMetadata(buffer); // the listener frees it
  }

  /**
   * Keeps the engine's profile of a query whose last batch was sent, for the gateway to fetch with
   * {@code DoAction("engine-profile")}; before the call completes, so it is there when the client
   * sees the end. A client that went away gets none.
   */
  private void keepEngineProfile(
      String queryId, ArrowReader reader, ServerStreamListener listener) {
    if (!(reader instanceof io.aquifer.exec.EngineProfiled profiled) || listener.isCancelled()) {
      return;
    }
    profiled
        .engineProfile()
        .getNow(java.util.Optional.empty())
        .ifPresent(json -> profiles.put(queryId, json));
  }

  /**
   * Waits until the client can take a batch; false when the client went away. The call's context is
   * checked too: a canceled call is never ready again, and Flight reports it as CANCELLED only
   * after this handler returned.
   */
  private static boolean waitUntilReady(BackpressureStrategy backpressure, CallCancellation call) {
    while (true) {
      switch (backpressure.waitForListener(READY_WAIT_MILLIS)) {
        case READY:
          return true;
        case TIMEOUT:
          if (call.isCanceled()) {
            return false;
          }
          continue;
        default:
          return false;
      }
    }
  }

  @Override
  public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
    try {
      switch (action.getType()) {
        case WRITE_ACTION -> {
          WriteFragment write = codec.decodeWrite(action.getBody());
          List<NewDataFile> files;
          io.aquifer.storage.cache.DiskCacheReads[] reads = {
            io.aquifer.storage.cache.DiskCacheReads.NONE
          };
          try (CallCancellation call =
              CallCancellation.onCancel(() -> engine.cancel(write.query().queryId()))) {
            files = engine.write(write, r -> reads[0] = r);
          }
          listener.onNext(new Result(codec.encodeFiles(files)));
          if (reads[0].any()) {
            listener.onNext(new Result(codec.encodeReads(reads[0])));
          }
        }
        case CANCEL_ACTION -> engine.cancel(new String(action.getBody(), UTF_8));
        case PING_ACTION -> engine.checkHealth();
        case ENGINE_PROFILE_ACTION -> {
          java.util.Optional<String> profile = profiles.take(new String(action.getBody(), UTF_8));
          if (profile.isPresent()) {
            listener.onNext(new Result(profile.get().getBytes(UTF_8)));
          }
        }
        case DATA_CACHE_HOLDING_ACTION -> {
          java.util.Optional<java.util.Set<String>> held =
              engine.dataCacheHolding(codec.decodePaths(action.getBody()));
          if (held.isPresent()) {
            listener.onNext(new Result(codec.encodePaths(held.get())));
          }
        }
        default -> {
          listener.onError(
              CallStatus.UNIMPLEMENTED
                  .withDescription("Unknown action " + action.getType())
                  .toRuntimeException());
          return;
        }
      }
      listener.onCompleted();
    } catch (ExecException e) {
      listener.onError(FlightErrorMapping.toFlight(e));
    } catch (RuntimeException e) {
      LOG.error("action {} failed", action.getType(), e);
      listener.onError(
          FlightErrorMapping.toFlight(
              new ExecException(
                  ExecErrorCode.ENGINE_ERROR, "The node failed to run the action", e)));
    }
  }

  @Override
  public void listActions(CallContext context, StreamListener<ActionType> listener) {
    listener.onNext(
        new ActionType(WRITE_ACTION, "Run a WriteFragment (JSON); returns the new files (JSON)"));
    listener.onNext(new ActionType(CANCEL_ACTION, "Cancel the query with this id (UTF-8)"));
    listener.onNext(
        new ActionType(PING_ACTION, "Health check: no result when the node can run queries"));
    listener.onNext(
        new ActionType(
            DATA_CACHE_HOLDING_ACTION,
            "Which of these data files (JSON list) the node data cache holds (JSON list)"));
    listener.onNext(
        new ActionType(
            ENGINE_PROFILE_ACTION,
            "The engine's JSON profile of the finished query with this id (UTF-8), once"));
    listener.onCompleted();
  }

  /** Flight's callback back-pressure, which also cancels the query when the client goes away. */
  private static final class CancelingBackpressure
      extends BackpressureStrategy.CallbackBackpressureStrategy {
    private final NativeEngine engine;
    private final String queryId;

    CancelingBackpressure(NativeEngine engine, String queryId) {
      this.engine = engine;
      this.queryId = queryId;
    }

    @Override
    protected void cancelCallback() {
      super.cancelCallback();
      engine.cancel(queryId);
    }
  }
}
