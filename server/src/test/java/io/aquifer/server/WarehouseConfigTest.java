package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.gateway.warehouse.WarehousesConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Warehouse settings: their names, defaults, parsing and what they refuse. */
class WarehouseConfigTest {
  private static ServerConfig load(Map<String, String> env, Map<String, String> flags) {
    Map<String, String> all = new java.util.HashMap<>(flags);
    all.put(ServerConfig.DATA_DIR, "/srv/aq");
    return ServerConfig.load(null, env, all);
  }

  @Test
  void defaultsAndPropertyNames() {
    WarehouseConfig config = load(Map.of(), Map.of()).warehouses();
    assertEquals(WarehouseConfig.NodeMode.IN_PROCESS, config.nodes());
    assertEquals(1000, config.queueCapacity());
    assertEquals(Duration.ofMinutes(1), config.autoStopUnit());
    assertEquals(Duration.ofSeconds(2), config.scaleOutDelay());
    WarehousesConfig gateway = config.warehousesConfig();
    assertEquals(Duration.ofSeconds(1), gateway.checkInterval());
    assertEquals(Duration.ofMinutes(1), gateway.scaleInDelay());
    for (String name :
        new String[] {
          "warehouse-nodes",
          "warehouse-queue-size",
          "warehouse-auto-stop-unit",
          "warehouse-scale-out-delay"
        }) {
      assertTrue(ServerConfig.PROPERTIES.contains(name), name);
    }
  }

  @Test
  void settingsComeFromFlagsAndTheEnvironment() {
    WarehouseConfig config =
        load(
                Map.of("AQUIFER_WAREHOUSE_NODES", "process"),
                Map.of(
                    WarehouseConfig.QUEUE_SIZE, "5",
                    WarehouseConfig.AUTO_STOP_UNIT, "1",
                    WarehouseConfig.SCALE_OUT_DELAY, "0"))
            .warehouses();
    assertEquals(WarehouseConfig.NodeMode.PROCESS, config.nodes());
    assertEquals(5, config.queueCapacity());
    assertEquals(Duration.ofSeconds(1), config.warehousesConfig().autoStopMinute());
    assertEquals(Duration.ZERO, config.scaleOutDelay());
    // A short auto-stop unit (tests) checks more often than once a second.
    assertTrue(config.warehousesConfig().checkInterval().compareTo(Duration.ofSeconds(1)) < 0);
  }

  @Test
  void badValuesAreRefusedWithTheirName() {
    for (Map<String, String> bad :
        java.util.List.of(
            Map.of(WarehouseConfig.NODES, "docker"),
            Map.of(WarehouseConfig.QUEUE_SIZE, "0"),
            Map.of(WarehouseConfig.QUEUE_SIZE, "many"),
            Map.of(WarehouseConfig.AUTO_STOP_UNIT, "0"),
            Map.of(WarehouseConfig.SCALE_OUT_DELAY, "-1"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> load(Map.of(), bad));
      String key = bad.keySet().iterator().next();
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }
}
