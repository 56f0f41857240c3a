package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbEngineConfig.formatBytes;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The result of one query: DuckDB's Arrow stream, plus the node's rules. Each {@link
 * #loadNextBatch()} fails with QUERY_CANCELED once the query was canceled, translates engine
 * errors, and enforces the per-query limit on the Arrow batch held in the JVM. Closing it closes
 * the DuckDB result, statement and connection and the query's allocator.
 *
 * <p>The limit is checked after a batch is imported rather than set on the allocator: Arrow 18.3's
 * C-data importer leaks the imported array (and DuckDB's batch) when an allocator limit rejects one
 * of its buffers.
 */
final class DuckDbResultReader extends ArrowReader
    implements io.aquifer.exec.ReadsThroughDiskCache, io.aquifer.exec.EngineProfiled {
  private final ArrowReader source;
  private final RunningQuery query;
  private final DuckDbErrorTranslator errors;
  private final long batchLimitBytes;
  private final AutoCloseable resources;
  private final java.util.function.Supplier<io.aquifer.storage.cache.DiskCacheReads> diskCacheReads;
  private final java.util.function.Supplier<java.util.Optional<String>> profileOfEnded;
  private volatile java.util.Optional<String> engineProfile = java.util.Optional.empty();
  private long bytesRead;
  private VectorSchemaRoot relabelled;
  private boolean relabelChecked;

  DuckDbResultReader(
      BufferAllocator queryAllocator,
      ArrowReader source,
      RunningQuery query,
      DuckDbErrorTranslator errors,
      long batchLimitBytes,
      AutoCloseable resources,
      java.util.function.Supplier<io.aquifer.storage.cache.DiskCacheReads> diskCacheReads,
      java.util.function.Supplier<java.util.Optional<String>> profileOfEnded) {
    super(queryAllocator);
    this.profileOfEnded = profileOfEnded;
    this.diskCacheReads = diskCacheReads;
    this.source = source;
    this.query = query;
    this.errors = errors;
    this.batchLimitBytes = batchLimitBytes;
    this.resources = resources;
  }

  @Override
  public io.aquifer.storage.cache.DiskCacheReads diskCacheReads() {
    return diskCacheReads.get();
  }

  @Override
  public java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfile() {
    return java.util.concurrent.CompletableFuture.completedFuture(engineProfile);
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    VectorSchemaRoot root;
    try {
      root = source.getVectorSchemaRoot();
    } catch (IOException | RuntimeException e) {
      throw failure(e);
    }
    if (!relabelChecked) {
      relabelChecked = true;
      Schema utc = UtcTimestamps.schema(root.getSchema());
      if (!utc.equals(root.getSchema())) {
        relabelled = VectorSchemaRoot.create(utc, allocator);
      }
    }
    return relabelled != null ? relabelled : root;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    query.throwIfCanceled();
    boolean loaded;
    try {
      loaded = source.loadNextBatch();
    } catch (IOException | RuntimeException e) {
      throw failure(e);
    }
    query.throwIfCanceled();
    long held = allocator.getAllocatedMemory();
    if (held > batchLimitBytes) {
      int rows = source.getVectorSchemaRoot().getRowCount();
      throw new ExecException(
          ExecErrorCode.OUT_OF_MEMORY,
          "Query "
              + query.queryId()
              + " exceeded the per-query memory limit of "
              + formatBytes(batchLimitBytes)
              + ": a result batch of "
              + rows
              + " rows needs "
              + formatBytes(held));
    }
    if (!loaded && engineProfile.isEmpty()) {
      engineProfile = profileOfEnded.get(); // the query has ended: DuckDB has its profile
    }
    if (loaded) {
      bytesRead += held;
      VectorSchemaRoot root = getVectorSchemaRoot();
      if (relabelled != null) {
        VectorSchemaRoot from = source.getVectorSchemaRoot();
        for (int i = 0; i < from.getFieldVectors().size(); i++) {
          from.getVector(i).makeTransferPair(root.getVector(i)).transfer();
        }
        root.setRowCount(from.getRowCount());
      }
    }
    return loaded;
  }

  private ExecException failure(Exception e) {
    if (query.isCanceled()) {
      return query.canceledException(e);
    }
    return errors.translate(e);
  }

  /** Arrow bytes of all batches loaded so far. */
  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected Schema readSchema() throws IOException {
    return getVectorSchemaRoot().getSchema();
  }

  @Override
  public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    return source.getDictionaryVectors();
  }

  @Override
  public Dictionary lookup(long id) {
    return source.lookup(id);
  }

  @Override
  public Set<Long> getDictionaryIds() {
    return source.getDictionaryIds();
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (relabelled != null) {
      relabelled.close();
    }
    try {
      resources.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
