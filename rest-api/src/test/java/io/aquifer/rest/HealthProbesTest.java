package io.aquifer.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.gateway.warehouse.ClusterProvisioner;
import io.aquifer.gateway.warehouse.Warehouses;
import io.aquifer.gateway.warehouse.WarehousesConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness over a real catalog database: ready while it answers and the warehouses service runs,
 * 503 NOT_READY with the reason when the catalog cannot be read or the server is stopping. (The
 * probes over HTTP, without a token, are in the server's WarehousesEndToEndTest.)
 */
class HealthProbesTest {
  @TempDir Path dir;

  private static final ClusterProvisioner NO_CLUSTERS =
      (warehouse, clusterId) -> {
        throw new AssertionError("no cluster starts in this test");
      };

  @Test
  void readyWhileTheCatalogAnswersNotReadyWhenItFailsOrTheServerStops() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      WarehouseStore store = new WarehouseStore(database);
      Warehouses warehouses = new Warehouses(store, NO_CLUSTERS, WarehousesConfig.defaults());
      try {
        HealthProbes probes = new HealthProbes(store::list, warehouses);
        HealthProbes.Answer ready = probes.answer(HealthProbes.READINESS);
        assertEquals(200, ready.status());
        assertEquals("READY", ready.body().get("status"));
        assertEquals(
            Map.of("total", 0, "running", 0L, "degraded", 0L, "failed", 0L),
            ready.body().get("warehouses"));
        assertEquals(Map.of("status", "OK"), probes.answer(HealthProbes.LIVENESS).body());

        HealthProbes broken =
            new HealthProbes(
                () -> {
                  throw new IllegalStateException("database is locked");
                },
                warehouses);
        HealthProbes.Answer catalogDown = broken.answer(HealthProbes.READINESS);
        assertEquals(503, catalogDown.status());
        assertEquals("NOT_READY", catalogDown.body().get("status"));
        assertEquals(
            "the catalog database does not answer; see the server log",
            catalogDown.body().get("reason"));
        assertEquals(200, broken.answer(HealthProbes.LIVENESS).status());
      } finally {
        warehouses.close();
      }
      HealthProbes.Answer stopping =
          new HealthProbes(store::list, warehouses).answer(HealthProbes.READINESS);
      assertEquals(503, stopping.status());
      assertEquals("the server is stopping", stopping.body().get("reason"));
    }
  }
}
