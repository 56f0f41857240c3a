package io.aquifer.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.aquifer.exec.duckdb.DuckDbEngine;
import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import io.aquifer.exec.node.NodeSecret;
import io.aquifer.exec.node.WarehouseNodeServer;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a kubelet does for the node pods (label {@code app.kubernetes.io/name=aquifer-node}) of a
 * namespace of fabric8's CRUD-mode mock API server, where no container runs: for each new pod it
 * runs the node the pod describes as a real {@link WarehouseNodeServer} in this JVM (data
 * directories, memory and threads from the container's arguments, the secret from the Secret its
 * environment names, the Flight port its container declares) on a loopback address of its own
 * (127.0.0.2, .3, ...), then reports the pod Running and Ready with that address as its IP. A pod
 * that leaves the API server takes its node with it. A poll every 50 ms, not a watch: it only has
 * to be right, not quick.
 */
final class FakeKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Path tempDirectory;
  private final Map<String, WarehouseNodeServer> nodes = new ConcurrentHashMap<>();
  private final AtomicInteger nextAddress = new AtomicInteger(2);
  private final java.util.Set<String> missingImages = ConcurrentHashMap.newKeySet();
  private final Thread loop;
  private volatile boolean closed;
  private volatile Throwable failure;

  FakeKubelet(KubernetesClient client, String namespace, Path tempDirectory) {
    this.client = client;
    this.namespace = namespace;
    this.tempDirectory = tempDirectory;
    this.loop = new Thread(this::run, "fake-kubelet");
    loop.setDaemon(true);
    loop.start();
  }

  /** Names of the pods whose node runs now. */
  java.util.Set<String> running() {
    return java.util.Set.copyOf(nodes.keySet());
  }

  /** Ends the pod's container with {@code exitCode}, as when the node process dies. */
  void failPod(String name, int exitCode) {
    WarehouseNodeServer node = nodes.remove(name);
    if (node != null) {
      node.close();
    }
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p -> {
              p.setStatus(
                  new PodStatusBuilder(p.getStatus())
                      .withPhase("Failed")
                      .withConditions(
                          new PodConditionBuilder()
                              .withType("Ready")
                              .withStatus("False")
                              .withReason("PodFailed")
                              .build())
                      .withContainerStatuses(
                          new ContainerStatusBuilder()
                              .withName("node")
                              .withReady(false)
                              .withRestartCount(0)
                              .withState(
                                  new ContainerStateBuilder()
                                      .withNewTerminated()
                                      .withExitCode(exitCode)
                                      .withReason("Error")
                                      .endTerminated()
                                      .build())
                              .build())
                      .build());
              return p;
            });
  }

  private void run() {
    while (!closed) {
      try {
        List<Pod> pods =
            client
                .pods()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/name", "aquifer-node")
                .list()
                .getItems();
        java.util.Set<String> present = new java.util.HashSet<>();
        for (Pod pod : pods) {
          String name = pod.getMetadata().getName();
          present.add(name);
          if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
            start(pod);
          }
        }
        for (String name : new ArrayList<>(nodes.keySet())) {
          if (!present.contains(name)) {
            WarehouseNodeServer node = nodes.remove(name);
            if (node != null) {
              node.close();
            }
          }
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          failure = e;
        }
      }
    }
  }

  /** Pods with this image wait in ErrImagePull, as when the image does not exist. */
  void imageMissing(String image) {
    missingImages.add(image);
  }

  private void start(Pod pod) {
    String name = pod.getMetadata().getName();
    var container = pod.getSpec().getContainers().get(0);
    if (missingImages.contains(container.getImage())) {
      PodStatus pulling =
          new PodStatusBuilder()
              .withPhase("Pending")
              .withConditions(
                  new PodConditionBuilder()
                      .withType("Ready")
                      .withStatus("False")
                      .withReason("ContainersNotReady")
                      .build())
              .withContainerStatuses(
                  new ContainerStatusBuilder()
                      .withName(container.getName())
                      .withReady(false)
                      .withRestartCount(0)
                      .withState(
                          new ContainerStateBuilder()
                              .withNewWaiting()
                              .withReason("ErrImagePull")
                              .withMessage("manifest unknown: " + container.getImage())
                              .endWaiting()
                              .build())
                      .build())
              .build();
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .editStatus(
              p -> {
                p.setStatus(pulling);
                return p;
              });
      return;
    }
    List<String> args = container.getArgs();
    List<Path> data = new ArrayList<>();
    long memory = 256L << 20;
    int threads = 1;
    for (int i = 0; i + 1 < args.size(); i++) {
      switch (args.get(i)) {
        case "--data-dir" -> data.add(Path.of(args.get(i + 1)));
        case "--memory-limit" -> memory = DuckDbEngineConfig.parseBytes(args.get(i + 1));
        case "--threads" -> threads = Integer.parseInt(args.get(i + 1));
        default -> {}
      }
    }
    int port =
        container.getPorts().stream()
            .filter(p -> "flight".equals(p.getName()))
            .findFirst()
            .orElseThrow()
            .getContainerPort();
    EnvVar secretVariable =
        container.getEnv().stream()
            .filter(e -> NodeSecret.ENVIRONMENT_VARIABLE.equals(e.getName()))
            .findFirst()
            .orElseThrow();
    var ref = secretVariable.getValueFrom().getSecretKeyRef();
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    String text =
        secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())
            ? secret.getStringData().get(ref.getKey())
            : new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), UTF_8);
    String ip = "127.0.0." + nextAddress.getAndIncrement();
    Path temp = tempDirectory.resolve(name);
    try {
      Files.createDirectories(temp);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    DuckDbEngineConfig config =
        DuckDbEngineConfig.defaults(data, temp)
            .withMemoryLimits(Math.min(memory, 512L << 20), 128L << 20)
            .withThreads(Math.min(threads, 2));
    nodes.put(
        name, WarehouseNodeServer.start(new DuckDbEngine(config), ip, port, NodeSecret.of(text)));
    PodStatus running =
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(container.getName())
                    .withReady(true)
                    .withRestartCount(0)
                    .withState(new ContainerStateBuilder().withNewRunning().endRunning().build())
                    .build())
            .build();
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p -> {
              p.setStatus(running);
              return p;
            });
  }

  /** The first error the loop met, if any (a test should see none). */
  Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (WarehouseNodeServer node : nodes.values()) {
      node.close();
    }
    nodes.clear();
  }
}
