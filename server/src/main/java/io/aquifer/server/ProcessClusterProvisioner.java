package io.aquifer.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.aquifer.catalog.Warehouse;
import io.aquifer.exec.node.NodeSecret;
import io.aquifer.exec.node.WarehouseNodeClient;
import io.aquifer.exec.node.WarehouseNodeMain;
import io.aquifer.gateway.execution.NodeWarehouseConnection;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.gateway.warehouse.ClusterProvisioner;
import io.aquifer.gateway.warehouse.WarehouseCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clusters as child processes: each is {@link WarehouseNodeMain} in its own JVM (the gateway's
 * {@code java} and class path), with its size's engine memory and threads, its own secret in a file
 * only its owner can read ({@code <data dir>/nodes/<cluster id>/secret}), a free port it reports on
 * standard output, and {@code --parent-pid} so that it exits with the gateway. Its standard error
 * goes to {@code <data dir>/nodes/<cluster id>/node.log}; its JVM temp directory is {@code <data
 * dir>/nodes/<cluster id>/jvm-tmp}, emptied when it exits. A cluster that fails its health checks
 * is killed with SIGKILL ({@link WarehouseCluster#kill()}).
 *
 * <p>With an object-store storage root, each node process reads {@code s3://} files through a disk
 * cache of its own, {@code <data dir>/node-disk-caches/<slot>} of {@code disk-cache-size} bytes (a
 * cache directory belongs to one process; a slot is reused by the next node once its process ended,
 * so a restarted warehouse finds its cache warm), and gets the gateway's S3 settings: its
 * environment is the gateway's ({@code AWS_*} variables), and S3 settings the gateway has as system
 * properties ({@code aws.endpointUrl}, {@code aws.region}, {@code aws.accessKeyId}, ...) are set as
 * the node's {@code AWS_*} environment variables, never on its command line.
 */
final class ProcessClusterProvisioner implements ClusterProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessClusterProvisioner.class);
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** The file in a node's directory where its JVM logs its class-data sharing. */
  static final String CLASS_SHARING_LOG = "class-sharing.log";

  private final ServerConfig config;
  private final BufferAllocator allocator;
  private final CompletableFuture<NodeLaunch> launch;
  private final CompletableFuture<Optional<Path>> classArchive;
  private final java.util.BitSet diskCacheSlots = new java.util.BitSet();

  /** The system properties of the AWS SDK's chain (and Aquifer's) and their environment names. */
  private static final java.util.Map<String, String> S3_PROPERTIES =
      java.util.Map.of(
          "aws.endpointUrl", "AWS_ENDPOINT_URL",
          "aws.region", "AWS_REGION",
          "aws.accessKeyId", "AWS_ACCESS_KEY_ID",
          "aws.secretAccessKey", "AWS_SECRET_ACCESS_KEY",
          "aws.sessionToken", "AWS_SESSION_TOKEN",
          "aquifer.s3.pathStyle", "AQUIFER_S3_PATH_STYLE");

  /**
   * How node processes are launched: their class path, if prepared the native library, and once
   * made the class-data-sharing archive ({@link NodeClassArchive}).
   */
  private record NodeLaunch(
      String classPath, Optional<Path> libraryDirectory, Optional<Path> classArchive) {
    NodeLaunch withClassArchive(Optional<Path> archive) {
      return new NodeLaunch(classPath, libraryDirectory, archive);
    }
  }

  /**
   * Prepares DuckDB's native library for node processes at once, on a thread of its own (on a new
   * data directory that unpacks 71 MB, about a second), so that the first statement on a stopped
   * warehouse does not wait for it; then, on the same thread, the nodes' class archive (a warm-up
   * node, some seconds of CPU, once per data directory, build and Java), which nodes started
   * meanwhile do without.
   */
  ProcessClusterProvisioner(ServerConfig config, BufferAllocator allocator) {
    this.config = config;
    this.allocator = allocator;
    this.launch = new CompletableFuture<>();
    this.classArchive = new CompletableFuture<>();
    Path nodes = config.dataDirectory().resolve("nodes");
    boolean archive = config.warehouses().nodeClassArchive();
    Thread preparer =
        new Thread(
            () -> {
              NodeLaunch prepared;
              try {
                prepared = prepareLaunch(nodes, archive);
                launch.complete(prepared);
              } catch (RuntimeException | Error e) {
                launch.completeExceptionally(e);
                classArchive.complete(Optional.empty());
                return;
              }
              try {
                classArchive.complete(
                    archive ? prepareClassArchive(nodes, prepared) : Optional.empty());
              } catch (RuntimeException | Error e) {
                LOG.warn("node class archive: {}; nodes start without it", e.toString());
                classArchive.complete(Optional.empty());
              }
            },
            "aquifer-node-native-library");
    preparer.setDaemon(true);
    preparer.start();
  }

  /**
   * Options of every node JVM. The class archive must be made and used with the same ones: they are
   * part of its key.
   */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          // The engine's memory is DuckDB's, outside the heap; the heap holds only Arrow metadata.
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          // JVM warnings (a stale class archive, say) go to node.log, not to the standard output
          // the gateway reads the ready line from.
          "-Xlog:disable",
          "-Xlog:all=warning:stderr");

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Makes (or finds) the nodes' class archive by running a warm-up node; empty if it fails. */
  private Optional<Path> prepareClassArchive(Path nodes, NodeLaunch launch) {
    Path directory = nodes.resolve("native");
    Path warmUp = directory.resolve("warm-up");
    try {
      Files.createDirectories(warmUp.resolve("data"));
      Files.createDirectories(warmUp.resolve("jvm-tmp"));
    } catch (IOException e) {
      LOG.warn("node class archive: cannot create {}: {}", warmUp, e.toString());
      return Optional.empty();
    }
    Path archive = NodeClassArchive.file(directory, JVM_OPTIONS, launch.classPath());
    Path partial = directory.resolve(archive.getFileName() + ".partial");
    List<String> command = new ArrayList<>();
    // At a low priority: the warm-up must not slow real node starts or their health checks.
    Path nice = Path.of("/usr/bin/nice");
    if (Files.isExecutable(nice)) {
      command.add(nice.toString());
      command.add("-n");
      command.add("10");
    }
    command.add(javaExecutable());
    command.addAll(JVM_OPTIONS);
    command.add("-XX:ArchiveClassesAtExit=" + partial);
    command.add("-Djava.io.tmpdir=" + warmUp.resolve("jvm-tmp"));
    launch.libraryDirectory().ifPresent(library -> command.add("-Djava.library.path=" + library));
    command.add("-cp");
    command.add(launch.classPath());
    command.add(WarehouseNodeMain.class.getName());
    command.add("--warm-up");
    command.add("--data-dir");
    command.add(warmUp.resolve("data").toString());
    command.add("--temp-dir");
    command.add(warmUp.resolve("tmp").toString());
    command.add("--memory-limit");
    command.add("256mb");
    command.add("--threads");
    command.add("1");
    command.add("--parent-pid");
    command.add(Long.toString(ProcessHandle.current().pid()));
    Optional<Path> made =
        NodeClassArchive.prepare(archive, partial, command, directory.resolve("warm-up.log"));
    deleteContents(warmUp.resolve("jvm-tmp"));
    return made;
  }

  private static NodeLaunch prepareLaunch(Path nodes, boolean classArchive) {
    String classPath = System.getProperty("java.class.path");
    try {
      createPrivateDirectory(nodes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + nodes, e);
    }
    if (classArchive) {
      try {
        classPath = NodeClassPathJars.jarred(classPath, nodes.resolve("native"));
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("node processes start with the class path as it is: {}", e.toString());
      }
    }
    String nodeClassPath = classPath;
    Optional<NodeNativeLibrary.Prepared> library = NodeNativeLibrary.prepare(nodes);
    return library
        .map(
            l ->
                new NodeLaunch(
                    l.classPath(nodeClassPath),
                    Optional.of(l.libraryDirectory()),
                    Optional.empty()))
        .orElseGet(() -> new NodeLaunch(nodeClassPath, Optional.empty(), Optional.empty()));
  }

  private NodeLaunch launch() {
    NodeLaunch prepared;
    try {
      prepared = launch.join();
    } catch (java.util.concurrent.CompletionException e) {
      LOG.warn("preparing node processes' native library failed: {}", e.getCause().toString());
      prepared =
          new NodeLaunch(System.getProperty("java.class.path"), Optional.empty(), Optional.empty());
    }
    // A node started while the archive is being made starts without it.
    return prepared.withClassArchive(classArchive.getNow(Optional.empty()));
  }

  /** The nodes' class archive once made, or empty if it is off or could not be made. */
  Optional<Path> awaitClassArchive(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      return classArchive.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return Optional.empty();
    }
  }

  @Override
  public WarehouseCluster start(Warehouse warehouse, String clusterId) {
    Path data = config.dataDirectory();
    Path home = data.resolve("nodes").resolve(clusterId);
    NodeSecret secret = NodeSecret.generate();
    Path secretFile = home.resolve("secret");
    Path jvmTemp = home.resolve("jvm-tmp");
    try {
      createPrivateDirectory(home.getParent());
      Files.createDirectories(home);
      Files.createDirectories(jvmTemp);
      secret.writeTo(secretFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + home + " for node " + clusterId, e);
    }
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(JVM_OPTIONS);
    NodeLaunch launch = launch();
    launch
        .classArchive()
        .ifPresent(
            archive -> {
              // -Xshare:auto: a stale or damaged archive is ignored, never fatal. The JVM's
              // class-data-sharing log says whether it was mapped.
              command.add("-Xshare:auto");
              command.add("-XX:SharedArchiveFile=" + archive);
              command.add("-Xlog:cds=info:file=" + home.resolve(CLASS_SHARING_LOG));
            });
    // The node's own temp directory is emptied whenever it exits, also after kill -9 (DuckDB's
    // driver unpacks its native library there unless it was unpacked once for all nodes).
    command.add("-Djava.io.tmpdir=" + jvmTemp);
    launch
        .libraryDirectory()
        .ifPresent(directory -> command.add("-Djava.library.path=" + directory));
    command.add("-cp");
    command.add(launch.classPath());
    command.add(WarehouseNodeMain.class.getName());
    for (Path nodeData : nodeDataDirectories(config)) {
      command.add("--data-dir");
      command.add(nodeData.toString());
    }
    command.add("--temp-dir");
    command.add(data.resolve("tmp").resolve(clusterId).toString());
    command.add("--memory-limit");
    command.add(warehouse.spec().size().memoryBytes() + "b");
    command.add("--query-memory-limit");
    command.add(
        Math.min(config.queryMemoryLimitBytes(), warehouse.spec().size().memoryBytes()) + "b");
    command.add("--threads");
    command.add(Integer.toString(warehouse.spec().size().threads()));
    command.add("--secret-file");
    command.add(secretFile.toString());
    command.add("--parent-pid");
    command.add(Long.toString(ProcessHandle.current().pid()));
    if (!config.queryHistory().engineProfiles()) {
      command.add("--no-engine-profiles"); // the gateway keeps none: profiling would be wasted
    }
    int slot = -1;
    if (config.storageRoot().isPresent()) {
      slot = takeDiskCacheSlot();
      command.add("--disk-cache-dir");
      command.add(diskCacheDirectory(data, slot).toString());
      command.add("--disk-cache-size");
      command.add(config.diskCacheBytes() + "b");
    }
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("node.log").toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      if (config.storageRoot().isPresent()) {
        java.util.Map<String, String> s3 = s3Environment(System.getProperties());
        if (s3.containsKey("AWS_ENDPOINT_URL")) {
          // It would win over AWS_ENDPOINT_URL in the node, as it does not in the gateway.
          builder.environment().remove("AWS_ENDPOINT_URL_S3");
        }
        builder.environment().putAll(s3);
      }
      process = builder.start();
    } catch (IOException e) {
      releaseDiskCacheSlot(slot);
      throw new UncheckedIOException("cannot start node process for cluster " + clusterId, e);
    } catch (RuntimeException e) {
      releaseDiskCacheSlot(slot);
      throw e;
    }
    int takenSlot = slot;
    process
        .onExit()
        .thenRun(
            () -> {
              releaseDiskCacheSlot(takenSlot);
              deleteContents(jvmTemp);
            });
    try {
      URI uri = awaitReady(process, clusterId, home);
      WarehouseNodeClient client = new WarehouseNodeClient(allocator, new Location(uri), secret);
      return new ProcessCluster(clusterId, process, uri, new NodeWarehouseConnection(client));
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** The disk cache directory of the node process in {@code slot}. */
  static Path diskCacheDirectory(Path dataDirectory, int slot) {
    return dataDirectory.resolve("node-disk-caches").resolve(Integer.toString(slot));
  }

  private synchronized int takeDiskCacheSlot() {
    int slot = diskCacheSlots.nextClearBit(0);
    diskCacheSlots.set(slot);
    return slot;
  }

  private synchronized void releaseDiskCacheSlot(int slot) {
    if (slot >= 0) {
      diskCacheSlots.clear(slot);
    }
  }

  /**
   * The S3 settings among {@code properties} as a node's environment variables: what the gateway
   * was given as system properties reaches its nodes, which otherwise inherit its environment.
   */
  static java.util.Map<String, String> s3Environment(java.util.Properties properties) {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    S3_PROPERTIES.forEach(
        (property, variable) -> {
          String value = properties.getProperty(property);
          if (value != null && !value.isBlank()) {
            env.put(variable, value);
          }
        });
    return env;
  }

  /** The nodes' directory holds their secrets: readable by its owner only. */
  private static void createPrivateDirectory(Path directory) throws IOException {
    Files.createDirectories(
        directory,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** What a node may read and write: managed tables, managed volumes, external locations. */
  static List<Path> nodeDataDirectories(ServerConfig config) {
    List<Path> directories = new ArrayList<>();
    directories.add(config.dataDirectory().resolve("warehouse"));
    directories.add(
        config.dataDirectory().resolve(io.aquifer.gateway.volumes.VolumeFiles.MANAGED_DIRECTORY));
    directories.addAll(config.externalLocations());
    return directories;
  }

  /** Deletes the files a node left in its temp directory. */
  private static void deleteContents(Path directory) {
    try (java.util.stream.Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("cannot empty node temp directory {}: {}", directory, e.toString());
    }
  }

  /** Reads the node's standard output until its ready line; then drains it on. */
  private static URI awaitReady(Process process, String clusterId, Path home) {
    CompletableFuture<URI> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (!ready.isDone() && line.startsWith(WarehouseNodeMain.READY_LINE_PREFIX)) {
                    ready.complete(
                        URI.create(line.substring(WarehouseNodeMain.READY_LINE_PREFIX.length())));
                  } else {
                    LOG.info("node {}: {}", clusterId, line);
                  }
                }
              } catch (IOException | RuntimeException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(
                  new IllegalStateException("the node process ended before it served"));
            },
            "aquifer-node-output-" + clusterId);
    reader.setDaemon(true);
    reader.start();
    try {
      return ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while node " + clusterId + " started", e);
    } catch (ExecutionException | TimeoutException e) {
      String cause =
          e instanceof TimeoutException
              ? "it did not serve within " + START_TIMEOUT
              : e.getCause().getMessage();
      throw new IllegalStateException(
          "node " + clusterId + " did not start: " + cause + "; see " + home.resolve("node.log"),
          e);
    }
  }

  private static final class ProcessCluster implements WarehouseCluster {
    private final String id;
    private final Process process;
    private final URI uri;
    private final NodeWarehouseConnection connection;

    ProcessCluster(String id, Process process, URI uri, NodeWarehouseConnection connection) {
      this.id = id;
      this.process = process;
      this.uri = uri;
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

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public java.util.OptionalLong pid() {
      return java.util.OptionalLong.of(process.pid());
    }

    @Override
    public void ping(Duration timeout) {
      connection.ping(timeout);
    }

    /**
     * SIGKILL first: the node's sockets close with it, so calls still open on it fail at once
     * instead of holding the client's close.
     */
    @Override
    public void kill() {
      process.destroyForcibly();
      try {
        connection.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the client of node {} failed: {}", id, e.toString());
      }
    }

    @Override
    public String describe() {
      return "node process " + process.pid() + " at " + uri;
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the client of node {} failed: {}", id, e.toString());
      }
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
