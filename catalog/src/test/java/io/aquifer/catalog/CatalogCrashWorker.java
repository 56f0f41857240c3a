package io.aquifer.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The child process of {@link CatalogCrashTest}: creates (and now and then drops) managed tables in
 * a loop, following the two-phase protocol with a real directory per table, until it is killed.
 * Prints {@code ready} once the database is open, then {@code committed <name>} after each create
 * returned, {@code dropping <name>} before a drop begins and {@code dropped <name>} after it
 * finished.
 *
 * <p>Arguments: catalog file, data directory, a prefix for table names.
 */
public final class CatalogCrashWorker {
  private CatalogCrashWorker() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    Path data = Path.of(args[1]);
    String prefix = args[2];
    CatalogDatabase database = CatalogDatabase.open(file);
    CatalogStore store = CatalogStore.open(database, "admin");
    for (int s = 0; s < 3; s++) {
      store.createSchema("main", "s" + s, "worker", Optional.empty(), true);
    }
    System.out.println("ready");
    System.out.flush();
    for (int i = 0; ; i++) {
      TableName name = new TableName("main", "s" + (i % 3), prefix + "_" + i);
      Path directory = CatalogCrashTest.directoryOf(data, name);
      store.beginCreateTable(
          TableDefinition.managed(name, "worker", directory.toUri().toString())
              .withProperties(java.util.Map.of("i", Integer.toString(i))),
          false);
      Files.createDirectories(directory.resolve("_delta_log"));
      Files.writeString(directory.resolve("_delta_log/00000000000000000000.json"), "{}\n");
      store.commitCreateTable(name);
      System.out.println("committed " + name);
      if (i % 3 == 2) {
        TableName victim = new TableName("main", "s" + ((i - 2) % 3), prefix + "_" + (i - 2));
        System.out.println("dropping " + victim);
        System.out.flush();
        store.beginDropTable(victim, false);
        deleteRecursively(CatalogCrashTest.directoryOf(data, victim));
        store.finishDropTable(victim);
        System.out.println("dropped " + victim);
      }
      System.out.flush();
    }
  }

  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
