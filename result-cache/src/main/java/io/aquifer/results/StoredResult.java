package io.aquifer.results;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One statement's result in the store: its schema and a growing list of chunks. A producer appends
 * chunks and then completes or fails it; readers read any chunk by index, again and again, and wait
 * for chunks that are not there yet. Thread-safe.
 */
public final class StoredResult {
  private final ResultStore store;
  private final String id;
  private final String owner;
  private final Schema schema;
  private final Instant createdAt;
  private final List<StoredChunk> chunks = new ArrayList<>();
  private ResultState state = ResultState.SPOOLING;
  private RuntimeException failure;
  private Instant expiresAt;
  private long rows;
  private long bytes;

  StoredResult(ResultStore store, String id, String owner, Schema schema, Instant createdAt) {
    this.store = requireNonNull(store, "store");
    this.id = requireNonNull(id, "id");
    this.owner = requireNonNull(owner, "owner");
    this.schema = requireNonNull(schema, "schema");
    this.createdAt = requireNonNull(createdAt, "createdAt");
    this.expiresAt = createdAt.plus(store.config().expiry());
  }

  public String id() {
    return id;
  }

  public String owner() {
    return owner;
  }

  public Schema schema() {
    return schema;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public synchronized Instant expiresAt() {
    return expiresAt;
  }

  public synchronized ResultState state() {
    return state;
  }

  /** Rows in the chunks stored so far. */
  public synchronized long rowCount() {
    return rows;
  }

  /** Bytes of the chunks stored so far. */
  public synchronized long byteCount() {
    return bytes;
  }

  public synchronized int chunkCount() {
    return chunks.size();
  }

  /**
   * Adds the next chunk, an Arrow IPC stream. Makes room first within the owner's quota.
   *
   * @throws ResultStoreException RESULT_QUOTA_EXCEEDED, or RESULT_CLOSED if the result was closed
   */
  public void append(long rowCount, byte[] arrowIpc) {
    StoredChunk chunk;
    synchronized (this) {
      checkOpenForWriting();
      chunk = new StoredChunk(id, chunks.size(), rowCount, arrowIpc);
    }
    store.reserve(this, chunk.size());
    synchronized (this) {
      if (state != ResultState.SPOOLING) {
        store.release(this, chunk.size(), false);
        checkOpenForWriting();
      }
      chunks.add(chunk);
      rows += rowCount;
      bytes += chunk.size();
      notifyAll();
    }
    store.remember(chunk);
  }

  /** Every chunk is there; starts the expiry clock. */
  public void complete() {
    synchronized (this) {
      if (state != ResultState.SPOOLING) {
        return;
      }
      state = ResultState.COMPLETE;
      expiresAt = store.now().plus(store.config().expiry());
      notifyAll();
    }
  }

  /** The producer failed: readers get {@code error}, the chunks are dropped. */
  public void fail(RuntimeException error) {
    requireNonNull(error, "error");
    synchronized (this) {
      if (state != ResultState.SPOOLING) {
        return;
      }
      state = ResultState.FAILED;
      failure = error;
      notifyAll();
    }
    store.drop(this);
  }

  /**
   * Chunk {@code index}, waiting up to {@code wait} for it while the result is still spooling.
   * Empty if it did not arrive in time.
   *
   * @throws ResultStoreException CHUNK_OUT_OF_RANGE past the end of a complete result or below 0;
   *     RESULT_CLOSED once closed or expired
   * @throws RuntimeException the producer's failure, if it failed
   */
  public Optional<ResultChunk> chunk(int index, Duration wait) {
    if (index < 0) {
      throw new ResultStoreException(
          ResultStoreErrorCode.CHUNK_OUT_OF_RANGE, "chunk index " + index + " is negative");
    }
    long deadline = System.nanoTime() + wait.toNanos();
    StoredChunk chunk;
    synchronized (this) {
      while (true) {
        if (state == ResultState.DELETED) {
          throw closed();
        }
        if (state == ResultState.FAILED) {
          throw failure;
        }
        if (index < chunks.size()) {
          chunk = chunks.get(index);
          break;
        }
        if (state == ResultState.COMPLETE) {
          throw new ResultStoreException(
              ResultStoreErrorCode.CHUNK_OUT_OF_RANGE,
              "chunk "
                  + index
                  + " is past the end of the result of statement "
                  + id
                  + ", which has "
                  + chunks.size()
                  + " chunks (0 to "
                  + (chunks.size() - 1)
                  + ")");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        try {
          long millis = Math.max(1, left / 1_000_000);
          wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
    }
    return Optional.of(new ResultChunk(index, chunk.rowCount(), chunk.read(store.spillTier())));
  }

  /** True once every chunk is there. */
  public synchronized boolean isComplete() {
    return state == ResultState.COMPLETE;
  }

  /** Closes the result: frees its memory and files. Idempotent. */
  public void close() {
    store.delete(id);
  }

  /** Marks deleted and hands back the chunks to free; empty if it was already deleted. */
  synchronized List<StoredChunk> markDeleted() {
    if (state == ResultState.DELETED) {
      return List.of();
    }
    state = ResultState.DELETED;
    notifyAll();
    List<StoredChunk> dropped = List.copyOf(chunks);
    chunks.clear();
    return dropped;
  }

  /** Drops the chunks of a failed result but keeps its failure for readers. */
  synchronized List<StoredChunk> takeChunks() {
    List<StoredChunk> dropped = List.copyOf(chunks);
    chunks.clear();
    return dropped;
  }

  synchronized boolean expiredAt(Instant now) {
    return state != ResultState.SPOOLING && expiresAt.isBefore(now);
  }

  private void checkOpenForWriting() {
    if (state != ResultState.SPOOLING) {
      throw state == ResultState.DELETED
          ? closed()
          : new IllegalStateException("result " + id + " is " + state + "; no chunks can be added");
    }
  }

  private ResultStoreException closed() {
    return new ResultStoreException(
        ResultStoreErrorCode.RESULT_CLOSED,
        "the result of statement "
            + id
            + " was closed, expired, or removed to stay within its owner's quota; run the"
            + " statement again");
  }

  @Override
  public String toString() {
    return "StoredResult[" + id + ", " + owner + "]";
  }
}
