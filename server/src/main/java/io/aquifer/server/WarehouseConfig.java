package io.aquifer.server;

import static java.util.Objects.requireNonNull;

import io.aquifer.autoscaler.WarehouseAutoscaler;
import io.aquifer.gateway.warehouse.WarehousesConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the gateway runs warehouses (see docs/warehouses.md).
 *
 * @param nodes where clusters run: {@code in-process} (in the gateway's JVM, the default), {@code
 *     process} (each cluster its own JVM) or {@code kubernetes} (each cluster a pod) (property
 *     {@code warehouse-nodes})
 * @param queueCapacity statements one warehouse may hold queued (property {@code
 *     warehouse-queue-size}, default 1000)
 * @param autoStopUnit how long one minute of {@code auto_stop_mins} lasts (property {@code
 *     warehouse-auto-stop-unit}, whole seconds, default 60; shorter only for tests)
 * @param scaleOutDelay how long a statement queues before its warehouse adds a cluster (property
 *     {@code warehouse-scale-out-delay}, whole seconds, default 2)
 * @param scaleInDelay how long a cluster idles before it is removed, down to {@code
 *     min_num_clusters} (property {@code warehouse-scale-in-delay}, whole seconds, default 60)
 * @param nodeClassArchive whether node processes start from a class-data-sharing archive the
 *     gateway makes once by running a warm-up node (property {@code warehouse-node-class-archive},
 *     default true; only with {@code process} nodes)
 * @param kubernetes the node pods' settings when {@code nodes} is {@code kubernetes} (properties
 *     {@code kubernetes-*}, see {@link KubernetesNodeConfig})
 */
public record WarehouseConfig(
    NodeMode nodes,
    int queueCapacity,
    Duration autoStopUnit,
    Duration scaleOutDelay,
    Duration scaleInDelay,
    boolean nodeClassArchive,
    KubernetesNodeConfig kubernetes) {
  public static final String NODES = "warehouse-nodes";
  public static final String QUEUE_SIZE = "warehouse-queue-size";
  public static final String AUTO_STOP_UNIT = "warehouse-auto-stop-unit";
  public static final String SCALE_OUT_DELAY = "warehouse-scale-out-delay";
  public static final String SCALE_IN_DELAY = "warehouse-scale-in-delay";
  public static final String NODE_CLASS_ARCHIVE = "warehouse-node-class-archive";
  public static final Set<String> PROPERTIES = properties();

  private static Set<String> properties() {
    Set<String> all =
        new java.util.HashSet<>(
            Set.of(
                NODES,
                QUEUE_SIZE,
                AUTO_STOP_UNIT,
                SCALE_OUT_DELAY,
                SCALE_IN_DELAY,
                NODE_CLASS_ARCHIVE));
    all.addAll(KubernetesNodeConfig.PROPERTIES);
    return Set.copyOf(all);
  }

  /** Where a warehouse's clusters run. */
  public enum NodeMode {
    IN_PROCESS("in-process"),
    PROCESS("process"),
    KUBERNETES("kubernetes");

    private final String property;

    NodeMode(String property) {
      this.property = property;
    }

    public String property() {
      return property;
    }

    static NodeMode parse(String value) {
      for (NodeMode mode : values()) {
        if (mode.property.equals(value.strip().toLowerCase(Locale.ROOT))) {
          return mode;
        }
      }
      throw new IllegalArgumentException(
          NODES + " must be 'in-process', 'process' or 'kubernetes': " + value);
    }
  }

  public WarehouseConfig {
    requireNonNull(nodes, "nodes");
    requireNonNull(autoStopUnit, "autoStopUnit");
    requireNonNull(scaleOutDelay, "scaleOutDelay");
    requireNonNull(scaleInDelay, "scaleInDelay");
    requireNonNull(kubernetes, "kubernetes");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException(QUEUE_SIZE + " must be at least 1: " + queueCapacity);
    }
    if (autoStopUnit.isNegative() || autoStopUnit.isZero()) {
      throw new IllegalArgumentException(AUTO_STOP_UNIT + " must be at least 1 second");
    }
    if (scaleOutDelay.isNegative()) {
      throw new IllegalArgumentException(SCALE_OUT_DELAY + " must not be negative");
    }
    if (scaleInDelay.isNegative()) {
      throw new IllegalArgumentException(SCALE_IN_DELAY + " must not be negative");
    }
  }

  public static WarehouseConfig defaults() {
    return new WarehouseConfig(
        NodeMode.IN_PROCESS,
        WarehousesConfig.DEFAULT_QUEUE_CAPACITY,
        Duration.ofMinutes(1),
        WarehouseAutoscaler.DEFAULT_SCALE_OUT_DELAY,
        WarehouseAutoscaler.DEFAULT_SCALE_IN_DELAY,
        true,
        KubernetesNodeConfig.defaults());
  }

  static WarehouseConfig load(Map<String, String> values) {
    WarehouseConfig d = defaults();
    return new WarehouseConfig(
        values.containsKey(NODES) ? NodeMode.parse(values.get(NODES)) : d.nodes(),
        values.containsKey(QUEUE_SIZE)
            ? whole(QUEUE_SIZE, values.get(QUEUE_SIZE))
            : d.queueCapacity(),
        values.containsKey(AUTO_STOP_UNIT)
            ? Duration.ofSeconds(whole(AUTO_STOP_UNIT, values.get(AUTO_STOP_UNIT)))
            : d.autoStopUnit(),
        values.containsKey(SCALE_OUT_DELAY)
            ? Duration.ofSeconds(whole(SCALE_OUT_DELAY, values.get(SCALE_OUT_DELAY)))
            : d.scaleOutDelay(),
        values.containsKey(SCALE_IN_DELAY)
            ? Duration.ofSeconds(whole(SCALE_IN_DELAY, values.get(SCALE_IN_DELAY)))
            : d.scaleInDelay(),
        values.containsKey(NODE_CLASS_ARCHIVE)
            ? bool(NODE_CLASS_ARCHIVE, values.get(NODE_CLASS_ARCHIVE))
            : d.nodeClassArchive(),
        KubernetesNodeConfig.load(values));
  }

  /** The gateway's settings for its warehouses. */
  WarehousesConfig warehousesConfig() {
    WarehousesConfig d = WarehousesConfig.defaults();
    Duration check =
        autoStopUnit.compareTo(Duration.ofMinutes(1)) < 0
            ? Duration.ofMillis(200)
            : d.checkInterval();
    return new WarehousesConfig(
        queueCapacity,
        autoStopUnit,
        scaleOutDelay,
        scaleInDelay,
        check,
        d.pingTimeout(),
        d.unhealthyAfterFailedPings());
  }

  private static boolean bool(String key, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false: " + value);
    };
  }

  private static int whole(String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number: " + value);
    }
  }
}
