package io.aquifer.server;

import io.aquifer.results.cache.CacheStoreException;
import io.aquifer.results.cache.ResultCache;
import io.aquifer.results.cache.ResultCacheConfig;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code aquifer cache ...}: the query result cache's durable tier (the directory under the data
 * directory, or the S3 bucket the configuration names); the server may be running. A running server
 * drops its memory tier within two seconds of a clear.
 */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    description = {
      "Manages the query result cache (the server may be running).",
      "Its location comes from the configuration: result-cache-dir, or result-cache-s3-bucket."
    },
    subcommands = {CacheCommand.Clear.class, CacheCommand.Stats.class})
final class CacheCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  static int withCache(AquiferCommand.ConfigOptions config, ToIntFunction<ResultCache> action) {
    ResultCacheConfig cacheConfig;
    try {
      cacheConfig =
          ServerConfig.load(config.configFile, System.getenv(), config.flags()).resultCache();
    } catch (IllegalArgumentException e) {
      System.err.println("aquifer cache: " + e.getMessage());
      return 2;
    }
    try (ResultCache cache = ResultCache.open(cacheConfig)) {
      return action.applyAsInt(cache);
    } catch (CacheStoreException e) {
      System.err.println("aquifer cache: " + e.getMessage());
      return 1;
    }
  }

  @Command(
      name = "clear",
      mixinStandardHelpOptions = true,
      description = "Deletes every entry of the result cache; running servers drop theirs too.")
  static final class Clear implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Override
    public Integer call() {
      return withCache(
          config,
          cache -> {
            int removed = cache.clear();
            System.out.println(
                "Cleared the result cache in "
                    + cache.describeStore()
                    + ": "
                    + removed
                    + " entries");
            return 0;
          });
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = {
        "Prints where the result cache keeps its entries and how many there are.",
        "Hit and miss counts of a running server: SELECT * FROM system.cache.result_cache."
      })
  static final class Stats implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Override
    public Integer call() {
      return withCache(
          config,
          cache -> {
            System.out.println("store: " + cache.describeStore());
            System.out.println("entries: " + cache.durableEntries());
            System.out.println("enabled: " + cache.config().enabled());
            System.out.println("expiry_seconds: " + cache.config().expiry().toSeconds());
            System.out.println("max_result_bytes: " + cache.config().maxResultBytes());
            return 0;
          });
    }
  }
}
