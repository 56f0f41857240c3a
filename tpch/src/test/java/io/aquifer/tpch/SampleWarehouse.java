package io.aquifer.tpch;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.gateway.execution.ManagedTableLocations;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.KernelDeltaTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real data directory for tests: an SQLite catalog and Delta tables in a temporary folder. {@link
 * #sf001()} is one shared warehouse with TPC-H SF 0.01 loaded once per test JVM (the tests that use
 * it only read it).
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

  SampleWarehouse(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
    this.database = CatalogDatabase.open(dataDirectory.resolve("catalog.db"));
    this.catalog = CatalogStore.open(database, OWNER);
    this.locations = new ManagedTableLocations(dataDirectory);
  }

  TpchDataLoader loader() {
    return new TpchDataLoader(catalog, tables, locations, OWNER, 2);
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
    database.close();
  }
}
