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
  private final java.util.Optional<URI> objectStoreRoot;

  public ManagedTableLocations(Path dataDirectory) {
    this(dataDirectory, java.util.Optional.empty());
  }

  /**
   * With a {@code storageRoot} in an object store ({@code s3://bucket/prefix}), managed tables live
   * at {@code <storage root>/warehouse/<catalog>/<schema>/<table>-<id>} there instead.
   */
  public ManagedTableLocations(Path dataDirectory, java.util.Optional<URI> storageRoot) {
    this.root = dataDirectory.resolve("warehouse").toAbsolutePath().normalize();
    this.objectStoreRoot =
        storageRoot
            .filter(io.aquifer.storage.objects.S3Location::isS3)
            .map(r -> io.aquifer.storage.objects.S3Location.of(r).resolve("warehouse").uri());
  }

  /** The local warehouse directory (volumes live beside it). */
  public Path root() {
    return root;
  }

  public URI newLocation(TableName name) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    if (objectStoreRoot.isPresent()) {
      return objectStoreRoot
          .get()
          .resolve(
              directoryName(name.catalog())
                  + "/"
                  + directoryName(name.schema())
                  + "/"
                  + directoryName(name.table())
                  + "-"
                  + id);
    }
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
    if (objectStoreRoot.isPresent() && io.aquifer.storage.objects.S3Location.isS3(location)) {
      String base = objectStoreRoot.get().toString();
      String dirText = location.toString();
      if (!dirText.startsWith(base) || dirText.length() <= base.length()) {
        throw new IllegalStateException("refusing to delete " + location + ": not below " + base);
      }
      io.aquifer.storage.objects.TableFiles.deleteDirectory(location);
      return;
    }
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
