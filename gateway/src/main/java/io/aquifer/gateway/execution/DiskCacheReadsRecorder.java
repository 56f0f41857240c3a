package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.history.StatementStatistics;
import io.aquifer.storage.cache.DiskCacheReads;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Passes a warehouse's result through and adds what its scans read through the node's disk cache to
 * the statement's statistics (query history's {@code read_cache_bytes}, {@code read_remote_bytes}).
 * The node reports it before the first batch, so it is taken after the first pull and again at
 * close (before the stream, which forgets it once closed, is closed); not after every batch.
 */
final class DiskCacheReadsRecorder implements ResultStream {
  private final ResultStream rows;
  private final StatementStatistics statistics;
  private DiskCacheReads recorded = DiskCacheReads.NONE;
  private boolean pulled;

  DiskCacheReadsRecorder(ResultStream rows, StatementStatistics statistics) {
    this.rows = requireNonNull(rows, "rows");
    this.statistics = requireNonNull(statistics, "statistics");
  }

  @Override
  public Schema schema() {
    return rows.schema();
  }

  @Override
  public boolean next() {
    if (pulled) {
      return rows.next();
    }
    try {
      return rows.next();
    } finally {
      pulled = true;
      record();
    }
  }

  @Override
  public VectorSchemaRoot root() {
    return rows.root();
  }

  @Override
  public DiskCacheReads diskCacheReads() {
    return rows.diskCacheReads();
  }

  @Override
  public void close() {
    record();
    rows.close();
  }

  private synchronized void record() {
    DiskCacheReads now;
    try {
      now = rows.diskCacheReads();
    } catch (RuntimeException e) {
      return; // closed meanwhile: what was taken before stays
    }
    if (now.hits() > recorded.hits()
        || now.misses() > recorded.misses()
        || now.cacheBytes() > recorded.cacheBytes()
        || now.remoteBytes() > recorded.remoteBytes()) {
      statistics.diskCacheReads(
          new DiskCacheReads(
              Math.max(0, now.hits() - recorded.hits()),
              Math.max(0, now.misses() - recorded.misses()),
              Math.max(0, now.cacheBytes() - recorded.cacheBytes()),
              Math.max(0, now.remoteBytes() - recorded.remoteBytes())));
      recorded = now;
    }
  }
}
