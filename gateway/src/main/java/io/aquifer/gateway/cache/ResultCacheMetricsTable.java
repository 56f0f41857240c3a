package io.aquifer.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.Session;
import io.aquifer.gateway.system.SystemTable;
import io.aquifer.results.cache.ResultCache;
import io.aquifer.results.cache.ResultCacheMetrics;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code system.cache.result_cache}: one row of the result cache's figures since the gateway
 * started (hits, misses, hit rate, entries and bytes in memory, stores, store errors) and where its
 * durable tier is; no row when the cache is off. Who may read it needs SELECT on it, as on every
 * system table (see {@link io.aquifer.gateway.system.SystemCatalog}).
 */
public final class ResultCacheMetricsTable implements SystemTable {
  private static final TableSchema COLUMNS =
      new TableSchema(
          List.of(
              Column.of("enabled", PrimitiveType.BOOLEAN),
              Column.of("store", PrimitiveType.STRING),
              Column.of("hits", PrimitiveType.BIGINT),
              Column.of("misses", PrimitiveType.BIGINT),
              Column.of("hit_rate", PrimitiveType.DOUBLE),
              Column.of("bypassed", PrimitiveType.BIGINT),
              Column.of("stores", PrimitiveType.BIGINT),
              Column.of("store_errors", PrimitiveType.BIGINT),
              Column.of("memory_entries", PrimitiveType.BIGINT),
              Column.of("memory_bytes", PrimitiveType.BIGINT)));

  private final Supplier<Optional<ResultCache>> cache;

  public ResultCacheMetricsTable(Supplier<Optional<ResultCache>> cache) {
    this.cache = requireNonNull(cache, "cache");
  }

  @Override
  public String schema() {
    return "cache";
  }

  @Override
  public String name() {
    return "result_cache";
  }

  @Override
  public TableSchema columns() {
    return COLUMNS;
  }

  @Override
  public List<List<Object>> rows(Session session) {
    Optional<ResultCache> c = cache.get();
    if (c.isEmpty()) {
      return List.of();
    }
    ResultCacheMetrics m = c.get().metrics();
    return List.of(
        Arrays.asList(
            true,
            c.get().describeStore(),
            m.hits(),
            m.misses(),
            m.hitRate(),
            m.bypassed(),
            m.stores(),
            m.storeErrors(),
            m.memoryEntries(),
            m.memoryBytes()));
  }
}
