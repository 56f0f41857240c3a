package io.aquifer.exec;

import io.aquifer.storage.delta.NewDataFile;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A native vectorized engine on a warehouse node: runs compiled fragments and writes Parquet files.
 * Narrow on purpose, so that another engine (DataFusion, Velox) can take DuckDB's seat.
 *
 * <p>All methods may be called from any thread; {@link #cancel} is meant to be called from a
 * different thread than the one running the query. Failures are {@link ExecException}s, also when
 * thrown from the returned reader's {@code loadNextBatch()}.
 */
public interface NativeEngine extends AutoCloseable {

  /**
   * Starts the fragment and returns its result as a stream of Arrow batches. Batches are produced
   * as the reader is pulled; the whole result is never held. Closing the reader stops the query and
   * releases everything it holds (engine connection, Arrow memory).
   *
   * @param allocator parent of the per-query allocator the batches live in
   * @throws ExecException with {@link ExecErrorCode#QUERY_CANCELED} if the query was canceled
   *     before it started
   */
  ArrowReader execute(QueryFragment fragment, BufferAllocator allocator);

  /**
   * Runs the fragment's query and writes its rows as new Parquet files directly below the target
   * directory. Returns no file for zero rows. On failure or cancellation no file of this write is
   * left behind. Nothing is committed.
   */
  List<NewDataFile> write(WriteFragment fragment);

  /**
   * Like {@link #write(WriteFragment)}, telling {@code reads} what the write's scans read through
   * the node's disk cache once it succeeded.
   */
  default List<NewDataFile> write(
      WriteFragment fragment,
      java.util.function.Consumer<io.aquifer.storage.cache.DiskCacheReads> reads) {
    return write(fragment);
  }

  /**
   * Which of these data files (paths as in {@link ScanFile#path()}) the node's data cache holds
   * now, in engine-native form; empty if the node has no data cache. Asked by the gateway at
   * planning time, to decide which files a fragment's scans read from the cache.
   */
  default java.util.Optional<java.util.Set<String>> dataCacheHolding(
      java.util.Collection<String> paths) {
    return java.util.Optional.empty();
  }

  /**
   * Cancels the query or write with this id: before it starts (it will fail when it arrives), while
   * it runs, or after it ended (no effect). Never throws for an unknown id.
   */
  void cancel(String queryId);

  /**
   * Returns if the engine can run queries; the node's health check. Cheap: it runs no query.
   *
   * @throws ExecException NODE_UNAVAILABLE if it cannot (closed, or it failed)
   */
  default void checkHealth() {}

  /** Stops all running queries and releases the engine. */
  @Override
  void close();
}
