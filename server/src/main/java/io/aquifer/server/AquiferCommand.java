package io.aquifer.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code aquifer} command line. */
@Command(
    name = "aquifer",
    mixinStandardHelpOptions = true,
    versionProvider = AquiferCommand.Version.class,
    description = "Aquifer: a self-hosted SQL warehouse for Delta Lake tables.",
    subcommands = {
      AquiferCommand.Start.class,
      StatusCommand.class,
      StopCommand.class,
      TokenCommand.class,
      GroupCommand.class,
      ServicePrincipalCommand.class,
      WarehouseCommand.class,
      CacheCommand.class,
      LoadCommand.class,
      AquiferCommand.Bench.class
    })
public final class AquiferCommand implements Callable<Integer> {

  public static void main(String[] args) {
    TpchIntegration tpch = new TpchIntegration();
    System.exit(
        new CommandLine(new AquiferCommand())
            .addSubcommand("tpch", new io.aquifer.tpch.TpchCommand(tpch, tpch))
            .execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** Options shared by commands that read the server configuration. */
  static class ConfigOptions {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "Properties file with settings (data-dir, host, flight-port, ...).")
    Path configFile;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "Where the warehouse keeps catalog, tables and files (default: ./data).")
    String dataDir;

    Map<String, String> flags() {
      Map<String, String> flags = new HashMap<>();
      flags.put(ServerConfig.DATA_DIR, dataDir);
      return flags;
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Starts a warehouse on embedded defaults: a local data directory, an embedded catalog"
            + " database, and the Starter Warehouse, whose clusters start on the first query.",
        "Once serving, writes DIR/connection.json with the endpoints. Stops cleanly on SIGTERM"
            + " or Ctrl-C."
      })
  static final class Start implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions config = new ConfigOptions();

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description = "Listen address (default: 127.0.0.1).")
    String host;

    @Option(
        names = "--flight-port",
        paramLabel = "PORT",
        description = "Arrow Flight SQL port; 0 picks a free port (default: 31337).")
    Integer flightPort;

    @Option(
        names = "--avatica-port",
        paramLabel = "PORT",
        description =
            "Avatica port (HTTP; Aquifer's JDBC driver, jdbc:aquifer://); 0 picks a free port"
                + " (default: 8765).")
    Integer avaticaPort;

    @Option(
        names = "--http-port",
        paramLabel = "PORT",
        description =
            "Databricks REST API port (SDKs, CLI, Databricks JDBC in REST mode); 0 picks a free"
                + " port (default: 8080).")
    Integer httpPort;

    @Option(
        names = "--tls-cert",
        paramLabel = "FILE",
        description = "PEM certificate chain: serve the REST API over HTTPS (with --tls-key).")
    String tlsCert;

    @Option(
        names = "--tls-key",
        paramLabel = "FILE",
        description = "PEM private key (PKCS#8) of --tls-cert.")
    String tlsKey;

    @Option(
        names = "--node-memory-limit",
        paramLabel = "SIZE",
        description = "Engine memory per warehouse node, e.g. 4GB (default: half of RAM).")
    String nodeMemoryLimit;

    @Option(
        names = "--query-memory-limit",
        paramLabel = "SIZE",
        description =
            "Memory for one query's results in flight (default: a quarter of the node's).")
    String queryMemoryLimit;

    @Option(
        names = "--external-locations",
        paramLabel = "DIRS",
        description =
            "Directories (absolute, comma-separated) where CREATE TABLE ... LOCATION may register"
                + " existing Delta tables (default: <data dir>/external).")
    String externalLocations;

    @Option(
        names = "--statement-timeout",
        paramLabel = "SECONDS",
        description =
            "Cancel statements that run longer, unless their session sets STATEMENT_TIMEOUT"
                + " (default: 0, no limit).")
    Long statementTimeout;

    @Option(
        names = "--result-expiry",
        paramLabel = "SECONDS",
        description = "How long a finished statement's result stays readable (default: 3600).")
    Long resultExpiry;

    @Option(
        names = "--external-link-expiry",
        paramLabel = "SECONDS",
        description =
            "How long a signed result chunk link stays valid: REST EXTERNAL_LINKS and CloudFetch"
                + " links of the Databricks SQL protocol (default: 900).")
    Long externalLinkExpiry;

    @Option(
        names = "--flight-unclaimed-result-timeout",
        paramLabel = "SECONDS",
        description =
            "Cancel an Arrow Flight SQL statement whose result no client fetched (DoGet) within"
                + " this long after GetFlightInfo, e.g. because the client died (default: 600).")
    Long flightUnclaimedResultTimeout;

    @Option(
        names = "--result-quota",
        paramLabel = "SIZE",
        description =
            "Stored results one principal may hold; past it the oldest go first (default: 8GB).")
    String resultQuota;

    @Option(
        names = "--result-memory",
        paramLabel = "SIZE",
        description =
            "Stored results kept in memory before the least recently used chunks move to"
                + " <data dir>/results, or <storage root>/results/ in S3 (default: 256MB).")
    String resultMemory;

    @Option(
        names = "--result-cache",
        paramLabel = "BOOL",
        description =
            "Answer repeated queries from the query result cache: true or false (default: true).")
    String resultCache;

    @Option(
        names = "--result-cache-dir",
        paramLabel = "DIR",
        description = "Where result cache entries are kept (default: <data dir>/result-cache).")
    String resultCacheDir;

    @Option(
        names = "--result-cache-s3-bucket",
        paramLabel = "BUCKET",
        description =
            "Keep result cache entries in this S3 bucket instead; credentials, region and endpoint"
                + " from the AWS SDK's standard chain (AWS_REGION, AWS_ENDPOINT_URL, ...).")
    String resultCacheS3Bucket;

    @Option(
        names = "--storage-root",
        paramLabel = "URI",
        description =
            "Keep managed tables in object storage, s3://bucket/prefix (default: the data"
                + " directory); credentials, region and endpoint from the AWS SDK's standard chain"
                + " (AWS_REGION, AWS_ENDPOINT_URL, ...); path-style with an endpoint.")
    String storageRoot;

    @Option(
        names = "--disk-cache-size",
        paramLabel = "SIZE",
        description =
            "Size limit of each warehouse node's disk cache of object-store files, e.g. 20GB"
                + " (default: 10GB).")
    String diskCacheSize;

    @Option(
        names = "--node-data-cache-size",
        paramLabel = "SIZE",
        description =
            "Size limit of each warehouse node's data cache, which keeps the Delta data files"
                + " queries read as DuckDB tables in <data dir>/node-data-cache, e.g. 8GB;"
                + " 0 turns it off (default: 8GB).")
    String nodeDataCacheSize;

    @Option(
        names = "--result-cache-s3-prefix",
        paramLabel = "PREFIX",
        description = "Key prefix of the entries in the bucket (default: aquifer-result-cache).")
    String resultCacheS3Prefix;

    @Option(
        names = "--query-history-max-entries",
        paramLabel = "N",
        description = "Statements kept in system.query.history, newest first (default: 100000).")
    Integer queryHistoryMaxEntries;

    @Option(
        names = "--query-history-max-age",
        paramLabel = "AGE",
        description =
            "Statements older than this leave system.query.history: 30d, 12h, 90m (default: 30d).")
    String queryHistoryMaxAge;

    @Option(
        names = "--query-history-engine-profile-max-size",
        paramLabel = "SIZE",
        description =
            "Largest engine profile (DuckDB's per-operator profile of a statement's query) kept"
                + " with its history entry; larger ones are not kept; 0 keeps none and the"
                + " in-process warehouse nodes do not collect them (default: 256KB).")
    String queryHistoryEngineProfileMaxSize;

    @Option(
        names = "--warehouse-nodes",
        paramLabel = "MODE",
        description =
            "Where warehouse clusters run: in-process (in this JVM), process (each cluster its"
                + " own JVM, started and stopped as warehouses scale) or kubernetes (each cluster a"
                + " pod) (default: in-process).")
    String warehouseNodes;

    @Option(
        names = "--kubernetes-namespace",
        paramLabel = "NAMESPACE",
        description =
            "With --warehouse-nodes kubernetes: the namespace of the node pods (default: the"
                + " client's, in a pod its own).")
    String kubernetesNamespace;

    @Option(
        names = "--kubernetes-node-image",
        paramLabel = "IMAGE",
        description =
            "With --warehouse-nodes kubernetes: the node pods' container image (required unless"
                + " the node pod template names one).")
    String kubernetesNodeImage;

    @Option(
        names = "--metrics-access",
        paramLabel = "WHO",
        description =
            "Who may scrape the Prometheus metrics at /metrics on the HTTP port: admin (an admin's"
                + " access token as 'Authorization: Bearer <token>') or open (anyone who reaches"
                + " the port) (default: admin).")
    String metricsAccess;

    @Option(
        names = "--no-sample",
        description =
            "On first start, do not load the TPC-H sample (SF 0.01, samples.tpch_sf0_01).")
    boolean noSample;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description =
            "On first start, also write the new admin token to FILE (mode 600), for scripts.")
    Path tokenFile;

    @Override
    public Integer call() throws Exception {
      Map<String, String> flags = config.flags();
      flags.put(ServerConfig.HOST, host);
      flags.put(ServerConfig.FLIGHT_PORT, flightPort == null ? null : flightPort.toString());
      flags.put(ServerConfig.AVATICA_PORT, avaticaPort == null ? null : avaticaPort.toString());
      flags.put(ServerConfig.HTTP_PORT, httpPort == null ? null : httpPort.toString());
      flags.put(ServerConfig.TLS_CERT, tlsCert);
      flags.put(ServerConfig.TLS_KEY, tlsKey);
      flags.put(ServerConfig.NODE_MEMORY_LIMIT, nodeMemoryLimit);
      flags.put(ServerConfig.QUERY_MEMORY_LIMIT, queryMemoryLimit);
      flags.put(ServerConfig.EXTERNAL_LOCATIONS, externalLocations);
      flags.put(
          ServerConfig.STATEMENT_TIMEOUT,
          statementTimeout == null ? null : statementTimeout.toString());
      flags.put(ServerConfig.RESULT_EXPIRY, resultExpiry == null ? null : resultExpiry.toString());
      flags.put(
          ServerConfig.EXTERNAL_LINK_EXPIRY,
          externalLinkExpiry == null ? null : externalLinkExpiry.toString());
      flags.put(ServerConfig.RESULT_QUOTA, resultQuota);
      flags.put(ServerConfig.RESULT_MEMORY, resultMemory);
      flags.put(
          ServerConfig.FLIGHT_UNCLAIMED_RESULT_TIMEOUT,
          flightUnclaimedResultTimeout == null ? null : flightUnclaimedResultTimeout.toString());
      flags.put(ServerConfig.RESULT_CACHE, resultCache);
      flags.put(ServerConfig.RESULT_CACHE_DIR, resultCacheDir);
      flags.put(ServerConfig.RESULT_CACHE_S3_BUCKET, resultCacheS3Bucket);
      flags.put(ServerConfig.RESULT_CACHE_S3_PREFIX, resultCacheS3Prefix);
      flags.put(ServerConfig.STORAGE_ROOT, storageRoot);
      flags.put(ServerConfig.DISK_CACHE_SIZE, diskCacheSize);
      flags.put(ServerConfig.NODE_DATA_CACHE_SIZE, nodeDataCacheSize);
      flags.put(
          ServerConfig.QUERY_HISTORY_MAX_ENTRIES,
          queryHistoryMaxEntries == null ? null : queryHistoryMaxEntries.toString());
      flags.put(ServerConfig.QUERY_HISTORY_MAX_AGE, queryHistoryMaxAge);
      flags.put(
          ServerConfig.QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE, queryHistoryEngineProfileMaxSize);
      flags.put(WarehouseConfig.NODES, warehouseNodes);
      flags.put(KubernetesNodeConfig.NAMESPACE, kubernetesNamespace);
      flags.put(KubernetesNodeConfig.IMAGE, kubernetesNodeImage);
      flags.put(ServerConfig.METRICS_ACCESS, metricsAccess);
      CountDownLatch stopped = new CountDownLatch(1);
      AquiferServer server;
      try {
        ServerConfig serverConfig = ServerConfig.load(config.configFile, System.getenv(), flags);
        server =
            AquiferServer.start(
                serverConfig, Optional.ofNullable(tokenFile), System.out, !noSample);
      } catch (DataDirectoryInUseException | IllegalArgumentException e) {
        // A setting that cannot work: its message names it; no stack trace.
        System.err.println("aquifer start: " + e.getMessage());
        return 1;
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  },
                  "aquifer-shutdown"));
      stopped.await();
      return 0;
    }
  }

  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = {
        "Benchmark (not a test): prints planner time per statement, and the end-to-end time of a"
            + " scan-heavy query through Arrow Flight SQL next to in-process DuckDB over the same"
            + " Parquet files, as a ratio.",
        "Starts a throw-away server in a temporary directory."
      })
  static final class Bench implements Callable<Integer> {
    @Option(
        names = "--rows-log10",
        defaultValue = "7",
        description = "Table size as a power of ten (default: 7, ten million rows).")
    int digits;

    @Option(
        names = "--runs",
        defaultValue = "5",
        description = "Timed runs per figure (default: 5).")
    int runs;

    @Override
    public Integer call() throws Exception {
      if (digits < 1 || digits > 9) {
        System.err.println("aquifer bench: --rows-log10 must be 1 to 9");
        return 2;
      }
      new ScanBenchmark(digits, runs, System.out).run();
      return 0;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Aquifer " + AquiferServer.version()};
    }
  }
}
