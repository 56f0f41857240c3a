package io.aquifer.server;

import static java.util.Objects.requireNonNull;

import io.aquifer.flightsql.FlightSqlConfig;
import io.aquifer.gateway.GatewayConfig;
import io.aquifer.gateway.history.QueryHistoryConfig;
import io.aquifer.rest.MetricsAccess;
import io.aquifer.rest.RestServerConfig;
import io.aquifer.results.ResultStoreConfig;
import io.aquifer.results.cache.ResultCacheConfig;
import io.aquifer.results.cache.S3CacheLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The gateway process's settings. One source of truth, applied in order: built-in defaults, then a
 * properties file ({@code --config}), then environment variables ({@code AQUIFER_DATA_DIR} for
 * {@code data-dir}), then command-line flags. Validated at start-up.
 *
 * @param dataDirectory everything the warehouse keeps: catalog database, tables, spill files
 *     (property {@code data-dir}, default {@code ./data})
 * @param host address the front ends listen on (property {@code host}, default {@code 127.0.0.1})
 * @param flightPort Arrow Flight SQL port, 0 for any free port (property {@code flight-port},
 *     default 31337)
 * @param avaticaPort Avatica (JDBC over HTTP, Aquifer's JDBC driver) port, 0 for any free port
 *     (property {@code avatica-port}, default 8765, the port Avatica servers conventionally use)
 * @param nodeMemoryLimitBytes memory the engine of a warehouse node may use (property {@code
 *     node-memory-limit}, e.g. {@code 4GB}; default half of physical memory, at least 512MB)
 * @param queryMemoryLimitBytes memory one query's results in flight may use (property {@code
 *     query-memory-limit}; default a quarter of the node limit)
 * @param nodeThreads engine threads per node (property {@code node-threads}; default the number of
 *     cores)
 * @param externalLocations directories external tables ({@code CREATE TABLE ... LOCATION}) may be
 *     registered in; the engine may read them (property {@code external-locations}, absolute
 *     directories separated by commas; default {@code <data dir>/external})
 * @param statementTimeout how long a statement may run before it is canceled, unless its session
 *     sets {@code STATEMENT_TIMEOUT} (property {@code statement-timeout}, whole seconds; default 0,
 *     no limit)
 * @param resultExpiry how long a finished statement's result stays readable (property {@code
 *     result-expiry}, whole seconds; default 3600)
 * @param resultQuotaBytes bytes of stored results one principal may hold; past it the oldest go
 *     first (property {@code result-quota}, e.g. {@code 8GB}; default 8GB)
 * @param flightUnclaimedResultTimeout how long an Arrow Flight SQL statement started by
 *     GetFlightInfo may wait for the DoGet of its ticket before it is canceled, e.g. when its
 *     client died in between (property {@code flight-unclaimed-result-timeout}, whole seconds;
 *     default 600)
 * @param queryHistory how much query history is kept (properties {@code query-history-max-entries},
 *     default 100000, and {@code query-history-max-age}, default {@code 30d}) and the engine
 *     profiles kept with it (property {@code query-history-engine-profile-max-size}, e.g. {@code
 *     64KB}, default 256KiB; larger profiles are not kept; {@code 0} turns profiles off, and the
 *     local warehouse nodes then do not collect them)
 * @param rest the Databricks REST API: port (property {@code http-port}, default 8080, 0 for any
 *     free port), optional TLS (properties {@code tls-cert} and {@code tls-key}, PEM files) and how
 *     long signed chunk links stay valid (property {@code external-link-expiry}, whole seconds,
 *     default 900)
 * @param warehouses how warehouses run: node mode, queue size, auto-stop unit (properties {@code
 *     warehouse-*}, see {@link WarehouseConfig})
 * @param resultCache the query result cache (properties {@code result-cache}, {@code true} or
 *     {@code false}, default true; {@code result-cache-dir}, default {@code <data
 *     dir>/result-cache}; {@code result-cache-s3-bucket} to keep entries in S3 instead, with {@code
 *     result-cache-s3-prefix}, {@code result-cache-s3-endpoint}, {@code result-cache-s3-region} and
 *     {@code result-cache-s3-path-style}; {@code result-cache-memory}, default 256MB; {@code
 *     result-cache-max-result}, default 64MB; {@code result-cache-expiry}, whole seconds, default
 *     86400)
 * @param metricsAccess who may read {@code GET /metrics} on the HTTP port (property {@code
 *     metrics-access}): {@code admin} (default, an admin's access token) or {@code open} (anyone)
 * @param storageRoot where managed tables live (property {@code storage-root}): empty for {@code
 *     <data dir>/warehouse} (default), or {@code s3://bucket/prefix}; S3 credentials, region and
 *     endpoint from the AWS SDK's standard chain ({@code AWS_ENDPOINT_URL}, ...)
 * @param diskCacheBytes size limit of each warehouse node's disk cache of object-store files, kept
 *     in {@code <data dir>/disk-cache} (property {@code disk-cache-size}; default 10GB)
 * @param nodeDataCacheBytes size limit of each in-process warehouse node's data cache, which keeps
 *     the Delta data files queries read as tables of a DuckDB database file in {@code <data
 *     dir>/node-data-cache}, counted in bytes of the source Parquet files (property {@code
 *     node-data-cache-size}; 0 turns it off; default 8GB: it takes 29-37 % off warm TPC-H SF 1, see
 *     docs/performance.md)
 * @param resultMemoryBytes bytes of stored statement results the gateway keeps in memory before the
 *     least recently used chunks move to {@code <data dir>/results}, or with an S3 storage root to
 *     {@code <storage root>/results/} (property {@code result-memory}; 0 sends every chunk there;
 *     default 256MB)
 */
public record ServerConfig(
    Path dataDirectory,
    String host,
    int flightPort,
    int avaticaPort,
    long nodeMemoryLimitBytes,
    long queryMemoryLimitBytes,
    int nodeThreads,
    List<Path> externalLocations,
    Duration statementTimeout,
    Duration resultExpiry,
    long resultQuotaBytes,
    Duration flightUnclaimedResultTimeout,
    QueryHistoryConfig queryHistory,
    RestServerConfig rest,
    WarehouseConfig warehouses,
    ResultCacheConfig resultCache,
    MetricsAccess metricsAccess,
    Optional<URI> storageRoot,
    long diskCacheBytes,
    long nodeDataCacheBytes,
    long resultMemoryBytes) {

  public static final String RESULT_MEMORY = "result-memory";
  public static final String NODE_DATA_CACHE_SIZE = "node-data-cache-size";
  public static final long DEFAULT_NODE_DATA_CACHE_BYTES = 8L << 30;
  public static final String STORAGE_ROOT = "storage-root";
  public static final String DISK_CACHE_SIZE = "disk-cache-size";
  public static final long DEFAULT_DISK_CACHE_BYTES = 10L << 30;
  public static final String DATA_DIR = "data-dir";
  public static final String HOST = "host";
  public static final String FLIGHT_PORT = "flight-port";
  public static final String AVATICA_PORT = "avatica-port";
  public static final String NODE_MEMORY_LIMIT = "node-memory-limit";
  public static final String QUERY_MEMORY_LIMIT = "query-memory-limit";
  public static final String NODE_THREADS = "node-threads";
  public static final String EXTERNAL_LOCATIONS = "external-locations";
  public static final String STATEMENT_TIMEOUT = "statement-timeout";
  public static final String RESULT_EXPIRY = "result-expiry";
  public static final String RESULT_QUOTA = "result-quota";
  public static final String FLIGHT_UNCLAIMED_RESULT_TIMEOUT = "flight-unclaimed-result-timeout";
  public static final String QUERY_HISTORY_MAX_ENTRIES = "query-history-max-entries";
  public static final String QUERY_HISTORY_MAX_AGE = "query-history-max-age";
  public static final String QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE =
      "query-history-engine-profile-max-size";
  public static final String HTTP_PORT = "http-port";

  /** The ports the gateway listens on (0 picks a free one); not the node pods' port. */
  public static final java.util.Set<String> LISTEN_PORTS =
      java.util.Set.of(FLIGHT_PORT, AVATICA_PORT, HTTP_PORT);

  public static final String TLS_CERT = "tls-cert";
  public static final String TLS_KEY = "tls-key";
  public static final String EXTERNAL_LINK_EXPIRY = "external-link-expiry";
  public static final String RESULT_CACHE = "result-cache";
  public static final String RESULT_CACHE_DIR = "result-cache-dir";
  public static final String RESULT_CACHE_S3_BUCKET = "result-cache-s3-bucket";
  public static final String RESULT_CACHE_S3_PREFIX = "result-cache-s3-prefix";
  public static final String RESULT_CACHE_S3_ENDPOINT = "result-cache-s3-endpoint";
  public static final String RESULT_CACHE_S3_REGION = "result-cache-s3-region";
  public static final String RESULT_CACHE_S3_PATH_STYLE = "result-cache-s3-path-style";
  public static final String RESULT_CACHE_MEMORY = "result-cache-memory";
  public static final String RESULT_CACHE_MAX_RESULT = "result-cache-max-result";
  public static final String RESULT_CACHE_EXPIRY = "result-cache-expiry";
  public static final String METRICS_ACCESS = "metrics-access";

  /** The S3 prefix of result cache entries when none is configured. */
  public static final String DEFAULT_RESULT_CACHE_S3_PREFIX = "aquifer-result-cache";

  public static final Set<String> PROPERTIES = withWarehouseProperties();

  private static Set<String> withWarehouseProperties() {
    Set<String> all = new java.util.HashSet<>(WarehouseConfig.PROPERTIES);
    all.addAll(
        Set.of(
            STATEMENT_TIMEOUT,
            RESULT_EXPIRY,
            RESULT_QUOTA,
            FLIGHT_UNCLAIMED_RESULT_TIMEOUT,
            DATA_DIR,
            HOST,
            FLIGHT_PORT,
            AVATICA_PORT,
            NODE_MEMORY_LIMIT,
            QUERY_MEMORY_LIMIT,
            NODE_THREADS,
            EXTERNAL_LOCATIONS,
            QUERY_HISTORY_MAX_ENTRIES,
            QUERY_HISTORY_MAX_AGE,
            QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE,
            HTTP_PORT,
            TLS_CERT,
            TLS_KEY,
            EXTERNAL_LINK_EXPIRY,
            RESULT_CACHE,
            RESULT_CACHE_DIR,
            RESULT_CACHE_S3_BUCKET,
            RESULT_CACHE_S3_PREFIX,
            RESULT_CACHE_S3_ENDPOINT,
            RESULT_CACHE_S3_REGION,
            RESULT_CACHE_S3_PATH_STYLE,
            RESULT_CACHE_MEMORY,
            RESULT_CACHE_MAX_RESULT,
            RESULT_CACHE_EXPIRY,
            METRICS_ACCESS,
            STORAGE_ROOT,
            DISK_CACHE_SIZE,
            NODE_DATA_CACHE_SIZE,
            RESULT_MEMORY));
    return Set.copyOf(all);
  }

  public static final int DEFAULT_FLIGHT_PORT = 31337;
  public static final int DEFAULT_AVATICA_PORT = 8765;

  public ServerConfig {
    requireNonNull(dataDirectory, "dataDirectory");
    requireNonNull(storageRoot, "storageRoot");
    if (diskCacheBytes < 1) {
      throw new IllegalArgumentException(DISK_CACHE_SIZE + " must be positive: " + diskCacheBytes);
    }
    if (nodeDataCacheBytes < 0) {
      throw new IllegalArgumentException(
          NODE_DATA_CACHE_SIZE + " must not be negative: " + nodeDataCacheBytes);
    }
    requireNonNull(host, "host");
    if (flightPort < 0 || flightPort > 65535) {
      throw new IllegalArgumentException(FLIGHT_PORT + " must be 0 to 65535: " + flightPort);
    }
    if (avaticaPort < 0 || avaticaPort > 65535) {
      throw new IllegalArgumentException(AVATICA_PORT + " must be 0 to 65535: " + avaticaPort);
    }
    if (nodeMemoryLimitBytes < (64L << 20)) {
      throw new IllegalArgumentException(NODE_MEMORY_LIMIT + " must be at least 64MB");
    }
    if (queryMemoryLimitBytes < (1L << 20) || queryMemoryLimitBytes > nodeMemoryLimitBytes) {
      throw new IllegalArgumentException(
          QUERY_MEMORY_LIMIT + " must be between 1MB and " + NODE_MEMORY_LIMIT);
    }
    if (nodeThreads < 1) {
      throw new IllegalArgumentException(NODE_THREADS + " must be at least 1");
    }
    requireNonNull(queryHistory, "queryHistory");
    requireNonNull(rest, "rest");
    requireNonNull(warehouses, "warehouses");
    if (storageRoot.isPresent() && warehouses.nodes() == WarehouseConfig.NodeMode.KUBERNETES) {
      // Pods get no disk cache volume and no S3 settings yet, and DuckDB cannot read s3:// itself.
      throw new IllegalArgumentException(
          STORAGE_ROOT
              + " needs "
              + WarehouseConfig.NODES
              + "=in-process or process: node pods cannot read object storage yet");
    }
    if (resultMemoryBytes < 0) {
      throw new IllegalArgumentException(RESULT_MEMORY + " must not be negative");
    }
    requireNonNull(resultCache, "resultCache");
    requireNonNull(metricsAccess, "metricsAccess");
    requireNonNull(statementTimeout, "statementTimeout");
    requireNonNull(resultExpiry, "resultExpiry");
    if (statementTimeout.isNegative()) {
      throw new IllegalArgumentException(STATEMENT_TIMEOUT + " must not be negative");
    }
    if (resultExpiry.isNegative() || resultExpiry.isZero()) {
      throw new IllegalArgumentException(RESULT_EXPIRY + " must be at least 1 second");
    }
    if (resultQuotaBytes < (1L << 20)) {
      throw new IllegalArgumentException(RESULT_QUOTA + " must be at least 1MB");
    }
    requireNonNull(flightUnclaimedResultTimeout, "flightUnclaimedResultTimeout");
    if (flightUnclaimedResultTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException(
          FLIGHT_UNCLAIMED_RESULT_TIMEOUT + " must be at least 1 second");
    }
    externalLocations = List.copyOf(requireNonNull(externalLocations, "externalLocations"));
    for (Path p : externalLocations) {
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException(
            EXTERNAL_LOCATIONS + " must be absolute directories: " + p);
      }
      if (p.normalize().startsWith(dataDirectory.resolve("warehouse").normalize())) {
        throw new IllegalArgumentException(
            EXTERNAL_LOCATIONS + " must not be inside the managed warehouse directory: " + p);
      }
    }
  }

  /** Builds the configuration from defaults, an optional file, the environment and flags. */
  public static ServerConfig load(
      Path configFile, Map<String, String> environment, Map<String, String> flags) {
    Map<String, String> values = new LinkedHashMap<>();
    if (configFile != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(configFile)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read config file " + configFile, e);
      }
      for (String key : p.stringPropertyNames()) {
        values.put(key, p.getProperty(key).trim());
      }
    }
    for (String key : PROPERTIES) {
      String env = environment.get("AQUIFER_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (env != null && !env.isBlank()) {
        values.put(key, env.trim());
      }
    }
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            values.put(k, v);
          }
        });
    for (String key : values.keySet()) {
      if (!PROPERTIES.contains(key)) {
        throw new IllegalArgumentException("unknown setting '" + key + "'; known: " + PROPERTIES);
      }
    }
    long physical = physicalMemory();
    long nodeMemory =
        values.containsKey(NODE_MEMORY_LIMIT)
            ? DataSizes.parse(NODE_MEMORY_LIMIT, values.get(NODE_MEMORY_LIMIT))
            : Math.max(512L << 20, physical / 2);
    long queryMemory =
        values.containsKey(QUERY_MEMORY_LIMIT)
            ? DataSizes.parse(QUERY_MEMORY_LIMIT, values.get(QUERY_MEMORY_LIMIT))
            : nodeMemory / 4;
    Path dataDirectory =
        Path.of(values.getOrDefault(DATA_DIR, "data")).toAbsolutePath().normalize();
    return new ServerConfig(
        dataDirectory,
        values.getOrDefault(HOST, "127.0.0.1"),
        parseInt(
            FLIGHT_PORT, values.getOrDefault(FLIGHT_PORT, Integer.toString(DEFAULT_FLIGHT_PORT))),
        parseInt(
            AVATICA_PORT,
            values.getOrDefault(AVATICA_PORT, Integer.toString(DEFAULT_AVATICA_PORT))),
        nodeMemory,
        queryMemory,
        parseInt(
            NODE_THREADS,
            values.getOrDefault(
                NODE_THREADS, Integer.toString(Runtime.getRuntime().availableProcessors()))),
        externalLocations(values.get(EXTERNAL_LOCATIONS), dataDirectory),
        Duration.ofSeconds(
            parseLong(STATEMENT_TIMEOUT, values.getOrDefault(STATEMENT_TIMEOUT, "0"))),
        Duration.ofSeconds(
            parseLong(
                RESULT_EXPIRY,
                values.getOrDefault(
                    RESULT_EXPIRY, Long.toString(ResultStoreConfig.DEFAULT_EXPIRY.toSeconds())))),
        values.containsKey(RESULT_QUOTA)
            ? DataSizes.parse(RESULT_QUOTA, values.get(RESULT_QUOTA))
            : ResultStoreConfig.DEFAULT_QUOTA_PER_PRINCIPAL_BYTES,
        Duration.ofSeconds(
            parseLong(
                FLIGHT_UNCLAIMED_RESULT_TIMEOUT,
                values.getOrDefault(
                    FLIGHT_UNCLAIMED_RESULT_TIMEOUT,
                    Long.toString(FlightSqlConfig.DEFAULT_UNCLAIMED_RESULT_TIMEOUT.toSeconds())))),
        queryHistory(values),
        rest(values),
        WarehouseConfig.load(values),
        resultCache(values, dataDirectory),
        MetricsAccess.parse(METRICS_ACCESS, values.getOrDefault(METRICS_ACCESS, "admin")),
        storageRoot(values.get(STORAGE_ROOT)),
        values.containsKey(DISK_CACHE_SIZE)
            ? DataSizes.parse(DISK_CACHE_SIZE, values.get(DISK_CACHE_SIZE))
            : DEFAULT_DISK_CACHE_BYTES,
        values.containsKey(NODE_DATA_CACHE_SIZE)
            ? DataSizes.parse(NODE_DATA_CACHE_SIZE, values.get(NODE_DATA_CACHE_SIZE))
            : DEFAULT_NODE_DATA_CACHE_BYTES,
        values.containsKey(RESULT_MEMORY)
            ? DataSizes.parse(RESULT_MEMORY, values.get(RESULT_MEMORY))
            : ResultStoreConfig.DEFAULT_MEMORY_LIMIT_BYTES);
  }

  private static Optional<URI> storageRoot(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(STORAGE_ROOT + " is not a URI: " + value);
    }
    if (!io.aquifer.storage.objects.S3Location.isS3(uri)
        || uri.getAuthority() == null
        || uri.getAuthority().isBlank()) {
      throw new IllegalArgumentException(
          STORAGE_ROOT + " must be s3://bucket/prefix (local tables need no option): " + value);
    }
    return Optional.of(uri);
  }

  private static ResultCacheConfig resultCache(Map<String, String> values, Path dataDirectory) {
    ResultCacheConfig defaults = ResultCacheConfig.defaults(dataDirectory);
    Optional<String> bucket =
        Optional.ofNullable(values.get(RESULT_CACHE_S3_BUCKET)).filter(v -> !v.isBlank());
    Optional<S3CacheLocation> s3 =
        bucket.map(
            b ->
                new S3CacheLocation(
                    b.strip(),
                    values.getOrDefault(RESULT_CACHE_S3_PREFIX, DEFAULT_RESULT_CACHE_S3_PREFIX),
                    Optional.ofNullable(values.get(RESULT_CACHE_S3_ENDPOINT))
                        .filter(v -> !v.isBlank()),
                    Optional.ofNullable(values.get(RESULT_CACHE_S3_REGION))
                        .filter(v -> !v.isBlank()),
                    parseBoolean(
                        RESULT_CACHE_S3_PATH_STYLE,
                        values.getOrDefault(RESULT_CACHE_S3_PATH_STYLE, "false"))));
    if (s3.isEmpty() && !values.containsKey(RESULT_CACHE_DIR)) {
      // With the tables in S3, the durable tier goes there too: <storage root>/result-cache,
      // reached like the tables (the SDK's chain, path-style with an endpoint).
      Optional<URI> root = storageRoot(values.get(STORAGE_ROOT));
      if (root.isPresent()) {
        io.aquifer.storage.objects.S3Location at =
            io.aquifer.storage.objects.S3Location.of(root.get()).resolve("result-cache");
        io.aquifer.storage.objects.S3Settings settings =
            io.aquifer.storage.objects.S3Settings.fromEnvironment();
        s3 =
            Optional.of(
                new S3CacheLocation(
                    at.bucket(),
                    at.prefix(),
                    settings.endpoint(),
                    settings.region(),
                    settings.pathStyle()));
      }
    }
    long expirySeconds =
        parseLong(
            RESULT_CACHE_EXPIRY,
            values.getOrDefault(
                RESULT_CACHE_EXPIRY, Long.toString(ResultCacheConfig.DEFAULT_EXPIRY.toSeconds())));
    if (expirySeconds < 1) {
      throw new IllegalArgumentException(RESULT_CACHE_EXPIRY + " must be at least 1 second");
    }
    return new ResultCacheConfig(
        parseBoolean(RESULT_CACHE, values.getOrDefault(RESULT_CACHE, "true")),
        values.containsKey(RESULT_CACHE_DIR)
            ? Path.of(values.get(RESULT_CACHE_DIR).strip()).toAbsolutePath().normalize()
            : defaults.directory(),
        s3,
        values.containsKey(RESULT_CACHE_MEMORY)
            ? DataSizes.parse(RESULT_CACHE_MEMORY, values.get(RESULT_CACHE_MEMORY))
            : defaults.memoryLimitBytes(),
        values.containsKey(RESULT_CACHE_MAX_RESULT)
            ? DataSizes.parse(RESULT_CACHE_MAX_RESULT, values.get(RESULT_CACHE_MAX_RESULT))
            : defaults.maxResultBytes(),
        Duration.ofSeconds(expirySeconds));
  }

  private static boolean parseBoolean(String key, String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException(key + " must be true or false: " + value);
  }

  private static RestServerConfig rest(Map<String, String> values) {
    return new RestServerConfig(
        parseInt(
            HTTP_PORT,
            values.getOrDefault(HTTP_PORT, Integer.toString(RestServerConfig.DEFAULT_PORT))),
        Optional.ofNullable(values.get(TLS_CERT)).filter(v -> !v.isBlank()).map(Path::of),
        Optional.ofNullable(values.get(TLS_KEY)).filter(v -> !v.isBlank()).map(Path::of),
        externalLinkExpiry(values));
  }

  private static Duration externalLinkExpiry(Map<String, String> values) {
    String value = values.get(EXTERNAL_LINK_EXPIRY);
    if (value == null || value.isBlank()) {
      return RestServerConfig.DEFAULT_EXTERNAL_LINK_EXPIRY;
    }
    long seconds = parseLong(EXTERNAL_LINK_EXPIRY, value);
    if (seconds < 1) {
      throw new IllegalArgumentException(EXTERNAL_LINK_EXPIRY + " must be at least 1 second");
    }
    return Duration.ofSeconds(seconds);
  }

  private static QueryHistoryConfig queryHistory(Map<String, String> values) {
    int maxEntries =
        values.containsKey(QUERY_HISTORY_MAX_ENTRIES)
            ? parseInt(QUERY_HISTORY_MAX_ENTRIES, values.get(QUERY_HISTORY_MAX_ENTRIES))
            : QueryHistoryConfig.DEFAULT_MAX_ENTRIES;
    Duration maxAge =
        values.containsKey(QUERY_HISTORY_MAX_AGE)
            ? QueryHistoryConfig.parseAge(QUERY_HISTORY_MAX_AGE, values.get(QUERY_HISTORY_MAX_AGE))
            : QueryHistoryConfig.DEFAULT_MAX_AGE;
    long profileMaxBytes =
        values.containsKey(QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE)
            ? values.get(QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE).strip().equals("0")
                ? 0
                : DataSizes.parse(
                    QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE,
                    values.get(QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE))
            : QueryHistoryConfig.DEFAULT_ENGINE_PROFILE_MAX_BYTES;
    return new QueryHistoryConfig(maxEntries, maxAge, profileMaxBytes);
  }

  /** The statement service's settings: result store under the data directory, timeouts. */
  public GatewayConfig gatewayConfig() {
    GatewayConfig defaults = GatewayConfig.defaults(dataDirectory);
    return defaults
        .withResults(
            defaults
                .results()
                .withExpiry(resultExpiry)
                .withQuotaPerPrincipalBytes(resultQuotaBytes)
                .withMemoryLimitBytes(resultMemoryBytes))
        .withStatementTimeout(statementTimeout)
        .withResultCache(resultCache)
        .withStorageRoot(storageRoot);
  }

  /** The Arrow Flight SQL front end's settings: listen address, port, unclaimed-result timeout. */
  public FlightSqlConfig flightSqlConfig() {
    return FlightSqlConfig.defaults()
        .withHost(host)
        .withPort(flightPort)
        .withUnclaimedResultTimeout(flightUnclaimedResultTimeout);
  }

  private static long parseLong(String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number: " + value);
    }
  }

  private static List<Path> externalLocations(String value, Path dataDirectory) {
    if (value == null) {
      return List.of(dataDirectory.resolve("external"));
    }
    List<Path> dirs = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        dirs.add(Path.of(part.strip()).normalize());
      }
    }
    return dirs;
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number: " + value);
    }
  }

  private static long physicalMemory() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize();
    }
    return 4L << 30;
  }
}
