package io.aquifer.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.ResultStream;
import io.aquifer.results.cache.CachedResult;
import io.aquifer.results.cache.ResultCache;
import java.time.Instant;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a query's rows through from the warehouse and keeps a copy of them; when the last batch
 * has passed, the copy becomes a cache entry. A result that grows past the cache's size limit, or a
 * stream closed before its end (canceled, failed), stores nothing.
 */
final class CachingResultStream implements ResultStream {
  private static final Logger LOG = LoggerFactory.getLogger(CachingResultStream.class);

  private final ResultStream rows;
  private final ResultCache cache;
  private final String key;
  private final String principal;
  private final String statementId;
  private final ResultCache.Claim claim;
  private ArrowIpcStreamBuilder copy;
  private boolean released;

  CachingResultStream(
      ResultStream rows,
      ResultCache cache,
      String key,
      String principal,
      String statementId,
      ResultCache.Claim claim) {
    this.rows = requireNonNull(rows, "rows");
    this.cache = requireNonNull(cache, "cache");
    this.key = requireNonNull(key, "key");
    this.principal = requireNonNull(principal, "principal");
    this.statementId = requireNonNull(statementId, "statementId");
    this.claim = requireNonNull(claim, "claim");
    Schema schema = rows.schema();
    this.copy = ArrowIpcStreamBuilder.supports(schema) ? new ArrowIpcStreamBuilder(schema) : null;
  }

  @Override
  public Schema schema() {
    return rows.schema();
  }

  @Override
  public boolean next() {
    boolean more = rows.next();
    if (copy == null) {
      return more;
    }
    try {
      if (more) {
        copy.add(rows.root());
        if (copy.size() > cache.config().maxResultBytes()) {
          LOG.debug(
              "statement {}: result larger than the cache limit of {} bytes; not cached",
              statementId,
              cache.config().maxResultBytes());
          copy = null;
        }
      } else {
        long rowCount = copy.rows();
        byte[] ipc = copy.finish();
        copy = null;
        cache.store(new CachedResult(key, principal, statementId, Instant.now(), rowCount, ipc));
        release();
      }
    } catch (RuntimeException e) {
      LOG.warn("statement {}: its result cannot be cached: {}", statementId, e.toString());
      copy = null;
    }
    return more;
  }

  @Override
  public VectorSchemaRoot root() {
    return rows.root();
  }

  @Override
  public void close() {
    copy = null;
    try {
      rows.close();
    } finally {
      release();
    }
  }

  private void release() {
    if (!released) {
      released = true;
      claim.close();
    }
  }
}
