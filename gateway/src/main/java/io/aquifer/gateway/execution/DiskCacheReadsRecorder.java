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
 * <p>When the statement's history keeps engine profiles ({@link
 * StatementStatistics#keepsEngineProfile()}), it also asks for the engine's profile of the query
 * once the last batch was read (a remote node's is fetched after its stream ended, off this thread)
 * and hands it, with the logical plan that ran ({@link io.aquifer.gateway.history.PlanOutline}), to
 * the statistics (query history's engine profile). A result closed before its end asks for none.
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
   * @param planOutline the plan's outline as JSON, asked for when the last batch was read and
   *     engine profiles are kept
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
    boolean more;
    try {
      more = rows.next();
    } finally {
      pulled = true;
      record();
    }
    if (!more) {
      recordProfile();
    }
    return more;
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
  public java.util.concurrent.CompletableFuture<java.util.Optional<String>> engineProfile() {
    return rows.engineProfile();
  }

  @Override
  public void close() {
    record();
    rows.close();
  }

  private synchronized void recordProfile() {
    if (profileRecorded) {
      return;
    }
    profileRecorded = true;
    if (!statistics.keepsEngineProfile()) {
      return;
    }
    String plan;
    java.util.concurrent.CompletableFuture<java.util.Optional<String>> profile;
    try {
      plan = planOutline.get();
      profile = plan == null ? null : rows.engineProfile();
    } catch (RuntimeException e) {
      return; // a run without profile
    }
    if (profile != null) {
      statistics.engineProfile(
          profile.thenApply(
              p -> p.map(json -> "{\"plan\":" + plan + ",\"profile\":" + json + "}")));
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
