package io.aquifer.gateway.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseHealth;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.exec.QueryFragment;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse whose clusters cannot start: the waiting statement fails with WAREHOUSE_NOT_RUNNING
 * and the reason, the warehouse is recorded FAILED and STOPPED, and nothing stays queued. The
 * provisioner is a hand-written one that always fails (no node is needed to show this).
 */
class WarehousesStartFailureTest {
  @TempDir Path dir;

  @Test
  void aClusterThatCannotStartFailsTheQueuedStatementClearly() {
    AtomicInteger attempts = new AtomicInteger();
    ClusterProvisioner broken =
        (warehouse, clusterId) -> {
          attempts.incrementAndGet();
          throw new IllegalStateException("no memory for node " + clusterId);
        };
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      WarehouseStore store = new WarehouseStore(database);
      Warehouse w =
          store.create(
              new WarehouseSpec("broken", WarehouseSize.SMALL, 1, 1, 10, 10, Map.of()), "admin");
      WarehousesConfig config =
          new WarehousesConfig(
              10,
              Duration.ofMinutes(1),
              Duration.ZERO,
              Duration.ofMinutes(1),
              Duration.ofHours(1),
              WarehousesConfig.DEFAULT_PING_TIMEOUT,
              WarehousesConfig.DEFAULT_UNHEALTHY_AFTER_FAILED_PINGS);
      try (Warehouses warehouses = new Warehouses(store, broken, config)) {
        Session session = new Session("s1", new Principal("admin", true), "main", "default");
        session.warehouse("broken");
        GatewayException e =
            assertThrows(
                GatewayException.class,
                () ->
                    warehouses
                        .forSession(session)
                        .query(new QueryFragment("st1/1", "SELECT 1", List.of())));
        assertEquals("WAREHOUSE_NOT_RUNNING", e.errorClass());
        assertTrue(e.getMessage().contains("'broken'"), e.getMessage());
        assertTrue(e.getMessage().contains("no memory for node"), e.getMessage());
        Warehouse after = store.get(w.id()).orElseThrow();
        assertEquals(WarehouseState.STOPPED, after.state());
        assertEquals(WarehouseHealth.FAILED, after.health());
        assertTrue(after.healthMessage().orElseThrow().contains("could not start"));
        assertEquals(0, warehouses.queued(w.id()));
        assertEquals(1, attempts.get());
      }
    }
  }

  @Test
  void anUnknownWarehouseIsRefusedBeforeAnythingStarts() {
    ClusterProvisioner never =
        (warehouse, clusterId) -> {
          throw new AssertionError("nothing should start");
        };
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"));
        Warehouses warehouses =
            new Warehouses(new WarehouseStore(database), never, WarehousesConfig.defaults())) {
      Session session = new Session("s1", new Principal("admin", true), "main", "default");
      session.warehouse("nope");
      io.aquifer.catalog.WarehouseException e =
          assertThrows(
              io.aquifer.catalog.WarehouseException.class, () -> warehouses.forSession(session));
      assertEquals(io.aquifer.catalog.WarehouseErrorCode.RESOURCE_DOES_NOT_EXIST, e.code());
    }
  }
}
