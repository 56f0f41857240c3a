package io.aquifer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseStoreTest {
  @TempDir Path dir;
  private CatalogDatabase database;
  private WarehouseStore warehouses;

  @BeforeEach
  void open() {
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    warehouses = new WarehouseStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static WarehouseSpec spec(String name, int min, int max) {
    return new WarehouseSpec(name, WarehouseSize.XSMALL, min, max, 10, 10, Map.of("team", "bi"));
  }

  @Test
  void createsAStoppedHealthyWarehouseThatSurvivesReopening() {
    Warehouse created = warehouses.create(spec("BI", 1, 3), "alice");
    assertEquals(16, created.id().length());
    assertEquals(WarehouseState.STOPPED, created.state());
    assertEquals(WarehouseHealth.HEALTHY, created.health());
    assertEquals("alice", created.creator());
    database.close();
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    warehouses = new WarehouseStore(database);
    Warehouse read = warehouses.get(created.id()).orElseThrow();
    assertEquals(created, read);
    assertEquals(Map.of("team", "bi"), read.spec().tags());
    assertEquals(3, read.spec().maxNumClusters());
  }

  @Test
  void aSparkWarehouseKeepsItsEndpointAndItsType() {
    WarehouseSpec spark =
        spec("Big", 1, 1)
            .withEngine(WarehouseEngine.SPARK, Optional.of("sc://spark.example.com:15002"));
    Warehouse created = warehouses.create(spark, "alice");
    database.close();
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    warehouses = new WarehouseStore(database);
    Warehouse read = warehouses.get(created.id()).orElseThrow();
    assertEquals(WarehouseEngine.SPARK, read.spec().engine());
    assertEquals(Optional.of("sc://spark.example.com:15002"), read.spec().sparkConnectUrl());
    assertEquals(
        WarehouseEngine.DUCKDB, warehouses.create(spec("Small", 1, 1), "a").spec().engine());
    // The endpoint can change, the type cannot.
    Warehouse moved =
        warehouses.edit(
            read.id(),
            read.spec()
                .withEngine(
                    WarehouseEngine.SPARK,
                    Optional.of("sc://10.0.0.7:15002/;use_ssl=true;token=t")));
    assertEquals(
        Optional.of("sc://10.0.0.7:15002/;use_ssl=true;token=t"), moved.spec().sparkConnectUrl());
    WarehouseException typeChange =
        assertThrows(WarehouseException.class, () -> warehouses.edit(read.id(), spec("Big", 1, 1)));
    assertEquals(WarehouseErrorCode.INVALID_PARAMETER_VALUE, typeChange.code());
    assertTrue(typeChange.getMessage().contains("cannot be changed"), typeChange.getMessage());
  }

  @Test
  void sparkWarehousesNeedAValidEndpointAndOneCluster() {
    for (String bad :
        List.of("http://spark:15002", "sc://", "sc://host:99999", "sc://host:port", "host:15002")) {
      WarehouseException e =
          assertThrows(
              WarehouseException.class,
              () -> spec("S", 1, 1).withEngine(WarehouseEngine.SPARK, Optional.of(bad)),
              bad);
      assertEquals(WarehouseErrorCode.INVALID_PARAMETER_VALUE, e.code());
      assertTrue(e.getMessage().contains("Spark Connect endpoint"), e.getMessage());
    }
    WarehouseException none =
        assertThrows(
            WarehouseException.class,
            () -> spec("S", 1, 1).withEngine(WarehouseEngine.SPARK, Optional.empty()));
    assertTrue(none.getMessage().contains("sc://host:port"), none.getMessage());
    WarehouseException clusters =
        assertThrows(
            WarehouseException.class,
            () -> spec("S", 1, 3).withEngine(WarehouseEngine.SPARK, Optional.of("sc://h:15002")));
    assertTrue(clusters.getMessage().contains("one cluster"), clusters.getMessage());
    WarehouseException urlOnDuckDb =
        assertThrows(
            WarehouseException.class,
            () -> spec("S", 1, 1).withEngine(WarehouseEngine.DUCKDB, Optional.of("sc://h:15002")));
    assertTrue(
        urlOnDuckDb.getMessage().contains("Spark warehouses only"), urlOnDuckDb.getMessage());
    assertEquals(
        WarehouseErrorCode.INVALID_PARAMETER_VALUE,
        assertThrows(WarehouseException.class, () -> WarehouseEngine.parse("flink")).code());
  }

  @Test
  void starterIsCreatedOnlyWhenThereWasNeverAWarehouse() {
    Warehouse starter = warehouses.createStarterIfNone("admin").orElseThrow();
    assertEquals(WarehouseSpec.STARTER_NAME, starter.name());
    assertEquals(WarehouseSpec.DEFAULT_CLUSTER_CONCURRENCY, starter.spec().clusterConcurrency());
    assertEquals(Optional.empty(), warehouses.createStarterIfNone("admin"));
    warehouses.delete(starter.id());
    assertEquals(Optional.empty(), warehouses.createStarterIfNone("admin"));
  }

  @Test
  void resolvesByIdOrNameIgnoringCase() {
    Warehouse bi = warehouses.create(spec("BI Warehouse", 1, 1), "alice");
    assertEquals(bi.id(), warehouses.resolve(bi.id()).id());
    assertEquals(bi.id(), warehouses.resolve("bi warehouse").id());
    WarehouseException e = assertThrows(WarehouseException.class, () -> warehouses.resolve("nope"));
    assertEquals(WarehouseErrorCode.RESOURCE_DOES_NOT_EXIST, e.code());
    assertEquals("42704", e.code().sqlState());
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
  }

  @Test
  void namesAreUniqueAmongWarehousesNotDeleted() {
    Warehouse first = warehouses.create(spec("etl", 1, 1), "alice");
    WarehouseException e =
        assertThrows(WarehouseException.class, () -> warehouses.create(spec("ETL", 1, 1), "bob"));
    assertEquals(WarehouseErrorCode.RESOURCE_ALREADY_EXISTS, e.code());
    assertEquals(1, warehouses.list().size());
    assertEquals(WarehouseState.DELETED, warehouses.delete(first.id()).state());
    assertEquals(List.of(), warehouses.list());
    assertEquals(Optional.empty(), warehouses.get(first.id()));
    Warehouse second = warehouses.create(spec("ETL", 1, 1), "bob");
    assertTrue(!second.id().equals(first.id()));
  }

  @Test
  void editReplacesSpecAndTagsButNotState() {
    Warehouse w = warehouses.create(spec("a", 1, 1), "alice");
    warehouses.transition(w.id(), Set.of(WarehouseState.STOPPED), WarehouseState.RUNNING);
    Warehouse edited =
        warehouses.edit(
            w.id(), new WarehouseSpec("b", WarehouseSize.LARGE, 2, 4, 0, 5, Map.of("x", "1")));
    assertEquals("b", edited.name());
    assertEquals(WarehouseSize.LARGE, edited.spec().size());
    assertEquals(Map.of("x", "1"), edited.spec().tags());
    assertEquals(WarehouseState.RUNNING, edited.state());
    warehouses.create(spec("c", 1, 1), "alice");
    WarehouseException taken =
        assertThrows(WarehouseException.class, () -> warehouses.edit(w.id(), spec("C", 1, 1)));
    assertEquals(WarehouseErrorCode.RESOURCE_ALREADY_EXISTS, taken.code());
    WarehouseException missing =
        assertThrows(WarehouseException.class, () -> warehouses.edit("0000", spec("d", 1, 1)));
    assertEquals(WarehouseErrorCode.RESOURCE_DOES_NOT_EXIST, missing.code());
  }

  @Test
  void transitionOnlyFromTheExpectedStates() {
    Warehouse w = warehouses.create(spec("a", 1, 1), "alice");
    assertEquals(
        WarehouseState.STOPPED,
        warehouses
            .transition(w.id(), Set.of(WarehouseState.RUNNING), WarehouseState.STOPPING)
            .state());
    assertEquals(
        WarehouseState.STARTING,
        warehouses
            .transition(w.id(), Set.of(WarehouseState.STOPPED), WarehouseState.STARTING)
            .state());
    warehouses.health(w.id(), WarehouseHealth.DEGRADED, Optional.of("node 1 died"));
    Warehouse read = warehouses.get(w.id()).orElseThrow();
    assertEquals(WarehouseHealth.DEGRADED, read.health());
    assertEquals(Optional.of("node 1 died"), read.healthMessage());
  }

  @Test
  void deletingARunningWarehouseLeavesItDeletingForTheGateway() {
    Warehouse w = warehouses.create(spec("a", 1, 1), "alice");
    warehouses.transition(w.id(), Set.of(WarehouseState.STOPPED), WarehouseState.RUNNING);
    assertEquals(WarehouseState.DELETING, warehouses.delete(w.id()).state());
    assertEquals(1, warehouses.list().size());
    assertEquals(Optional.empty(), warehouses.get(w.id()));
    assertEquals(
        WarehouseState.DELETED,
        warehouses
            .transition(w.id(), Set.of(WarehouseState.DELETING), WarehouseState.DELETED)
            .state());
    assertEquals(List.of(), warehouses.list());
  }

  @Test
  void badSpecsAreRefusedWithInvalidParameterValue() {
    List<Runnable> bad =
        List.of(
            () -> new WarehouseSpec(" ", WarehouseSize.SMALL, 1, 1, 0, 10, Map.of()),
            () -> new WarehouseSpec("x".repeat(101), WarehouseSize.SMALL, 1, 1, 0, 10, Map.of()),
            () -> new WarehouseSpec("a", WarehouseSize.SMALL, 0, 1, 0, 10, Map.of()),
            () -> new WarehouseSpec("a", WarehouseSize.SMALL, 2, 1, 0, 10, Map.of()),
            () -> new WarehouseSpec("a", WarehouseSize.SMALL, 1, 41, 0, 10, Map.of()),
            () -> new WarehouseSpec("a", WarehouseSize.SMALL, 1, 1, -1, 10, Map.of()),
            () -> new WarehouseSpec("a", WarehouseSize.SMALL, 1, 1, 0, 0, Map.of()),
            () -> new WarehouseSpec("a", WarehouseSize.SMALL, 1, 1, 0, 10, Map.of(" ", "v")),
            () -> WarehouseSize.parse("Huge"));
    for (Runnable r : bad) {
      WarehouseException e = assertThrows(WarehouseException.class, r::run);
      assertEquals(WarehouseErrorCode.INVALID_PARAMETER_VALUE, e.code());
      assertEquals("22023", e.code().sqlState());
    }
    assertTrue(
        assertThrows(WarehouseException.class, () -> WarehouseSize.parse("Huge"))
            .getMessage()
            .contains("2X-Small"));
  }

  @Test
  void sizesParseByTheirDatabricksNamesAndDouble() {
    assertEquals(WarehouseSize.XXSMALL, WarehouseSize.parse("2x-small"));
    assertEquals(WarehouseSize.XXXXLARGE, WarehouseSize.parse("4X-Large"));
    assertEquals(WarehouseSize.MEDIUM, WarehouseSize.parse(" medium "));
    WarehouseSize[] sizes = WarehouseSize.values();
    assertEquals(9, sizes.length);
    for (int i = 1; i < sizes.length; i++) {
      assertEquals(sizes[i - 1].memoryBytes() * 2, sizes[i].memoryBytes());
      assertEquals(sizes[i - 1].threads() * 2, sizes[i].threads());
    }
  }
}
