package io.aquifer.server;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.Session;
import io.aquifer.storage.cache.DiskCacheStats;
import io.aquifer.storage.objects.S3ProxyProcess;
import io.aquifer.tpch.LoadProgress;
import io.aquifer.tpch.StatementServiceSql;
import io.aquifer.tpch.TpchDataLoader;
import io.aquifer.tpch.TpchQueries;
import io.aquifer.tpch.TpchQuery;
import io.aquifer.tpch.TpchScaleFactor;
import io.aquifer.tpch.TpchSchemaName;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The 22 TPC-H queries with the tables in S3 (S3Proxy 4.1.0, filesystem backend, loopback) next to
 * the same tables in local files, through the Arrow Flight SQL JDBC driver: S3 with a cold node
 * disk cache (a copy of the loaded server's data directory without its {@code disk-cache}: a new
 * node that has fetched nothing), the same server again with the cache warm, and local tables
 * (first and second run). The result cache is off. A measuring tool, not a test: nothing is
 * asserted. Run it with {@code mvn -pl server -am -Dtest=ObjectStorageTpchBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false package} ({@code -Daquifer.benchmark.sf=1} for SF1;
 * default 0.1), or its {@code main} with the server's test class path (argument: the scale factor).
 */
public final class ObjectStorageTpchBenchmark {
  private static final String BUCKET = "bench";

  @Test
  void run() throws Exception {
    main(new String[] {System.getProperty("aquifer.benchmark.sf", "0.1")});
  }

  public static void main(String[] args) throws Exception {
    TpchScaleFactor sf = TpchScaleFactor.parse(args.length > 0 ? args[0] : "0.1");
    TpchSchemaName schema = TpchSchemaName.defaultFor(sf);
    PrintStream out = System.out;
    Path root = Files.createTempDirectory("aquifer-s3-bench");
    try (S3ProxyProcess s3 = S3ProxyProcess.start(Files.createDirectories(root.resolve("s3")))) {
      S3ProxyProcess.useTestCredentials();
      System.setProperty("aws.endpointUrl", s3.endpoint());
      System.setProperty("aws.region", "us-east-1");
      try (var client = s3.client()) {
        client.createBucket(b -> b.bucket(BUCKET));
      }
      Map<String, String> onS3 = Map.of(ServerConfig.STORAGE_ROOT, "s3://" + BUCKET + "/tpch");

      long[] local;
      long[] localAgain;
      Path localDirectory = Files.createDirectories(root.resolve("local"));
      try (RunningServer server = RunningServer.start(localDirectory)) {
        out.printf("local files: TPC-H SF %s loaded in %.1f s%n", sf, load(server, sf, schema));
        local = runAll(server, schema);
        localAgain = runAll(server, schema);
      }

      Path loaded = Files.createDirectories(root.resolve("s3-load"));
      try (RunningServer server = RunningServer.start(loaded, onS3)) {
        out.printf("S3Proxy: TPC-H SF %s loaded in %.1f s%n", sf, load(server, sf, schema));
      }
      // A node that has never read these tables: the loaded server's data directory (catalog,
      // recorded storage root) without its disk cache.
      Path cold = root.resolve("s3-cold");
      copyWithoutDiskCache(loaded, cold);
      long[] s3Cold;
      long[] s3Warm;
      DiskCacheStats afterCold;
      DiskCacheStats afterWarm;
      try (RunningServer server = RunningServer.start(cold, onS3)) {
        s3Cold = runAll(server, schema);
        afterCold = LocalWarehouseNode.diskCacheStats(cold.resolve("disk-cache"));
        s3Warm = runAll(server, schema);
        afterWarm = LocalWarehouseNode.diskCacheStats(cold.resolve("disk-cache"));
      }

      out.printf(
          "TPC-H SF %s, 22 queries, ms (%d cores, load average %.2f at the end)%n",
          sf,
          Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      out.println("query  local-1st  local-2nd  s3-cold  s3-warm");
      List<TpchQuery> all = TpchQueries.all();
      for (int i = 0; i < all.size(); i++) {
        out.printf(
            "%-5s  %9d  %9d  %7d  %7d%n",
            all.get(i).name(), local[i], localAgain[i], s3Cold[i], s3Warm[i]);
      }
      out.printf(
          "total  %9d  %9d  %7d  %7d%n", sum(local), sum(localAgain), sum(s3Cold), sum(s3Warm));
      out.printf(
          "disk cache after the cold run: %d misses, %d hits, %.1f MB downloaded, %d files held;"
              + " after the warm run: %d misses, %d hits, %.1f MB downloaded%n",
          afterCold.misses(),
          afterCold.hits(),
          afterCold.downloadedBytes() / 1e6,
          afterCold.entries(),
          afterWarm.misses(),
          afterWarm.hits(),
          afterWarm.downloadedBytes() / 1e6);
    } finally {
      for (String p :
          List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrl", "aws.region")) {
        System.clearProperty(p);
      }
      delete(root);
    }
  }

  private static double load(RunningServer server, TpchScaleFactor sf, TpchSchemaName schema)
      throws Exception {
    long start = System.nanoTime();
    Session loader = server.server().gateway().openSession(new Principal("admin", true));
    try {
      new TpchDataLoader(
              new StatementServiceSql(server.server().gateway(), loader),
              TpchIntegration.stagingDirectory(server.server().config()),
              Runtime.getRuntime().availableProcessors())
          .load(sf, schema, LoadProgress.SILENT);
    } finally {
      server.server().gateway().closeSession(loader.id());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Milliseconds per query, each result read to its end. */
  private static long[] runAll(RunningServer server, TpchSchemaName schema) throws Exception {
    List<TpchQuery> all = TpchQueries.all();
    long[] millis = new long[all.size()];
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("SET use_cached_result = false");
      s.execute("USE " + schema.catalog() + "." + schema.schema());
      for (int i = 0; i < all.size(); i++) {
        long start = System.nanoTime();
        try (ResultSet rs = s.executeQuery(all.get(i).statement())) {
          while (rs.next()) {
            // read every row
          }
        }
        millis[i] = (System.nanoTime() - start) / 1_000_000;
      }
    }
    return millis;
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }

  private static void copyWithoutDiskCache(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path relative = from.relativize(p);
        if (relative.startsWith("disk-cache") || relative.toString().equals(".lock")) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
