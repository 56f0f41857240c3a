package io.aquifer.server;

import io.aquifer.avatica.AvaticaFrontEnd;
import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.CreatedAccessToken;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.catalog.QueryHistoryStore;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.flightsql.FlightSqlFrontEnd;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.execution.ExternalLocations;
import io.aquifer.gateway.history.AsyncQueryHistory;
import io.aquifer.gateway.warehouse.ClusterProvisioner;
import io.aquifer.gateway.warehouse.Warehouses;
import io.aquifer.rest.DatabricksRestFrontEnd;
import io.aquifer.storage.delta.KernelDeltaTables;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway process on embedded defaults: catalog in a SQLite file under the data directory,
 * tables as Delta under {@code <data dir>/warehouse}, warehouses whose clusters (warehouse nodes,
 * in this JVM or as child processes) are reached over Arrow Flight, and the Arrow Flight SQL and
 * Avatica front ends.
 */
public final class AquiferServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AquiferServer.class);
  public static final String CATALOG_FILE = "catalog.db";
  public static final String ADMIN_USER = "admin";

  private final ServerConfig config;
  private final List<AutoCloseable> resources;
  private final FlightSqlFrontEnd flightSql;
  private final AvaticaFrontEnd avatica;
  private final Gateway gateway;
  private final Warehouses warehouses;
  private final WarehouseStore warehouseStore;
  private final InProcessClusterProvisioner inProcessNodes;
  private boolean closed;
  private DatabricksRestFrontEnd rest;
  private ProcessClusterProvisioner processNodes;

  private AquiferServer(
      ServerConfig config,
      List<AutoCloseable> resources,
      FlightSqlFrontEnd flightSql,
      AvaticaFrontEnd avatica,
      Gateway gateway,
      Warehouses warehouses,
      WarehouseStore warehouseStore,
      InProcessClusterProvisioner inProcessNodes) {
    this.config = config;
    this.resources = resources;
    this.flightSql = flightSql;
    this.avatica = avatica;
    this.gateway = gateway;
    this.warehouses = warehouses;
    this.warehouseStore = warehouseStore;
    this.inProcessNodes = inProcessNodes;
  }

  /**
   * The loopback port of the warehouse node's Flight endpoint (for tests and diagnostics); it
   * accepts only calls carrying the node's secret, which only this gateway holds.
   */
  public int warehouseNodePort() {
    return inProcessNodes == null ? -1 : inProcessNodes.anyNodePort();
  }

  /** Queries the in-process warehouse nodes' engines run now (for tests and diagnostics). */
  public int runningEngineQueries() {
    return inProcessNodes == null ? 0 : inProcessNodes.runningQueries();
  }

  /**
   * Fragments (queries and writes) the in-process warehouse nodes' engines have started, summed
   * over the running clusters (for tests and diagnostics: a statement's engine work is one).
   */
  public long engineQueriesStarted() {
    return inProcessNodes == null ? 0 : inProcessNodes.startedQueries();
  }

  /** The in-process nodes' data cache figures, summed (for tests and benchmarks). */
  public io.aquifer.exec.duckdb.NodeDataCacheStats nodeDataCacheStats() {
    return inProcessNodes == null
        ? io.aquifer.exec.duckdb.NodeDataCacheStats.NONE
        : inProcessNodes.dataCacheStats();
  }

  /**
   * Waits until the in-process nodes' data caches have copied in what past queries read (for tests
   * and benchmarks); false on timeout.
   */
  public boolean awaitNodeDataCacheIdle(java.time.Duration timeout) throws InterruptedException {
    return inProcessNodes == null || inProcessNodes.awaitDataCacheIdle(timeout);
  }

  /**
   * Waits until the node processes' class archive is made (for tests and benchmarks): its file, or
   * empty when there is none (nodes are not processes, the archive is off, or making it failed).
   */
  public java.util.Optional<java.nio.file.Path> awaitNodeClassArchive(java.time.Duration timeout)
      throws InterruptedException, java.util.concurrent.TimeoutException {
    return processNodes == null
        ? java.util.Optional.empty()
        : processNodes.awaitClassArchive(timeout);
  }

  /** The warehouses and their clusters (for tests and diagnostics). */
  public Warehouses warehouses() {
    return warehouses;
  }

  /** The warehouses as the catalog keeps them (for tests and diagnostics). */
  public WarehouseStore warehouseStore() {
    return warehouseStore;
  }

  public static String version() {
    String v = AquiferServer.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /**
   * Starts every part, writes {@code connection.json} when ready, and prints the admin token on
   * first start.
   */
  public static AquiferServer start(
      ServerConfig config, Optional<Path> tokenFile, PrintStream out) {
    return start(config, tokenFile, out, false);
  }

  /**
   * @param loadSample on first start, load the TPC-H sample (SF 0.01) into {@code
   *     samples.tpch_sf0_01} before serving, so a new user can query at once
   */
  /** How long starting a Spark warehouse waits for its Spark Connect server to answer. */
  static final java.time.Duration SPARK_START_TIMEOUT = java.time.Duration.ofSeconds(30);

  public static AquiferServer start(
      ServerConfig config, Optional<Path> tokenFile, PrintStream out, boolean loadSample) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      Path dataDir = config.dataDirectory();
      resources.add(DataDirectoryLock.acquire(dataDir));
      CatalogDatabase database = CatalogDatabase.open(dataDir.resolve(CATALOG_FILE));
      resources.add(database);
      io.aquifer.catalog.StorageRootRecord.checkOrRecord(
          database,
          config
              .storageRoot()
              .map(root -> io.aquifer.storage.objects.S3Location.of(root).toString())
              .orElse(io.aquifer.catalog.StorageRootRecord.LOCAL));
      CatalogStore catalog = CatalogStore.open(database, ADMIN_USER);
      AccessTokenStore tokens = new AccessTokenStore(database);
      Optional<String> firstToken = firstStart(database, tokens, tokenFile);
      WarehouseStore warehouseStore = new WarehouseStore(database);
      warehouseStore.createStarterIfNone(ADMIN_USER);

      BufferAllocator allocator = new RootAllocator();
      resources.add(allocator);
      InProcessClusterProvisioner inProcessNodes =
          config.warehouses().nodes() == WarehouseConfig.NodeMode.IN_PROCESS
              ? new InProcessClusterProvisioner(config, allocator)
              : null;
      ClusterProvisioner nodes =
          switch (config.warehouses().nodes()) {
            case IN_PROCESS -> inProcessNodes;
            case PROCESS -> new ProcessClusterProvisioner(config, allocator);
            case KUBERNETES -> KubernetesClusterProvisioner.open(config, allocator);
          };
      // DuckDB warehouses run on nodes; Spark warehouses on the user's Spark cluster (issue 20).
      ClusterProvisioner provisioner =
          new io.aquifer.gateway.warehouse.EngineClusterProvisioner(
              java.util.Map.of(
                  io.aquifer.catalog.WarehouseEngine.DUCKDB,
                  nodes,
                  io.aquifer.catalog.WarehouseEngine.SPARK,
                  new io.aquifer.spark.SparkClusterProvisioner(allocator, SPARK_START_TIMEOUT)));
      Warehouses warehouses =
          new Warehouses(warehouseStore, provisioner, config.warehouses().warehousesConfig());
      resources.add(warehouses);
      io.aquifer.storage.delta.DeltaTables deltaTables =
          new io.aquifer.storage.delta.CachingDeltaTables(new KernelDeltaTables());
      // Closed after the gateway (resources close in reverse), so that statements the gateway
      // cancels on the way down are still recorded and written.
      AsyncQueryHistory history =
          new AsyncQueryHistory(new QueryHistoryStore(database), config.queryHistory());
      resources.add(history);
      Gateway gateway =
          new Gateway(
              catalog,
              tokens,
              deltaTables,
              warehouses,
              allocator,
              dataDir,
              new ExternalLocations(config.externalLocations()),
              config.gatewayConfig(),
              history);
      resources.add(gateway);
      warehouses.addListener(
          new io.aquifer.gateway.warehouse.WarehouseListener() {
            @Override
            public void statementWaited(
                String statementId, java.time.Duration forCompute, java.time.Duration atCapacity) {
              gateway.recordQueueTime(statementId, forCompute, atCapacity);
            }
          });
      if (loadSample && firstToken.isPresent()) {
        out.println(
            "Loading the TPC-H sample (SF 0.01, derived from TPC-H) into samples.tpch_sf0_01...");
        // Through the gateway's statements and commit path, as 'aquifer tpch load' does.
        io.aquifer.gateway.Session loader =
            gateway.openSession(new io.aquifer.catalog.Principal(ADMIN_USER, true));
        loader.clientApplication("aquifer start (TPC-H sample)");
        try {
          new io.aquifer.tpch.TpchDataLoader(
                  new io.aquifer.tpch.StatementServiceSql(gateway, loader),
                  TpchIntegration.stagingDirectory(config),
                  Runtime.getRuntime().availableProcessors())
              .load(
                  io.aquifer.tpch.TpchScaleFactor.parse("0.01"),
                  io.aquifer.tpch.LoadProgress.SILENT);
        } finally {
          gateway.closeSession(loader.id());
        }
      }
      FlightSqlFrontEnd flightSql =
          new FlightSqlFrontEnd(gateway, allocator, config.flightSqlConfig());
      flightSql.start();
      resources.add(flightSql);
      AvaticaFrontEnd avatica = new AvaticaFrontEnd(gateway, config.host(), config.avaticaPort());
      avatica.start();
      resources.add(avatica);
      DatabricksRestFrontEnd rest =
          new DatabricksRestFrontEnd(
              gateway, allocator, config.host(), config.rest(), warehouseStore, warehouses);
      // The Databricks SQL protocol (Thrift) at each warehouse's httpPath on the same port.
      io.aquifer.thrift.DatabricksThriftEndpoint thrift =
          new io.aquifer.thrift.DatabricksThriftEndpoint(
              gateway, io.aquifer.thrift.ThriftConfig.defaults());
      thrift.mountOn(rest);
      // Prometheus metrics at /metrics on the same port.
      java.nio.file.Path diskCacheDirectory = config.dataDirectory().resolve("disk-cache");
      ServerMetrics metrics =
          new ServerMetrics(
              gateway,
              warehouses,
              warehouseStore,
              () -> LocalWarehouseNode.diskCacheStats(diskCacheDirectory));
      resources.add(metrics);
      rest.serveMetrics(metrics, config.metricsAccess());
      // The browser SQL editor at '/': static files that use the REST API above with a token.
      rest.serveSite(new io.aquifer.editor.WebEditorSite());
      resources.add(thrift);
      rest.start();
      resources.add(rest);

      AquiferServer server =
          new AquiferServer(
              config,
              resources,
              flightSql,
              avatica,
              gateway,
              warehouses,
              warehouseStore,
              inProcessNodes);
      server.rest = rest;
      server.processNodes = nodes instanceof ProcessClusterProvisioner p ? p : null;
      // The Starter Warehouse's id (null if every warehouse was deleted: the server still serves).
      String warehouseId;
      try {
        warehouseId = rest.warehouseId();
      } catch (io.aquifer.rest.DatabricksApiException e) {
        warehouseId = null;
      }
      ConnectionFile.write(
          dataDir,
          ConnectionFile.withDatabricks(
              ConnectionFile.describe(
                  config.host(), flightSql.port(), avatica.port(), ProcessHandle.current().pid()),
              rest.baseUrl(),
              warehouseId,
              warehouseId == null ? null : DatabricksRestFrontEnd.httpPath(warehouseId),
              warehouseId == null ? null : rest.jdbcUrl(warehouseId),
              warehouseId == null ? null : rest.thriftJdbcUrl(warehouseId)));
      out.println("Aquifer " + version() + " is serving. Data directory: " + dataDir);
      out.println("  Arrow Flight SQL: grpc+tcp://" + config.host() + ":" + flightSql.port());
      out.println(
          "  JDBC (Arrow Flight SQL driver): jdbc:arrow-flight-sql://"
              + config.host()
              + ":"
              + flightSql.port()
              + "?useEncryption=false&token=<token>");
      out.println(
          "  JDBC (Aquifer driver, Avatica): jdbc:aquifer://"
              + config.host()
              + ":"
              + avatica.port()
              + "?token=<token>");
      firstToken.ifPresent(
          t -> {
            out.println("  Admin access token (shown once; keep it safe): " + t);
            tokenFile.ifPresent(f -> out.println("  (also written to " + f + ")"));
          });
      out.println(
          "  Databricks REST API (SDKs, CLI): host "
              + rest.baseUrl()
              + ", warehouse id "
              + (warehouseId == null
                  ? "(none: create one with 'aquifer warehouse create')"
                  : warehouseId));
      if (warehouseId != null) {
        out.println(
            "  JDBC (Databricks driver): "
                + rest.thriftJdbcUrl(warehouseId)
                + ";UID=token;PWD=<token>");
        out.println(
            "  JDBC (Databricks driver, REST mode): "
                + rest.jdbcUrl(warehouseId)
                + ";UID=token;PWD=<token>");
        out.println(
            "  Databricks SQL protocol (Databricks JDBC default mode, ODBC, BI tools): httpPath "
                + DatabricksRestFrontEnd.httpPath(warehouseId)
                + " on the same port");
      }
      out.println("  Browser SQL editor: " + rest.baseUrl() + "/ (sign in with an access token)");
      out.println("  Connection details: " + dataDir.resolve(ConnectionFile.NAME));
      out.flush();
      return server;
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private static Optional<String> firstStart(
      CatalogDatabase database, AccessTokenStore tokens, Optional<Path> tokenFile) {
    PrincipalStore principals = new PrincipalStore(database);
    if (principals.hasUsers()) {
      return Optional.empty();
    }
    principals.createUser(ADMIN_USER, true);
    CreatedAccessToken token =
        tokens.createToken(ADMIN_USER, Optional.of("created on first start"), Optional.empty());
    tokenFile.ifPresent(f -> writeSecret(f, token.token()));
    return Optional.of(token.token());
  }

  private static void writeSecret(Path file, String secret) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write token file " + file, e);
    }
  }

  public int flightPort() {
    return flightSql.port();
  }

  /** The Flight SQL front end's time per kind of call (for benchmarks and diagnostics). */
  public io.aquifer.flightsql.FlightCallTimings flightCallTimings() {
    return flightSql.callTimings();
  }

  /**
   * How many Flight SQL statements a DoGet has begun to fetch since start (for tests and
   * diagnostics).
   */
  public long flightResultFetchesStarted() {
    return flightSql.resultFetchesStarted();
  }

  public int avaticaPort() {
    return avatica.port();
  }

  /** The Databricks REST API front end (host URL, port, warehouse id, JDBC URL). */
  public DatabricksRestFrontEnd databricksRest() {
    return rest;
  }

  public Gateway gateway() {
    return gateway;
  }

  public ServerConfig config() {
    return config;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("stopping Aquifer");
    ConnectionFile.remove(config.dataDirectory());
    closeAll(resources);
  }

  /**
   * Arrow memory the gateway's allocator holds now (result batches in flight, what its node clients
   * received), for diagnostics and tests: 0 when no statement is running and nothing leaked.
   */
  public long arrowMemoryBytes() {
    long bytes = 0;
    for (AutoCloseable resource : List.copyOf(resources)) {
      if (resource instanceof org.apache.arrow.memory.BufferAllocator allocator) {
        bytes += allocator.getAllocatedMemory();
      }
    }
    return bytes;
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}", resources.get(i).getClass().getSimpleName(), e);
      }
    }
    resources.clear();
  }
}
