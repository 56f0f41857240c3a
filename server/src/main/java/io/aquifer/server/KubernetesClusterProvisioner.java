package io.aquifer.server;

import io.aquifer.catalog.Warehouse;
import io.aquifer.exec.node.NodeSecret;
import io.aquifer.exec.node.WarehouseNodeClient;
import io.aquifer.gateway.execution.NodeWarehouseConnection;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.warehouse.ClusterProvisioner;
import io.aquifer.gateway.warehouse.WarehouseCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clusters as Kubernetes pods: each is {@code WarehouseNodeMain} in a pod made from the node pod
 * template ({@link KubernetesNodeConfig#template()}, see docs/warehouses.md), labelled with its
 * gateway, warehouse and cluster, with its size's memory and CPU, and its own secret in a Secret of
 * its own that the pod reads into {@code AQUIFER_NODE_SECRET}. The gateway waits until the pod is
 * ready and the node answers a ping over Flight at the pod's IP. A cluster is dead when its pod is
 * gone, being deleted, has ended, or its container restarted; killing it deletes the pod at once.
 * On start the provisioner deletes the pods and secrets a previous run of the same gateway left
 * behind; with {@link KubernetesNodeConfig#gatewayPod()} the node pods are also owned by the
 * gateway's pod, so that Kubernetes deletes them with it.
 */
final class KubernetesClusterProvisioner implements ClusterProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesClusterProvisioner.class);

  static final String NAME_LABEL = "app.kubernetes.io/name";
  static final String NODE_NAME = "aquifer-node";
  static final String GATEWAY_LABEL = "aquifer.io/gateway";
  static final String WAREHOUSE_LABEL = "aquifer.io/warehouse-id";
  static final String CLUSTER_LABEL = "aquifer.io/cluster-id";
  static final String SECRET_KEY = "secret";
  static final String CONTAINER = "node";
  static final String PORT_NAME = "flight";

  /** Heap, metaspace and Arrow buffers of the node's JVM, beside the engine's memory. */
  static final long JVM_OVERHEAD_BYTES = 512L << 20;

  /** Container states that will not become ready by waiting. */
  private static final Set<String> HOPELESS_WAITING =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "CrashLoopBackOff",
          "CreateContainerConfigError",
          "CreateContainerError");

  private final KubernetesNodeConfig config;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final String namespace;
  private final BufferAllocator allocator;
  private final List<Path> dataDirectories;
  private final long queryMemoryLimitBytes;
  private final boolean engineProfiles;
  private final Pod template;

  /**
   * Part of every pod name, new at each start of the gateway (names of a run before may linger).
   */
  private final String run;

  private final SharedIndexInformer<Pod> pods;

  /** The gateway's own pod, owner of the node pods; null if none is set. */
  private final OwnerReference owner;

  /**
   * @param ownsClient whether {@link #close()} closes {@code client}
   * @param dataDirectories what nodes may read and write (the gateway's table directories), at the
   *     same paths in the pods
   * @param engineProfiles whether the gateway keeps engine profiles; if not, nodes run with {@code
   *     --no-engine-profiles}
   * @throws IllegalArgumentException if the template is not a pod or no image is set
   * @throws IllegalArgumentException also if the API server cannot be reached or refuses the
   *     gateway (the message names the setting)
   */
  KubernetesClusterProvisioner(
      KubernetesNodeConfig config,
      KubernetesClient client,
      boolean ownsClient,
      BufferAllocator allocator,
      List<Path> dataDirectories,
      long queryMemoryLimitBytes,
      boolean engineProfiles) {
    this.config = config;
    this.client = client;
    this.ownsClient = ownsClient;
    this.namespace = config.namespace().orElseGet(() -> defaultNamespace(client));
    this.allocator = allocator;
    this.dataDirectories = List.copyOf(dataDirectories);
    this.queryMemoryLimitBytes = queryMemoryLimitBytes;
    this.engineProfiles = engineProfiles;
    this.template = loadTemplate(config, client);
    String image = config.image().orElse(nodeContainer(template).getImage());
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException(
          WarehouseConfig.NODES
              + " = kubernetes needs the node pods' container image: set "
              + KubernetesNodeConfig.IMAGE
              + config
                  .template()
                  .map(t -> " or an image in the node pod template " + t)
                  .orElse(" (the built-in node pod template names none)"));
    }
    this.run = newRunId();
    try {
      this.owner = config.gatewayPod().map(this::ownerReference).orElse(null);
      deleteLeftovers();
      this.pods =
          client
              .pods()
              .inNamespace(namespace)
              .withLabel(GATEWAY_LABEL, config.gatewayName())
              .withLabel(NAME_LABEL, NODE_NAME)
              .inform();
    } catch (KubernetesClientException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      // The settings (API server, namespace, the service account's rights) do not work.
      throw new IllegalArgumentException(
          "cannot manage node pods in namespace "
              + namespace
              + " through the Kubernetes API server "
              + client.getMasterUrl()
              + " ("
              + KubernetesNodeConfig.API_SERVER
              + "): "
              + e.getMessage()
              + (root == e ? "" : " (" + root + ")"),
          e);
    }
  }

  /** A provisioner with its own client, from the server's settings. */
  static KubernetesClusterProvisioner open(ServerConfig server, BufferAllocator allocator) {
    KubernetesNodeConfig config = server.warehouses().kubernetes();
    ConfigBuilder clientConfig = new ConfigBuilder(Config.autoConfigure(null));
    config.apiServer().ifPresent(clientConfig::withMasterUrl);
    config.namespace().ifPresent(clientConfig::withNamespace);
    KubernetesClient client =
        new KubernetesClientBuilder().withConfig(clientConfig.build()).build();
    try {
      return new KubernetesClusterProvisioner(
          config,
          client,
          true,
          allocator,
          ProcessClusterProvisioner.nodeDataDirectories(server),
          server.queryMemoryLimitBytes(),
          server.queryHistory().engineProfiles());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Node pods owned by the gateway's pod go when it goes (Kubernetes' garbage collector). */
  private OwnerReference ownerReference(String gatewayPod) {
    Pod pod = client.pods().inNamespace(namespace).withName(gatewayPod).get();
    if (pod == null) {
      throw new IllegalArgumentException(
          KubernetesNodeConfig.GATEWAY_POD
              + ": no pod "
              + gatewayPod
              + " in namespace "
              + namespace
              + " (the gateway's own pod, in the node pods' namespace)");
    }
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("Pod")
        .withName(gatewayPod)
        .withUid(pod.getMetadata().getUid())
        .build();
  }

  private static String newRunId() {
    String letters = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(letters.charAt(RANDOM.nextInt(letters.length())));
    }
    return s.toString();
  }

  /** The template's container named {@value #CONTAINER}, else its first. */
  private static Container nodeContainer(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> CONTAINER.equals(c.getName()))
        .findFirst()
        .orElse(pod.getSpec().getContainers().get(0));
  }

  private static String defaultNamespace(KubernetesClient client) {
    String ns = client.getNamespace();
    return ns == null || ns.isBlank() ? "default" : ns;
  }

  /** The namespace node pods run in. */
  String namespace() {
    return namespace;
  }

  static Pod loadTemplate(KubernetesNodeConfig config, KubernetesClient client) {
    try (InputStream in =
        config.template().isPresent()
            ? Files.newInputStream(config.template().get())
            : KubernetesClusterProvisioner.class.getResourceAsStream("node-pod-template.yaml")) {
      if (in == null) {
        throw new IllegalStateException("the built-in node pod template is missing");
      }
      Pod pod = client.pods().load(in).item();
      String where = config.template().map(Path::toString).orElse("the built-in template");
      if (pod == null || pod.getSpec() == null || pod.getSpec().getContainers().isEmpty()) {
        throw new IllegalArgumentException(
            KubernetesNodeConfig.TEMPLATE + ": " + where + " is not a pod with a container");
      }
      return pod;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + KubernetesNodeConfig.TEMPLATE + " " + config.template().orElse(null), e);
    } catch (KubernetesClientException e) {
      throw new IllegalArgumentException(
          KubernetesNodeConfig.TEMPLATE
              + ": "
              + config.template().orElse(null)
              + " is not a pod manifest: "
              + e.getMessage(),
          e);
    }
  }

  /** Pods and secrets a previous run of this gateway left: their clusters are gone with it. */
  private void deleteLeftovers() {
    List<Pod> left =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(GATEWAY_LABEL, config.gatewayName())
            .withLabel(NAME_LABEL, NODE_NAME)
            .list()
            .getItems();
    if (!left.isEmpty()) {
      LOG.info(
          "deleting {} node pod(s) a previous run of gateway '{}' left in namespace {}",
          left.size(),
          config.gatewayName(),
          namespace);
    }
    client
        .pods()
        .inNamespace(namespace)
        .withLabel(GATEWAY_LABEL, config.gatewayName())
        .withLabel(NAME_LABEL, NODE_NAME)
        .withGracePeriod(0)
        .delete();
    client
        .secrets()
        .inNamespace(namespace)
        .withLabel(GATEWAY_LABEL, config.gatewayName())
        .withLabel(NAME_LABEL, NODE_NAME)
        .delete();
  }

  /** {@code aquifer-node-<cluster id>-<run>}: also the name of the cluster's Secret. */
  String podName(String clusterId) {
    return NODE_NAME + "-" + clusterId.toLowerCase(Locale.ROOT) + "-" + run;
  }

  @Override
  public WarehouseCluster start(Warehouse warehouse, String clusterId) {
    String name = podName(clusterId);
    Map<String, String> labels = new HashMap<>();
    labels.put(NAME_LABEL, NODE_NAME);
    labels.put(GATEWAY_LABEL, config.gatewayName());
    labels.put(WAREHOUSE_LABEL, warehouse.id());
    labels.put(CLUSTER_LABEL, clusterId.toLowerCase(Locale.ROOT));
    String secretText = newSecretText();
    NodeSecret secret = NodeSecret.of(secretText);
    Secret secretObject =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withType("Opaque")
            .withStringData(Map.of(SECRET_KEY, secretText))
            .build();
    Pod pod = podFor(warehouse, name, labels);
    try {
      client.secrets().inNamespace(namespace).resource(secretObject).create();
      Pod created = client.pods().inNamespace(namespace).resource(pod).create();
      ownSecret(name, created);
      URI uri = awaitReady(name, clusterId);
      WarehouseNodeClient nodeClient =
          new WarehouseNodeClient(allocator, new Location(uri), secret);
      NodeWarehouseConnection connection = new NodeWarehouseConnection(nodeClient);
      try {
        awaitPing(connection, clusterId, name);
      } catch (RuntimeException e) {
        connection.close();
        throw e;
      }
      return new PodCluster(clusterId, name, uri, restarts(created), connection);
    } catch (RuntimeException e) {
      delete(name, Duration.ZERO);
      throw e;
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** A new node secret's text: 32 random bytes, base64url (as {@link NodeSecret#generate()}). */
  private static String newSecretText() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lets Kubernetes delete the secret with its pod, should the gateway not get to it. */
  private void ownSecret(String name, Pod pod) {
    if (pod.getMetadata().getUid() == null) {
      return;
    }
    try {
      client
          .secrets()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              s -> {
                s.getMetadata()
                    .setOwnerReferences(
                        List.of(
                            new OwnerReferenceBuilder()
                                .withApiVersion("v1")
                                .withKind("Pod")
                                .withName(name)
                                .withUid(pod.getMetadata().getUid())
                                .build()));
                return s;
              });
    } catch (KubernetesClientException e) {
      LOG.debug("cannot make pod {} own its secret: {}", name, e.toString());
    }
  }

  /** The template, made this cluster's pod. */
  Pod podFor(Warehouse warehouse, String name, Map<String, String> labels) {
    Pod pod = client.getKubernetesSerialization().clone(template);
    pod.getMetadata().setName(name);
    pod.getMetadata().setGenerateName(null);
    pod.getMetadata().setNamespace(namespace);
    Map<String, String> allLabels =
        new HashMap<>(
            pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
    allLabels.putAll(labels);
    pod.getMetadata().setLabels(allLabels);
    if (owner != null) {
      pod.getMetadata().setOwnerReferences(List.of(owner));
    }
    pod.getSpec().setRestartPolicy("Never");
    Container container = nodeContainer(pod);
    config.image().ifPresent(container::setImage);
    if (container.getImage() == null || container.getImage().isBlank()) {
      throw new IllegalArgumentException(
          "the node pod template names no image; set " + KubernetesNodeConfig.IMAGE);
    }
    long engineMemory = warehouse.spec().size().memoryBytes();
    List<String> args =
        new ArrayList<>(container.getArgs() == null ? List.of() : container.getArgs());
    args.add("--host");
    args.add("0.0.0.0");
    args.add("--port");
    args.add(Integer.toString(config.port()));
    for (Path data : dataDirectories) {
      args.add("--data-dir");
      args.add(data.toString());
    }
    args.add("--temp-dir");
    args.add("/tmp/aquifer-node");
    args.add("--memory-limit");
    args.add(engineMemory + "b");
    args.add("--query-memory-limit");
    args.add(Math.min(queryMemoryLimitBytes, engineMemory) + "b");
    args.add("--threads");
    args.add(Integer.toString(warehouse.spec().size().threads()));
    if (!engineProfiles) {
      args.add("--no-engine-profiles"); // the gateway keeps none: profiling would be wasted
    }
    container.setArgs(args);
    List<ContainerPort> ports =
        new ArrayList<>(container.getPorts() == null ? List.of() : container.getPorts());
    ports.removeIf(p -> PORT_NAME.equals(p.getName()));
    ports.add(
        new ContainerPortBuilder()
            .withName(PORT_NAME)
            .withContainerPort(config.port())
            .withProtocol("TCP")
            .build());
    container.setPorts(ports);
    List<EnvVar> env = new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
    env.removeIf(e -> NodeSecret.ENVIRONMENT_VARIABLE.equals(e.getName()));
    env.add(
        new EnvVarBuilder()
            .withName(NodeSecret.ENVIRONMENT_VARIABLE)
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(name)
            .withKey(SECRET_KEY)
            .endSecretKeyRef()
            .endValueFrom()
            .build());
    container.setEnv(env);
    ResourceRequirements resources =
        container.getResources() == null ? new ResourceRequirements() : container.getResources();
    Map<String, Quantity> requests =
        new HashMap<>(resources.getRequests() == null ? Map.of() : resources.getRequests());
    Map<String, Quantity> limits =
        new HashMap<>(resources.getLimits() == null ? Map.of() : resources.getLimits());
    Quantity memory = new Quantity(Long.toString(engineMemory + JVM_OVERHEAD_BYTES));
    requests.put("memory", memory);
    limits.put("memory", memory);
    requests.put("cpu", new Quantity(Integer.toString(warehouse.spec().size().threads())));
    resources.setRequests(requests);
    resources.setLimits(limits);
    container.setResources(resources);
    return pod;
  }

  /** Waits until the pod is ready and has an IP; fails at once if it cannot become ready. */
  private URI awaitReady(String name, String clusterId) {
    long deadline = System.nanoTime() + config.startTimeout().toNanos();
    String lastState = "not created";
    while (System.nanoTime() - deadline < 0) {
      Pod pod = client.pods().inNamespace(namespace).withName(name).get();
      if (pod == null) {
        throw new IllegalStateException(
            "node pod " + namespace + "/" + name + " of cluster " + clusterId + " was deleted");
      }
      String failure = failure(pod);
      if (failure != null) {
        throw new IllegalStateException(
            "node pod " + namespace + "/" + name + " of cluster " + clusterId + " " + failure);
      }
      if (isReady(pod) && pod.getStatus().getPodIP() != null) {
        return URI.create(
            "grpc+tcp://" + hostLiteral(pod.getStatus().getPodIP()) + ":" + config.port());
      }
      lastState = describeState(pod);
      pause(Duration.ofMillis(200));
    }
    throw new IllegalStateException(
        "node pod "
            + namespace
            + "/"
            + name
            + " of cluster "
            + clusterId
            + " was not ready within "
            + config.startTimeout()
            + " ("
            + KubernetesNodeConfig.START_TIMEOUT
            + "): "
            + lastState);
  }

  private static String hostLiteral(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }

  /** The node answers once its engine is open; the pod may be ready a moment before. */
  private void awaitPing(NodeWarehouseConnection connection, String clusterId, String name) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    RuntimeException last;
    do {
      try {
        connection.ping(Duration.ofSeconds(3));
        return;
      } catch (RuntimeException e) {
        last = e;
      }
      pause(Duration.ofMillis(200));
    } while (System.nanoTime() - deadline < 0);
    throw new IllegalStateException(
        "node pod "
            + namespace
            + "/"
            + name
            + " of cluster "
            + clusterId
            + " is ready but its node does not answer: "
            + last.getMessage(),
        last);
  }

  static boolean isReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** Why the pod will never serve, or null while it may. */
  static String failure(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return "is being deleted";
    }
    if (pod.getStatus() == null) {
      return null;
    }
    String phase = pod.getStatus().getPhase();
    if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
      return "ended (" + phase + ")" + terminated(pod);
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
        if (s.getState() != null
            && s.getState().getWaiting() != null
            && HOPELESS_WAITING.contains(s.getState().getWaiting().getReason())) {
          String message = s.getState().getWaiting().getMessage();
          return "cannot start: "
              + s.getState().getWaiting().getReason()
              + (message == null ? "" : ": " + message);
        }
        if (s.getState() != null && s.getState().getTerminated() != null) {
          return "ended" + terminated(pod);
        }
      }
    }
    return null;
  }

  private static String terminated(Pod pod) {
    if (pod.getStatus().getContainerStatuses() == null) {
      return "";
    }
    for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
      if (s.getState() != null && s.getState().getTerminated() != null) {
        var t = s.getState().getTerminated();
        return ": container "
            + s.getName()
            + " exited with code "
            + t.getExitCode()
            + (t.getReason() == null ? "" : " (" + t.getReason() + ")");
      }
    }
    return "";
  }

  private static String describeState(Pod pod) {
    if (pod.getStatus() == null) {
      return "no status yet";
    }
    StringBuilder s = new StringBuilder("phase ").append(pod.getStatus().getPhase());
    if (pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("False".equals(c.getStatus()) && c.getReason() != null) {
          s.append(", ").append(c.getType()).append(": ").append(c.getReason());
          if (c.getMessage() != null) {
            s.append(" (").append(c.getMessage()).append(')');
          }
        }
      }
    }
    return s.toString();
  }

  private static int restarts(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount())
        .sum();
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a node pod", e);
    }
  }

  private void delete(String name, Duration gracePeriod) {
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .withGracePeriod(gracePeriod.toSeconds())
          .delete();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot delete node pod {}/{}: {}", namespace, name, e.getMessage());
    }
    try {
      client.secrets().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot delete node secret {}/{}: {}", namespace, name, e.getMessage());
    }
  }

  @Override
  public void close() {
    pods.close();
    if (ownsClient) {
      client.close();
    }
  }

  private final class PodCluster implements WarehouseCluster {
    private final String id;
    private final String podName;
    private final URI uri;
    private final int restartsAtStart;
    private final NodeWarehouseConnection connection;
    private volatile boolean seen;
    private volatile boolean closed;

    PodCluster(
        String id,
        String podName,
        URI uri,
        int restartsAtStart,
        NodeWarehouseConnection connection) {
      this.id = id;
      this.podName = podName;
      this.uri = uri;
      this.restartsAtStart = restartsAtStart;
      this.connection = connection;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WarehouseConnection connection() {
      return connection;
    }

    /**
     * From the informer's cache, no API call: dead once the pod is gone, being deleted, ended, or
     * its container restarted (its statements were lost with the old one).
     */
    @Override
    public boolean isAlive() {
      if (closed) {
        return false;
      }
      Pod pod = pods.getStore().getByKey(namespace + "/" + podName);
      if (pod == null) {
        // Not in the cache yet right after the start; gone once it was.
        return !seen;
      }
      seen = true;
      return failure(pod) == null && restarts(pod) <= restartsAtStart;
    }

    @Override
    public void ping(Duration timeout) {
      connection.ping(timeout);
    }

    @Override
    public String describe() {
      return "node pod " + namespace + "/" + podName + " at " + uri;
    }

    /** Deletes the pod at once: its sockets close, so calls still open on it fail. */
    @Override
    public void kill() {
      closed = true;
      delete(podName, Duration.ZERO);
      closeConnection();
    }

    @Override
    public void close() {
      closed = true;
      closeConnection();
      delete(podName, Duration.ofSeconds(5));
    }

    private void closeConnection() {
      try {
        connection.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the client of node {} failed: {}", id, e.toString());
      }
    }
  }
}
