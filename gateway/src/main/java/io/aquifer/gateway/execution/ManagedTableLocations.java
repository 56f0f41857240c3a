package io.aquifer.gateway.execution;

import io.aquifer.catalog.TableName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where managed tables live: {@code <data dir>/warehouse/<catalog>/<schema>/<table>-<id>}. The
 * random suffix keeps a new table from ever reusing the directory of a dropped one.
 */
public final class ManagedTableLocations {
  private final Path root;

  public ManagedTableLocations(Path dataDirectory) {
    this.root = dataDirectory.resolve("warehouse").toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public URI newLocation(TableName name) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path dir = root.resolve(name.catalog()).resolve(name.schema()).resolve(name.table() + "-" + id);
    return dir.toUri();
  }

  /** Deletes a managed table's directory; only ever below the warehouse root. */
  public void delete(URI location) {
    Path dir = Path.of(location).toAbsolutePath().normalize();
    if (!dir.startsWith(root) || dir.equals(root)) {
      throw new IllegalStateException("refusing to delete " + dir + ": not below " + root);
    }
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete table directory " + dir, e);
    }
  }
}
