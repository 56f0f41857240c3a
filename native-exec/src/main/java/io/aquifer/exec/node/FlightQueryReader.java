package io.aquifer.exec.node;

import io.aquifer.exec.ExecException;
import java.io.IOException;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A node's query result as an {@link ArrowReader}, so the gateway treats a remote node like a local
 * engine. Batches are pulled from the Flight stream one at a time (gRPC flow control keeps only a
 * few in flight); Flight errors become {@link ExecException}s. Closing it before the end cancels
 * the call, which cancels the query on the node.
 *
 * <p>A pull waits on behalf of its caller: when the thread pulling serves a gRPC call (the Flight
 * SQL front end's DoGet streaming this result to a client) and that call is canceled while the pull
 * waits, the call to the node is canceled too, so the query stops on the node and the pull fails
 * with QUERY_CANCELED. The caller itself cannot react: Flight reports its call canceled only after
 * its handler, blocked here until the node's first batch, returns.
 */
final class FlightQueryReader extends ArrowReader
    implements io.aquifer.exec.ReadsThroughDiskCache, io.aquifer.exec.EngineProfiled {
  private final FlightStream stream;
  private final String node;
  private long bytesRead;
  private final java.util.function.Supplier<
          java.util.concurrent.CompletableFuture<java.util.Optional<String>>>
      fetchEngineProfile;
  private volatile boolean ended;
  private java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfile;
  private volatile io.aquifer.storage.cache.DiskCacheReads diskCacheReads =
      io.aquifer.storage.cache.DiskCacheReads.NONE;

  FlightQueryReader(BufferAllocator allocator, FlightStream stream, String node) {
    this(
        allocator,
        stream,
        node,
        () -> java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty()));
  }

  /**
   * @param fetchEngineProfile asks the node for the query's engine profile (once, after the stream
   *     ended normally), without blocking
   */
  FlightQueryReader(
      BufferAllocator allocator,
      FlightStream stream,
      String node,
      java.util.function.Supplier<
              java.util.concurrent.CompletableFuture<java.util.Optional<String>>>
          fetchEngineProfile) {
    super(allocator);
    this.stream = stream;
    this.node = node;
    this.fetchEngineProfile = fetchEngineProfile;
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() {
    try (CallCancellation caller = CallCancellation.onCancel(this::callerCanceled)) {
      return stream.getRoot();
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  @Override
  public boolean loadNextBatch() {
    try (CallCancellation caller = CallCancellation.onCancel(this::callerCanceled)) {
      boolean loaded = stream.next();
      while (loaded && stream.getLatestMetadata() != null) {
        // a message without batch: what the query read through the node's disk cache
        org.apache.arrow.memory.ArrowBuf metadata = stream.getLatestMetadata();
        byte[] json = new byte[(int) metadata.readableBytes()];
        metadata.getBytes(metadata.readerIndex(), json);
        diskCacheReads = new FragmentCodec().decodeReads(json);
        loaded = stream.next();
      }
      if (loaded) {
        bytesRead +=
            stream.getRoot().getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum();
      } else {
        ended = true; // the node sent everything and completed the call
      }
      return loaded;
    } catch (FlightRuntimeException e) {
      throw FlightErrorMapping.fromFlight(e, node);
    }
  }

  /** Runs on the canceling thread while a pull waits: gives up the node's call (non-blocking). */
  private void callerCanceled() {
    stream.cancel("The query was canceled: the call reading its result was canceled", null);
  }

  @Override
  public io.aquifer.storage.cache.DiskCacheReads diskCacheReads() {
    return diskCacheReads;
  }

  /**
   * Once the stream ended normally, the node's profile of the query, fetched with a separate call
   * ({@code DoAction("engine-profile")}) the first time it is asked for; nothing travels with the
   * result stream itself. Empty for a stream not read to the end.
   */
  @Override
  public synchronized java.util.concurrent.CompletableFuture<java.util.Optional<String>>
      engineProfile() {
    if (!ended) {
      return java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty());
    }
    if (engineProfile == null) {
      engineProfile = fetchEngineProfile.get();
    }
    return engineProfile;
  }

  /** Arrow bytes received so far. */
  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected Schema readSchema() {
    return getVectorSchemaRoot().getSchema();
  }

  @Override
  public Dictionary lookup(long id) {
    return stream.getDictionaryProvider().lookup(id);
  }

  @Override
  public java.util.Set<Long> getDictionaryIds() {
    return stream.getDictionaryProvider().getDictionaryIds();
  }

  /**
   * Cancels the call if it has not ended and frees the batch held. A statement that is canceled
   * interrupts the thread that closes its stream; {@link FlightStream#close()} drains the call with
   * a blocking take, which an interrupt breaks off before it frees the last batch (the batch then
   * stays allocated for good). So the interrupt is held back while the stream closes and restored
   * after; the drain is short, as the call is canceled first.
   */
  @Override
  protected void closeReadSource() throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      stream.close();
    } catch (FlightRuntimeException e) {
      // the call ended with an error (or was canceled) after we stopped reading; close() has
      // freed what it held
    } catch (Exception e) {
      releaseRoot();
      throw new IOException("Closing the result stream of node " + node + " failed", e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Frees the batch the stream still holds when its close() broke off. */
  private void releaseRoot() {
    try {
      if (stream.hasRoot()) {
        stream.getRoot().close();
      }
    } catch (RuntimeException e) {
      // the stream is unusable either way
    }
  }
}
