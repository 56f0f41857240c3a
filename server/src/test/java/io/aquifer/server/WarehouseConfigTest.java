package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    assertTrue(config.nodeClassArchive());
    WarehousesConfig gateway = config.warehousesConfig();
    assertEquals(Duration.ofSeconds(1), gateway.checkInterval());
    assertEquals(Duration.ofMinutes(1), gateway.scaleInDelay());
    for (String name :
        new String[] {
          "warehouse-nodes",
          "warehouse-queue-size",
          "warehouse-auto-stop-unit",
          "warehouse-scale-out-delay",
          "warehouse-scale-in-delay",
          "warehouse-node-class-archive"
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
                    WarehouseConfig.SCALE_OUT_DELAY, "0",
                    WarehouseConfig.SCALE_IN_DELAY, "3",
                    WarehouseConfig.NODE_CLASS_ARCHIVE, "false"))
            .warehouses();
    assertFalse(config.nodeClassArchive());
    assertEquals(WarehouseConfig.NodeMode.PROCESS, config.nodes());
    assertEquals(5, config.queueCapacity());
    assertEquals(Duration.ofSeconds(1), config.warehousesConfig().autoStopMinute());
    assertEquals(Duration.ZERO, config.scaleOutDelay());
    assertEquals(Duration.ofSeconds(3), config.warehousesConfig().scaleInDelay());
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
            Map.of(WarehouseConfig.SCALE_OUT_DELAY, "-1"),
            Map.of(WarehouseConfig.SCALE_IN_DELAY, "-1"),
            Map.of(WarehouseConfig.NODE_CLASS_ARCHIVE, "yes"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> load(Map.of(), bad));
      String key = bad.keySet().iterator().next();
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }

  @Test
  void kubernetesSettingsTheirDefaultsAndWhatTheyRefuse() {
    KubernetesNodeConfig d = load(Map.of(), Map.of()).warehouses().kubernetes();
    assertEquals(java.util.Optional.empty(), d.apiServer());
    assertEquals(java.util.Optional.empty(), d.namespace());
    assertEquals(java.util.Optional.empty(), d.image());
    assertEquals(java.util.Optional.empty(), d.template());
    assertEquals(8815, d.port());
    assertEquals("aquifer", d.gatewayName());
    assertEquals(Duration.ofMinutes(5), d.startTimeout());
    assertEquals(java.util.Optional.empty(), d.gatewayPod());
    for (String name :
        new String[] {
          "kubernetes-api-server",
          "kubernetes-namespace",
          "kubernetes-node-image",
          "kubernetes-node-template",
          "kubernetes-node-port",
          "kubernetes-gateway-name",
          "kubernetes-node-start-timeout",
          "kubernetes-gateway-pod"
        }) {
      assertTrue(ServerConfig.PROPERTIES.contains(name), name);
    }

    WarehouseConfig config =
        load(
                Map.of("AQUIFER_KUBERNETES_NAMESPACE", "analytics"),
                Map.of(
                    WarehouseConfig.NODES, "kubernetes",
                    KubernetesNodeConfig.IMAGE, "registry.example/aquifer:1",
                    KubernetesNodeConfig.TEMPLATE, "/etc/aquifer/node-pod.yaml",
                    KubernetesNodeConfig.PORT, "9000",
                    KubernetesNodeConfig.START_TIMEOUT, "30"))
            .warehouses();
    assertEquals(WarehouseConfig.NodeMode.KUBERNETES, config.nodes());
    assertEquals(java.util.Optional.of("analytics"), config.kubernetes().namespace());
    assertEquals(java.util.Optional.of("registry.example/aquifer:1"), config.kubernetes().image());
    assertEquals(
        java.util.Optional.of(java.nio.file.Path.of("/etc/aquifer/node-pod.yaml")),
        config.kubernetes().template());
    assertEquals(9000, config.kubernetes().port());
    assertEquals(Duration.ofSeconds(30), config.kubernetes().startTimeout());

    for (Map<String, String> bad :
        java.util.List.of(
            Map.of(KubernetesNodeConfig.PORT, "0"),
            Map.of(KubernetesNodeConfig.PORT, "flight"),
            Map.of(KubernetesNodeConfig.GATEWAY_NAME, "-not a label-"),
            Map.of(KubernetesNodeConfig.START_TIMEOUT, "0"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> load(Map.of(), bad));
      String key = bad.keySet().iterator().next();
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }
}
