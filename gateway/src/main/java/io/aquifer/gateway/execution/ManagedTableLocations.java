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
 * Where managed tables live: {@code <data dir>/warehouse/<catalog>/<schema>/<table>-<id>}, each
 * name reduced to a safe directory name ({@link #directoryName}). The random suffix keeps a new
 * table from ever reusing the directory of a dropped one, and tells apart tables whose names reduce
 * alike. This is the one place that turns names into directories.
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
    Path dir =
        root.resolve(directoryName(name.catalog()))
            .resolve(directoryName(name.schema()))
            .resolve(directoryName(name.table()) + "-" + id);
    return dir.toUri();
  }

  /** At most this many characters of a name are kept in its directory's name. */
  static final int MAX_NAME_CHARACTERS = 64;

  /**
   * A name as a directory name that every file system, URI and Delta reader takes as it is: ASCII
   * letters, digits, {@code _} and {@code -} are kept, every other character (quotes, slashes,
   * backslashes, dots, spaces, non-ASCII) becomes {@code _}, and long names are cut to {@value
   * #MAX_NAME_CHARACTERS} characters. The catalog keeps the real name; the directory only needs to
   * be recognisable.
   */
  static String directoryName(String name) {
    StringBuilder safe = new StringBuilder();
    for (int i = 0; i < name.length() && safe.length() < MAX_NAME_CHARACTERS; i++) {
      char c = name.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      safe.append(plain ? c : '_');
    }
    return safe.length() == 0 ? "_" : safe.toString();
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
