package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseHealth;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.exec.node.NodeSecret;
import io.aquifer.gateway.warehouse.WarehouseCluster;
import io.aquifer.gateway.warehouse.Warehouses;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes provisioner against fabric8's mock API server in CRUD mode (a real HTTP server
 * keeping the objects it is sent; no scheduler, no kubelet, no containers). {@link FakeKubelet}
 * plays the kubelet: it runs each pod's node as a real node server in this JVM and reports the pod
 * ready, so the provisioner's readiness wait and its ping over Arrow Flight with the pod's secret
 * are real. Not tested here: a real cluster (scheduling, image pulls, probes, RBAC, networking).
 */
class KubernetesClusterProvisionerTest {
  private static final String NAMESPACE = "aquifer-test";
  private static final String IMAGE = "registry.example/aquifer:test";

  /** The mock API server logs every request at INFO through java.util.logging. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  @TempDir Path temp;

  private KubernetesMockServer apiServer;
  private KubernetesClient client;
  private BufferAllocator allocator;
  private CatalogDatabase database;
  private WarehouseStore store;
  private FakeKubelet kubelet;
  private int flightPort;

  @BeforeEach
  void start() throws Exception {
    apiServer =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    apiServer.init();
    client = apiServer.createClient();
    allocator = new RootAllocator();
    database = CatalogDatabase.open(temp.resolve("catalog.db"));
    store = new WarehouseStore(database);
    Files.createDirectories(temp.resolve("data"));
    kubelet = new FakeKubelet(client, NAMESPACE, temp.resolve("kubelet"));
    try (ServerSocket s = new ServerSocket(0)) {
      flightPort = s.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    kubelet.close();
    database.close();
    allocator.close();
    client.close();
    apiServer.destroy();
  }

  private KubernetesNodeConfig config(Optional<String> image) {
    return new KubernetesNodeConfig(
        Optional.empty(),
        Optional.of(NAMESPACE),
        image,
        Optional.empty(),
        flightPort,
        "aquifer",
        Duration.ofSeconds(60),
        Optional.empty());
  }

  private KubernetesClusterProvisioner provisioner() {
    return new KubernetesClusterProvisioner(
        config(Optional.of(IMAGE)),
        client,
        false,
        allocator,
        List.of(temp.resolve("data")),
        1L << 30,
        true);
  }

  private Warehouse warehouse(String name, WarehouseSize size) {
    return store.create(new WarehouseSpec(name, size, 1, 1, 0, 10, Map.of()), "admin");
  }

  private List<Pod> pods() {
    return client.pods().inNamespace(NAMESPACE).list().getItems();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aClusterIsAPodWithItsSizeLabelsImageAndSecretAndStoppingItDeletesBoth() throws Exception {
    try (KubernetesClusterProvisioner provisioner = provisioner()) {
      Warehouse bi = warehouse("BI", WarehouseSize.SMALL);
      WarehouseCluster cluster = provisioner.start(bi, bi.id() + "-1");
      assertNull(kubelet.failure());

      List<Pod> pods = pods();
      assertEquals(1, pods.size());
      Pod pod = pods.get(0);
      String name = pod.getMetadata().getName();
      assertEquals(provisioner.podName(bi.id() + "-1"), name);
      assertTrue(name.startsWith("aquifer-node-" + bi.id() + "-1-"), name);
      assertEquals(bi.id(), pod.getMetadata().getLabels().get("aquifer.io/warehouse-id"));
      assertEquals(bi.id() + "-1", pod.getMetadata().getLabels().get("aquifer.io/cluster-id"));
      assertEquals("aquifer", pod.getMetadata().getLabels().get("aquifer.io/gateway"));
      assertEquals("aquifer-node", pod.getMetadata().getLabels().get("app.kubernetes.io/name"));
      // a label of the template is kept
      assertEquals("aquifer", pod.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
      assertEquals("Never", pod.getSpec().getRestartPolicy());

      Container node = pod.getSpec().getContainers().get(0);
      assertEquals("node", node.getName());
      assertEquals(IMAGE, node.getImage());
      // Small: 2 GB engine memory + 512 MiB for the JVM, 4 threads = 4 CPUs
      long memory = (2L << 30) + (512L << 20);
      assertEquals(
          memory,
          Quantity.getAmountInBytes(node.getResources().getLimits().get("memory")).longValue());
      assertEquals(
          memory,
          Quantity.getAmountInBytes(node.getResources().getRequests().get("memory")).longValue());
      assertEquals(new Quantity("4"), node.getResources().getRequests().get("cpu"));
      assertFalse(node.getResources().getLimits().containsKey("cpu"));
      List<String> args = node.getArgs();
      assertEquals(
          List.of("--memory-limit", (2L << 30) + "b"),
          args.subList(args.indexOf("--memory-limit"), args.indexOf("--memory-limit") + 2));
      assertEquals("4", args.get(args.indexOf("--threads") + 1));
      assertFalse(args.contains("--no-engine-profiles"), args.toString());
      assertEquals(Integer.toString(flightPort), args.get(args.indexOf("--port") + 1));
      assertEquals("0.0.0.0", args.get(args.indexOf("--host") + 1));
      assertEquals(temp.resolve("data").toString(), args.get(args.indexOf("--data-dir") + 1));
      assertTrue(
          node.getPorts().stream()
              .anyMatch(p -> "flight".equals(p.getName()) && p.getContainerPort() == flightPort));

      // the secret: never in the pod spec, only a reference to the cluster's own Secret
      EnvVar secretVariable =
          node.getEnv().stream()
              .filter(e -> NodeSecret.ENVIRONMENT_VARIABLE.equals(e.getName()))
              .findFirst()
              .orElseThrow();
      assertNull(secretVariable.getValue());
      assertEquals(name, secretVariable.getValueFrom().getSecretKeyRef().getName());
      assertEquals("secret", secretVariable.getValueFrom().getSecretKeyRef().getKey());
      var secret = client.secrets().inNamespace(NAMESPACE).withName(name).get();
      assertNotNull(secret);
      assertEquals(bi.id(), secret.getMetadata().getLabels().get("aquifer.io/warehouse-id"));
      assertEquals("Pod", secret.getMetadata().getOwnerReferences().get(0).getKind());
      assertEquals(name, secret.getMetadata().getOwnerReferences().get(0).getName());

      // reached at the pod's IP and the node's port, with that secret
      assertTrue(cluster.describe().contains("grpc+tcp://127.0.0."), cluster.describe());
      assertTrue(cluster.describe().contains(":" + flightPort), cluster.describe());
      cluster.ping(Duration.ofSeconds(3));
      assertTrue(cluster.isAlive());

      cluster.close();
      assertFalse(cluster.isAlive());
      await("the pod is deleted", () -> pods().isEmpty());
      await(
          "the secret is deleted",
          () -> client.secrets().inNamespace(NAMESPACE).withName(name).get() == null);
      await("its node is gone", () -> kubelet.running().isEmpty());
    }
  }

  @Test
  void aPodThatIsDeletedOrFailsIsDead() throws Exception {
    try (KubernetesClusterProvisioner provisioner = provisioner()) {
      Warehouse w = warehouse("W", WarehouseSize.XXSMALL);
      WarehouseCluster first = provisioner.start(w, w.id() + "-1");
      WarehouseCluster second = provisioner.start(w, w.id() + "-2");
      // 2X-Small: 512 MB + 512 MiB, 1 CPU
      Pod pod =
          client.pods().inNamespace(NAMESPACE).withName(provisioner.podName(w.id() + "-2")).get();
      assertEquals(
          1L << 30,
          Quantity.getAmountInBytes(
                  pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory"))
              .longValue());
      await("both clusters are alive", () -> first.isAlive() && second.isAlive());

      client.pods().inNamespace(NAMESPACE).withName(provisioner.podName(w.id() + "-1")).delete();
      await("the deleted pod's cluster is dead", () -> !first.isAlive());
      assertTrue(second.isAlive());

      kubelet.failPod(provisioner.podName(w.id() + "-2"), 137);
      await("the failed pod's cluster is dead", () -> !second.isAlive());
      assertThrows(RuntimeException.class, () -> second.ping(Duration.ofSeconds(1)));
      second.kill();
      await("the failed pod is deleted", () -> pods().isEmpty());
      first.close();
    }
  }

  @Test
  void aWarehouseReplacesAClusterWhosePodIsDeletedOrFailsAndStoppingDeletesItsPods()
      throws Exception {
    KubernetesClusterProvisioner provisioner = provisioner();
    WarehouseConfig settings =
        new WarehouseConfig(
            WarehouseConfig.NodeMode.KUBERNETES,
            100,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofMinutes(1),
            true,
            config(Optional.of(IMAGE)));
    try (Warehouses warehouses = new Warehouses(store, provisioner, settings.warehousesConfig())) {
      Warehouse w = warehouse("Healing", WarehouseSize.XXSMALL);
      store.transition(w.id(), Set.of(WarehouseState.STOPPED), WarehouseState.STARTING);
      await(
          "the warehouse runs",
          () -> store.get(w.id()).orElseThrow().state() == WarehouseState.RUNNING);
      assertEquals(1, warehouses.runningClusters(w.id()).size());
      String firstPod = pods().get(0).getMetadata().getName();

      client.pods().inNamespace(NAMESPACE).withName(firstPod).delete();
      await(
          "a new pod replaces the deleted one",
          () ->
              warehouses.runningClusters(w.id()).size() == 1
                  && pods().size() == 1
                  && !pods().get(0).getMetadata().getName().equals(firstPod));
      await(
          "the warehouse is healthy again",
          () -> store.get(w.id()).orElseThrow().health() == WarehouseHealth.HEALTHY);
      String secondPod = pods().get(0).getMetadata().getName();
      assertNotEquals(firstPod, secondPod);
      warehouses.runningClusters(w.id()).get(0).ping(Duration.ofSeconds(3));

      kubelet.failPod(secondPod, 1);
      await(
          "the warehouse notices the failed pod",
          () -> store.get(w.id()).orElseThrow().health() == WarehouseHealth.DEGRADED);
      assertTrue(
          store.get(w.id()).orElseThrow().healthMessage().orElse("").contains(w.id() + "-2"),
          store.get(w.id()).orElseThrow().healthMessage().toString());
      await(
          "a third pod replaces the failed one, which is deleted",
          () ->
              warehouses.runningClusters(w.id()).size() == 1
                  && pods().size() == 1
                  && !Set.of(firstPod, secondPod).contains(pods().get(0).getMetadata().getName()));
      await(
          "the warehouse is healthy again",
          () -> store.get(w.id()).orElseThrow().health() == WarehouseHealth.HEALTHY);

      store.transition(w.id(), Set.of(WarehouseState.RUNNING), WarehouseState.STOPPING);
      await(
          "the warehouse stops",
          () -> store.get(w.id()).orElseThrow().state() == WarehouseState.STOPPED);
      await("its pods are deleted", () -> pods().isEmpty());
      await(
          "its secrets are deleted",
          () -> client.secrets().inNamespace(NAMESPACE).list().getItems().isEmpty());
      assertNull(kubelet.failure());
    }
  }

  @Test
  void withoutAnImageTheProvisionerDoesNotStartAndCreatesNothing() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new KubernetesClusterProvisioner(
                    config(Optional.empty()),
                    client,
                    false,
                    allocator,
                    List.of(temp.resolve("data")),
                    1L << 30,
                    true));
    assertTrue(e.getMessage().contains("kubernetes-node-image"), e.getMessage());
    assertTrue(pods().isEmpty());
  }

  @Test
  void aPodWhoseImageCannotBePulledFailsTheStartWithTheReasonAndIsDeleted() {
    kubelet.imageMissing("registry.example/missing:1");
    try (KubernetesClusterProvisioner provisioner =
        new KubernetesClusterProvisioner(
            config(Optional.of("registry.example/missing:1")),
            client,
            false,
            allocator,
            List.of(temp.resolve("data")),
            1L << 30,
            true)) {
      Warehouse w = warehouse("Unpullable", WarehouseSize.XXSMALL);
      RuntimeException e =
          assertThrows(RuntimeException.class, () -> provisioner.start(w, w.id() + "-1"));
      assertTrue(e.getMessage().contains(provisioner.podName(w.id() + "-1")), e.getMessage());
      assertTrue(e.getMessage().contains("ErrImagePull"), e.getMessage());
      assertTrue(e.getMessage().contains("registry.example/missing:1"), e.getMessage());
      assertTrue(pods().isEmpty(), "the pod that cannot start is deleted");
      assertTrue(client.secrets().inNamespace(NAMESPACE).list().getItems().isEmpty());
    }
  }

  @Test
  void nodesRunWithoutProfilesWhenTheGatewayKeepsNone() throws Exception {
    try (KubernetesClusterProvisioner provisioner =
        new KubernetesClusterProvisioner(
            config(Optional.of(IMAGE)),
            client,
            false,
            allocator,
            List.of(temp.resolve("data")),
            1L << 30,
            false)) {
      Warehouse w = warehouse("Unprofiled", WarehouseSize.XXSMALL);
      Pod pod = provisioner.podFor(w, provisioner.podName(w.id() + "-1"), Map.of());
      List<String> args = pod.getSpec().getContainers().get(0).getArgs();
      assertTrue(args.contains("--no-engine-profiles"), args.toString());
    }
  }

  @Test
  void nodePodsAreOwnedByTheGatewaysPodWhenItIsNamed() throws Exception {
    Pod gateway =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .resource(
                new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata()
                    .withName("aquifer-gateway-0")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("gateway")
                    .withImage(IMAGE)
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    assertNotNull(gateway.getMetadata().getUid());
    KubernetesNodeConfig owned =
        new KubernetesNodeConfig(
            Optional.empty(),
            Optional.of(NAMESPACE),
            Optional.of(IMAGE),
            Optional.empty(),
            flightPort,
            "aquifer",
            Duration.ofSeconds(60),
            Optional.of("aquifer-gateway-0"));
    try (KubernetesClusterProvisioner provisioner =
        new KubernetesClusterProvisioner(
            owned, client, false, allocator, List.of(temp.resolve("data")), 1L << 30, true)) {
      Warehouse w = warehouse("Owned", WarehouseSize.XXSMALL);
      Pod pod = provisioner.podFor(w, provisioner.podName(w.id() + "-1"), Map.of());
      assertEquals(1, pod.getMetadata().getOwnerReferences().size());
      var reference = pod.getMetadata().getOwnerReferences().get(0);
      assertEquals("Pod", reference.getKind());
      assertEquals("aquifer-gateway-0", reference.getName());
      assertEquals(gateway.getMetadata().getUid(), reference.getUid());
    }
    // the gateway pod is not one of its node pods: not deleted as a leftover
    assertNotNull(client.pods().inNamespace(NAMESPACE).withName("aquifer-gateway-0").get());

    KubernetesNodeConfig missing =
        new KubernetesNodeConfig(
            Optional.empty(),
            Optional.of(NAMESPACE),
            Optional.of(IMAGE),
            Optional.empty(),
            flightPort,
            "aquifer",
            Duration.ofSeconds(60),
            Optional.of("no-such-pod"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new KubernetesClusterProvisioner(
                    missing,
                    client,
                    false,
                    allocator,
                    List.of(temp.resolve("data")),
                    1L << 30,
                    true));
    assertTrue(e.getMessage().contains("kubernetes-gateway-pod"), e.getMessage());
    assertTrue(e.getMessage().contains("no-such-pod"), e.getMessage());
  }

  @Test
  void aTemplateThatIsNotAPodIsRefusedWithItsName() throws Exception {
    Path template = temp.resolve("template.yaml");
    Files.writeString(template, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    KubernetesNodeConfig c =
        new KubernetesNodeConfig(
            Optional.empty(),
            Optional.of(NAMESPACE),
            Optional.of(IMAGE),
            Optional.of(template),
            flightPort,
            "aquifer",
            Duration.ofSeconds(60),
            Optional.empty());
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                new KubernetesClusterProvisioner(
                    c, client, false, allocator, List.of(temp.resolve("data")), 1L << 30, true));
    assertTrue(e.getMessage().contains("kubernetes-node-template"), e.getMessage());
    assertTrue(e.getMessage().contains(template.toString()), e.getMessage());
  }

  @Test
  void podsLeftByAnEarlierRunOfTheGatewayAreDeletedAtStart() throws Exception {
    Warehouse w = warehouse("Left", WarehouseSize.XXSMALL);
    KubernetesClusterProvisioner before = provisioner();
    WarehouseCluster leftover = before.start(w, w.id() + "-1");
    before.close(); // the gateway died without stopping its clusters
    assertEquals(1, pods().size());
    try (KubernetesClusterProvisioner after = provisioner()) {
      await("the pod of the earlier run is deleted", () -> pods().isEmpty());
      await(
          "its secret is deleted",
          () -> client.secrets().inNamespace(NAMESPACE).list().getItems().isEmpty());
    }
    leftover.kill(); // only its Flight client is left to close
  }

  @Test
  void theGatewayRunsStatementsOnNodePodsAndDeletesThemWhenItStops() throws Exception {
    Path data = temp.resolve("server");
    Files.createDirectories(data);
    RunningServer server =
        RunningServer.start(
            data,
            Map.of(
                WarehouseConfig.NODES,
                "kubernetes",
                KubernetesNodeConfig.API_SERVER,
                apiServer.url("/"),
                KubernetesNodeConfig.NAMESPACE,
                NAMESPACE,
                KubernetesNodeConfig.IMAGE,
                IMAGE,
                KubernetesNodeConfig.PORT,
                Integer.toString(flightPort)));
    try {
      assertTrue(pods().isEmpty(), "no pod before the first statement");
      try (java.sql.Connection c = server.connect();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA p");
        s.execute("CREATE TABLE p.t (x BIGINT)");
        s.execute("INSERT INTO p.t VALUES (1), (2), (3)");
        try (java.sql.ResultSet rs = s.executeQuery("SELECT sum(x) * 7 FROM p.t")) {
          assertTrue(rs.next());
          assertEquals(42, rs.getLong(1));
        }
      }
      Warehouse starter = server.server().warehouseStore().resolve(WarehouseSpec.STARTER_NAME);
      List<Pod> pods = pods();
      assertEquals(1, pods.size());
      assertEquals(
          starter.id(), pods.get(0).getMetadata().getLabels().get("aquifer.io/warehouse-id"));
      // the node pod reads the gateway's table files at the gateway's paths
      assertTrue(
          pods.get(0)
              .getSpec()
              .getContainers()
              .get(0)
              .getArgs()
              .contains(data.resolve("warehouse").toString()));
    } finally {
      server.close();
    }
    await("the gateway's node pods are deleted when it stops", () -> pods().isEmpty());
    assertNull(kubelet.failure());
  }
}
