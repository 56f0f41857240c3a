package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseHealth;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseState;
import io.aquifer.gateway.warehouse.WarehouseCluster;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node processes run from a class path of jars (as from the server's jar) share a class-data
 * archive: the first node writes it when it stops, the next one starts with it and serves. A class
 * path with class directories (a development build) gets none.
 */
class NodeClassDataArchiveTest {
  @TempDir Path dataDirectory;
  @TempDir Path jars;

  /** This JVM's class path with every class directory packed into a jar. */
  private String jarClassPath() throws IOException {
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar = jars.resolve("classes-" + n++ + ".jar");
        pack(path, jar);
        entries.add(jar.toString());
      } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void pack(Path directory, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        zip.putNextEntry(
            new JarEntry(directory.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }

  private ServerConfig config() {
    return ServerConfig.load(
        null,
        Map.of(),
        Map.of(
            ServerConfig.DATA_DIR,
            dataDirectory.toString(),
            ServerConfig.NODE_MEMORY_LIMIT,
            "1GB",
            ServerConfig.NODE_THREADS,
            "1"));
  }

  private static Warehouse warehouse() {
    return new Warehouse(
        "00000000000000aa",
        new WarehouseSpec("cds", WarehouseSize.XXSMALL, 1, 1, 0, 10, Map.of()),
        "admin",
        WarehouseState.STARTING,
        WarehouseHealth.HEALTHY,
        Optional.empty(),
        Instant.now(),
        Instant.now());
  }

  @Test
  void theFirstNodeWritesTheArchiveAndTheNextStartsWithIt() throws Exception {
    try (BufferAllocator allocator = new RootAllocator()) {
      ProcessClusterProvisioner provisioner =
          new ProcessClusterProvisioner(config(), allocator, jarClassPath());
      Path archive = provisioner.classDataArchive().orElseThrow();
      assertFalse(Files.exists(archive));

      WarehouseCluster first = provisioner.start(warehouse(), "00000000000000aa-1");
      first.ping(Duration.ofSeconds(30));
      first.close();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.isRegularFile(archive)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no class-data archive at " + archive);
        }
        Thread.sleep(50);
      }

      WarehouseCluster second = provisioner.start(warehouse(), "00000000000000aa-2");
      try {
        long pid = second.pid().orElseThrow();
        // The whole command line (ProcessHandle.Info gives none for one this long).
        List<String> arguments =
            List.of(
                new String(
                        Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                        java.nio.charset.StandardCharsets.UTF_8)
                    .split("\0"));
        assertTrue(arguments.contains("-XX:SharedArchiveFile=" + archive), arguments.toString());
        second.ping(Duration.ofSeconds(30));
      } finally {
        second.close();
      }
      String log =
          Files.readString(
              dataDirectory.resolve("nodes").resolve("00000000000000aa-2").resolve("node.log"));
      assertFalse(log.contains("[cds]"), log);
    }
  }

  @Test
  void classDirectoriesGetNoArchive() {
    try (BufferAllocator allocator = new RootAllocator()) {
      ProcessClusterProvisioner provisioner =
          new ProcessClusterProvisioner(
              config(), allocator, dataDirectory + File.pathSeparator + "/no/such.jar");
      assertTrue(provisioner.classDataArchive().isEmpty());
    }
  }
}
