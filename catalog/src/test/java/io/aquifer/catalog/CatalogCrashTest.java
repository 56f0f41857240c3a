package io.aquifer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is creating and dropping tables at a random moment, several times over the
 * same files, and checks after each kill that the database opens, is intact, lost nothing that was
 * committed, and that start-up recovery of the pending operations leaves exactly one directory per
 * visible table.
 */
class CatalogCrashTest {
  private static final int KILLS = 5;

  @TempDir Path dir;

  static Path directoryOf(Path data, TableName name) {
    return data.resolve(name.schema()).resolve(name.table());
  }

  @Test
  void killedWriterLeavesAConsistentCatalog() throws Exception {
    Path file = dir.resolve("catalog.db");
    Path data = dir.resolve("data");
    Random random = new Random();
    Set<String> committed = new HashSet<>();
    Set<String> dropping = new HashSet<>();
    Set<String> dropped = new HashSet<>();
    for (int run = 0; run < KILLS; run++) {
      int delayMillis = random.nextInt(500);
      String context = "run " + run + ", killed " + delayMillis + " ms after its first commit";
      List<String> lines = runAndKill(file, data, "r" + run, delayMillis);
      for (String line : lines) {
        if (line.startsWith("committed ")) {
          committed.add(line.substring("committed ".length()));
        } else if (line.startsWith("dropping ")) {
          dropping.add(line.substring("dropping ".length()));
        } else if (line.startsWith("dropped ")) {
          dropped.add(line.substring("dropped ".length()));
        }
      }
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith("committed ")), context + ": no progress");

      assertEquals(List.of("ok"), SqliteFiles.query(file, "PRAGMA integrity_check"), context);
      assertEquals(List.of(), SqliteFiles.query(file, "PRAGMA foreign_key_check"), context);

      try (CatalogDatabase database = CatalogDatabase.open(file)) {
        CatalogStore store = CatalogStore.open(database, "admin");
        List<PendingTableOperation> pending = store.pendingTableOperations();
        // The worker does one operation at a time, and recovery cleared earlier runs' leftovers.
        assertTrue(pending.size() <= 1, context + ": more than one operation pending: " + pending);
        Set<String> pendingNames =
            pending.stream().map(p -> p.table().name().toString()).collect(Collectors.toSet());
        Set<String> active = new HashSet<>();
        for (int s = 0; s < 3; s++) {
          for (TableInfo table : store.listTables("main", "s" + s)) {
            active.add(table.name().toString());
            assertTrue(
                Files.exists(
                    Path.of(URI.create(table.location().orElseThrow())).resolve("_delta_log")),
                context + ": ACTIVE table " + table.name() + " has no Delta log");
            assertEquals(1, table.properties().size(), context);
          }
        }
        long rows = Long.parseLong(SqliteFiles.query(file, "SELECT count(*) FROM tables").get(0));
        assertEquals(
            rows, active.size() + pending.size(), context + ": every row is ACTIVE or pending");

        for (String name : committed) {
          if (!dropping.contains(name)) {
            assertTrue(active.contains(name), context + ": committed table " + name + " was lost");
          }
        }
        for (String name : dropped) {
          assertFalse(
              active.contains(name) || pendingNames.contains(name),
              context + ": " + name + " came back");
        }

        // Start-up recovery: roll back creates and finish drops, deleting their directories.
        for (PendingTableOperation operation : pending) {
          TableInfo table = operation.table();
          CatalogCrashWorker.deleteRecursively(Path.of(URI.create(table.location().orElseThrow())));
          if (operation.state() == TableState.CREATING) {
            store.abortCreateTable(table.name());
          } else {
            store.finishDropTable(table.name());
            dropped.add(table.name().toString());
          }
        }
        assertEquals(List.of(), store.pendingTableOperations());
        assertEquals(
            directoriesOfActiveTables(store),
            tableDirectories(data),
            context + ": orphan or missing directories");
      }
    }
  }

  private List<String> runAndKill(Path file, Path data, String prefix, int delayMillis)
      throws Exception {
    Path stderr = dir.resolve("worker-" + prefix + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CatalogCrashWorker.class.getName(),
                file.toString(),
                data.toString(),
                prefix)
            .redirectError(stderr.toFile());
    Process process = builder.start();
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                  if (line.equals("ready")) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // The process was killed mid-line; what was read is kept.
              }
            },
            "crash-worker-stdout");
    reader.start();
    try {
      if (!ready.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("worker did not start: " + Files.readString(stderr));
      }
      // The kill moment counts from the worker's first commit, not from "ready": on a loaded
      // machine the worker can take longer than the delay to commit anything at all.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (lines.stream().noneMatch(l -> l.startsWith("committed "))) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new AssertionError("worker committed nothing: " + Files.readString(stderr));
        }
        Thread.sleep(10);
      }
      Thread.sleep(delayMillis);
      assertTrue(process.isAlive(), "worker died by itself: " + Files.readString(stderr));
    } finally {
      // Kill through the process handle: Process.destroyForcibly() also closes our end of the
      // child's stdout at once, which can drop the last lines it printed (a "dropping" line lost
      // that way made a dropped table look lost). The reader drains the pipe to its end instead.
      process.toHandle().destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      reader.join(30_000);
    }
    return List.copyOf(lines);
  }

  private static Set<Path> directoriesOfActiveTables(CatalogStore store) {
    Set<Path> directories = new HashSet<>();
    for (int s = 0; s < 3; s++) {
      for (TableInfo table : store.listTables("main", "s" + s)) {
        directories.add(Path.of(URI.create(table.location().orElseThrow())));
      }
    }
    return directories;
  }

  private static Set<Path> tableDirectories(Path data) throws IOException {
    Set<Path> directories = new HashSet<>();
    if (!Files.exists(data)) {
      return directories;
    }
    try (Stream<Path> schemas = Files.list(data)) {
      for (Path schema : schemas.toList()) {
        try (Stream<Path> tables = Files.list(schema)) {
          tables.forEach(directories::add);
        }
      }
    }
    return directories;
  }
}
