package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node processes' class-data-sharing archive: the gateway makes it with a warm-up node, later
 * node processes map it (their JVM's class-sharing log says so), and a damaged archive does not
 * keep a node from starting.
 */
class NodeClassArchiveTest {
  private static final String MAPPED = "Mapped dynamic region";

  @TempDir Path dataDirectory;

  private static Map<String, String> settings() {
    return Map.of(
        WarehouseConfig.NODES, "process",
        WarehouseConfig.AUTO_STOP_UNIT, "1",
        ServerConfig.NODE_THREADS, "1");
  }

  private Optional<Path> archive() throws Exception {
    Path directory = dataDirectory.resolve("nodes").resolve("native");
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(NodeClassArchive.PREFIX))
          .filter(f -> f.getFileName().toString().endsWith(NodeClassArchive.SUFFIX))
          .findFirst();
    }
  }

  private static String readIfPresent(Path file) throws Exception {
    return Files.isRegularFile(file) ? Files.readString(file) : "(none)";
  }

  /** Runs a query on a new warehouse (one node process) and returns that node's sharing log. */
  private String queryOnNewNode(RunningServer server, String warehouse) throws Exception {
    server
        .server()
        .warehouseStore()
        .create(
            new WarehouseSpec(warehouse, WarehouseSize.XXSMALL, 1, 1, 5, 10, Map.of()), "admin");
    Properties p = new Properties();
    p.setProperty("token", server.token());
    p.setProperty("warehouse", warehouse);
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), p);
        java.sql.Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sum(x) FROM a.t")) {
      assertTrue(rs.next());
      assertEquals(6, rs.getLong(1));
    }
    String id = server.server().warehouseStore().resolve(warehouse).id();
    List<io.aquifer.gateway.warehouse.WarehouseCluster> clusters =
        server.server().warehouses().runningClusters(id);
    assertEquals(1, clusters.size());
    Path log =
        dataDirectory
            .resolve("nodes")
            .resolve(clusters.get(0).id())
            .resolve(ProcessClusterProvisioner.CLASS_SHARING_LOG);
    assertTrue(Files.isRegularFile(log), "node started without the archive: no " + log);
    return Files.readString(log);
  }

  @Test
  void nodesStartFromTheArchiveTheGatewayMadeAndWithoutItWhenItIsDamaged() throws Exception {
    Path archive;
    RunningServer server = RunningServer.start(dataDirectory, settings());
    try {
      try (Connection c = server.connect();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA a");
        s.execute("CREATE TABLE a.t AS SELECT id AS x FROM range(4)");
      }
      Optional<Path> made = server.server().awaitNodeClassArchive(Duration.ofMinutes(4));
      assertTrue(
          made.isPresent(),
          "no node class archive; warm-up log: "
              + readIfPresent(dataDirectory.resolve("nodes/native/warm-up.log")));
      archive = made.get();
      assertEquals(Optional.of(archive), archive());
      assertTrue(Files.size(archive) > 0);
      String log = queryOnNewNode(server, "shared");
      assertTrue(log.contains(MAPPED), log);
    } finally {
      server.close();
    }

    // The same build, Java and data directory: the archive is kept; damaged, it is ignored.
    byte[] bytes = Files.readAllBytes(archive);
    for (int i = 0; i < bytes.length; i += 7) {
      bytes[i] = (byte) (bytes[i] ^ 0x5a);
    }
    archive.toFile().setWritable(true);
    Files.write(archive, bytes);
    server = RunningServer.start(dataDirectory, settings());
    try {
      assertEquals(Optional.of(archive), archive());
      String log = queryOnNewNode(server, "damaged");
      assertFalse(log.contains(MAPPED), log);
    } finally {
      server.close();
    }
  }
}
