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
 *
 * <p>It also keeps the engine's profile of the query, which the node sends after the last batch,
 * with the logical plan that ran ({@link io.aquifer.gateway.history.PlanOutline}), in the
 * statistics (query history's engine profile): taken when the last batch was read, or at close.
 */
final class DiskCacheReadsRecorder implements ResultStream {
  private final ResultStream rows;
  private final StatementStatistics statistics;
  private DiskCacheReads recorded = DiskCacheReads.NONE;
  private final java.util.function.Supplier<String> planOutline;
  private boolean pulled;
  private boolean profileRecorded;

  DiskCacheReadsRecorder(ResultStream rows, StatementStatistics statistics) {
    this(rows, statistics, () -> null);
  }

  /**
   * @param planOutline the plan's outline as JSON, asked for only when the engine sent a profile
   */
  DiskCacheReadsRecorder(
      ResultStream rows,
      StatementStatistics statistics,
      java.util.function.Supplier<String> planOutline) {
    this.rows = requireNonNull(rows, "rows");
    this.statistics = requireNonNull(statistics, "statistics");
    this.planOutline = requireNonNull(planOutline, "planOutline");
  }

  @Override
  public Schema schema() {
    return rows.schema();
  }

  @Override
  public boolean next() {
    if (pulled) {
      boolean more = rows.next();
      if (!more) {
        recordProfile();
      }
      return more;
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
  public java.util.Optional<String> engineProfile() {
    return rows.engineProfile();
  }

  @Override
  public void close() {
    record();
    recordProfile();
    rows.close();
  }

  private synchronized void recordProfile() {
    if (profileRecorded) {
      return;
    }
    java.util.Optional<String> profile;
    try {
      profile = rows.engineProfile();
    } catch (RuntimeException e) {
      return;
    }
    if (profile.isEmpty()) {
      return;
    }
    profileRecorded = true;
    String plan = planOutline.get();
    if (plan != null) {
      statistics.engineProfile("{\"plan\":" + plan + ",\"profile\":" + profile.get() + "}");
    }
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
