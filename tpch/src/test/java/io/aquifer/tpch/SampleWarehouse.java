package io.aquifer.tpch;

import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.exec.node.NodeSecret;
import io.aquifer.exec.node.WarehouseNodeClient;
import io.aquifer.exec.node.WarehouseNodeServer;
import io.aquifer.gateway.Gateway;
import io.aquifer.gateway.GatewayConfig;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.execution.ExternalLocations;
import io.aquifer.gateway.execution.ManagedTableLocations;
import io.aquifer.gateway.execution.NodeWarehouseConnection;
import io.aquifer.gateway.history.QueryHistory;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.KernelDeltaTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;

/**
 * A real warehouse for tests, in this process: an SQLite catalog, Delta tables in a temporary
 * folder, a warehouse node (DuckDB behind its Arrow Flight endpoint) and the gateway, which the
 * loader talks to with statements as a client would. {@link #sf001()} is one shared warehouse with
 * TPC-H SF 0.01 loaded once per test JVM (the tests that use it only read it).
 */
final class SampleWarehouse implements AutoCloseable {
  static final String OWNER = "admin";
  static final TpchScaleFactor SF_001 = TpchScaleFactor.parse("0.01");

  private static SampleWarehouse shared;
  private static LoadSummary sharedLoad;

  final Path dataDirectory;
  final CatalogDatabase database;
  final CatalogStore catalog;
  final DeltaTables tables = new KernelDeltaTables();
  final ManagedTableLocations locations;
  final Path stagingRoot;
  private final RootAllocator allocator = new RootAllocator();
  private final DuckDbEngine engine;
  private final WarehouseNodeServer node;
  private final WarehouseNodeClient nodeClient;
  final Gateway gateway;
  private final Session session;

  SampleWarehouse(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
    this.database = CatalogDatabase.open(dataDirectory.resolve("catalog.db"));
    PrincipalStore principals = new PrincipalStore(database);
    if (principals.getUser(OWNER).isEmpty()) {
      principals.createUser(OWNER, true);
    }
    this.catalog = CatalogStore.open(database, OWNER);
    this.locations = new ManagedTableLocations(dataDirectory);
    ExternalLocations external = ExternalLocations.defaults(dataDirectory);
    this.stagingRoot = external.roots().get(0).resolve("_aquifer_tpch_staging");
    try {
      Files.createDirectories(stagingRoot);
      Files.createDirectories(locations.root());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.engine =
        new DuckDbEngine(
            DuckDbEngineConfig.defaults(
                    List.of(locations.root(), external.roots().get(0)),
                    dataDirectory.resolve("tmp"))
                .withThreads(2));
    NodeSecret secret = NodeSecret.generate();
    this.node = WarehouseNodeServer.start(engine, 0, secret);
    this.nodeClient = new WarehouseNodeClient(allocator, node.location(), secret);
    this.gateway =
        new Gateway(
            catalog,
            new AccessTokenStore(database),
            tables,
            new NodeWarehouseConnection(nodeClient),
            allocator,
            dataDirectory,
            external,
            GatewayConfig.defaults(dataDirectory),
            QueryHistory.DISABLED);
    this.session = gateway.openSession(new Principal(OWNER, true));
  }

  /** Statements to this warehouse's gateway, as the admin. */
  WarehouseSql sql() {
    return new StatementServiceSql(gateway, session);
  }

  TpchDataLoader loader() {
    return new TpchDataLoader(sql(), stagingRoot, 2);
  }

  /** The shared warehouse with SF 0.01 in samples.tpch_sf0_01. */
  static synchronized SampleWarehouse sf001() {
    if (shared == null) {
      try {
        Path directory = Files.createTempDirectory("aquifer-tpch-test-");
        shared = new SampleWarehouse(directory);
        sharedLoad = shared.loader().load(SF_001, LoadProgress.SILENT);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      shared.close();
                      TpchDataLoader.deleteRecursively(directory);
                    }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** What loading the shared warehouse did. */
  static synchronized LoadSummary sf001Load() {
    sf001();
    return sharedLoad;
  }

  @Override
  public void close() {
    gateway.close();
    // gRPC may hand the last message of a finished stream back to its allocator just after the
    // statement ended; wait (bounded) for that before the allocator's leak check runs.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (allocator.getAllocatedMemory() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      nodeClient.close();
    } catch (Exception e) {
      // closing
    }
    node.close();
    engine.close();
    allocator.close();
    database.close();
  }
}
