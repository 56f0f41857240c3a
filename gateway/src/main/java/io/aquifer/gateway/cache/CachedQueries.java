package io.aquifer.gateway.cache;

import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.SessionSettings;
import io.aquifer.planner.cache.PlanFingerprint;
import io.aquifer.results.cache.CachedResult;
import io.aquifer.results.cache.ResultCache;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.rel.RelNode;

/**
 * Answers a planned query from the result cache, or runs it and fills the cache. Concurrent
 * identical queries run once: the first computes, the others wait for its entry.
 */
public final class CachedQueries {
  private static final Duration WAIT_SLICE = Duration.ofMillis(250);

  private CachedQueries() {}

  /** What the cache decided for a statement. */
  public sealed interface Answer {
    ResultStream rows();
  }

  /** Answered from the cache: no warehouse was asked. */
  public record Hit(ResultStream rows, String originStatementId) implements Answer {}

  /** Run on the warehouse (and cached if it can be). */
  public record Computed(ResultStream rows) implements Answer {}

  /**
   * @param bound the query's plan with its parameters bound
   * @param run runs the query on the warehouse
   * @param checkCanceled throws if the statement was canceled while waiting for another's result
   * @param cacheNanos told the time spent on the cache's own work (fingerprint and key, look-up,
   *     opening a stored result), not on waiting for another statement's result or on running
   * @param keyed told the key of a cacheable query and the tables it read ({@code
   *     location@version}), before the cache is looked at
   * @param known the fingerprint of {@code bound} where the caller computed it already
   */
  public static Answer answer(
      Optional<ResultCache> cache,
      Session session,
      String statementId,
      RelNode bound,
      BufferAllocator allocator,
      Supplier<ResultStream> run,
      Runnable checkCanceled,
      LongConsumer cacheNanos,
      BiConsumer<String, List<String>> keyed,
      Optional<PlanFingerprint> known) {
    if (cache.isEmpty()) {
      return new Computed(run.get());
    }
    ResultCache c = cache.get();
    if (!SessionSettings.useCachedResult(session)) {
      c.bypassed();
      return new Computed(run.get());
    }
    long t0 = System.nanoTime();
    PlanFingerprint plan = known.orElseGet(() -> PlanFingerprint.of(bound));
    if (!plan.cacheable()) {
      c.bypassed();
      return new Computed(run.get());
    }
    String key = ResultCacheKeys.key(plan, session);
    keyed.accept(key, plan.tables());
    cacheNanos.accept(System.nanoTime() - t0);
    boolean first = true;
    while (true) {
      long t1 = System.nanoTime();
      Optional<CachedResult> hit = c.lookup(key, first);
      first = false;
      if (hit.isPresent()) {
        Hit answer =
            new Hit(new CachedResultStream(hit.get(), allocator), hit.get().originStatementId());
        cacheNanos.accept(System.nanoTime() - t1);
        return answer;
      }
      Optional<ResultCache.Claim> claim = c.claim(key);
      cacheNanos.accept(System.nanoTime() - t1);
      if (claim.isPresent()) {
        try {
          return new Computed(
              new CachingResultStream(
                  run.get(), c, key, session.principal().name(), statementId, claim.get()));
        } catch (RuntimeException | Error e) {
          claim.get().close();
          throw e;
        }
      }
      try {
        c.awaitComputed(key, WAIT_SLICE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        checkCanceled.run();
        throw new IllegalStateException("interrupted while waiting for a cached result", e);
      }
      checkCanceled.run();
    }
  }
}
