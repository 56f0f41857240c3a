package io.aquifer.storage.files;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** A {@link FileStore} on a directory of the local file system. */
public final class LocalFileStore implements FileStore {
  /** Files being written are named so, beside their final name, and never listed. */
  static final String PARTIAL_PREFIX = ".aquifer-partial-";

  private final Path root;

  /** A store on {@code root}, which is created if missing. */
  public LocalFileStore(Path root) {
    Path absolute = requireNonNull(root, "root").toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
      this.root = absolute.toRealPath();
    } catch (IOException e) {
      throw ioError("cannot create the directory " + absolute, e);
    }
  }

  /** A store on the local directory a {@code file:} URI names. */
  public static LocalFileStore of(URI location) {
    if (!"file".equalsIgnoreCase(location.getScheme())) {
      throw new StorageException(
          StorageErrorCode.INVALID_FILE_PATH,
          "only local file: locations are supported for files, not " + location);
    }
    return new LocalFileStore(Path.of(location));
  }

  @Override
  public URI root() {
    return root.toUri();
  }

  @Override
  public Optional<FileEntry> stat(String path) {
    Path p = resolve(path);
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return Optional.of(entry(p, a));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw ioError("cannot read " + path, e);
    }
  }

  @Override
  public List<FileEntry> list(String path) {
    Path dir = resolve(path);
    if (!Files.isDirectory(dir)) {
      throw notFound("directory", path);
    }
    List<FileEntry> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.sorted().toList()) {
        if (child.getFileName().toString().startsWith(PARTIAL_PREFIX)) {
          continue;
        }
        out.add(entry(child, Files.readAttributes(child, BasicFileAttributes.class)));
      }
    } catch (IOException | UncheckedIOException e) {
      throw ioError("cannot list " + path, e);
    }
    return out;
  }

  @Override
  public List<FileEntry> listFilesRecursively(String path) {
    Path dir = resolve(path);
    if (!Files.isDirectory(dir)) {
      throw notFound("directory", path);
    }
    List<FileEntry> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted().toList()) {
        if (p.equals(dir) || hidden(dir.relativize(p))) {
          continue;
        }
        // Files.walk does not follow links; a link to a file is checked to stay inside.
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        if (a.isRegularFile() && inside(p)) {
          out.add(entry(p, a));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw ioError("cannot list " + path, e);
    }
    return out;
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public FileEntry write(String path, InputStream data, boolean overwrite) {
    requireNonNull(data, "data");
    if (path.isEmpty()) {
      throw invalid(path, "a file needs a name");
    }
    Path target = resolve(path);
    if (Files.isDirectory(target)) {
      throw new StorageException(
          StorageErrorCode.FILE_ALREADY_EXISTS, "'" + path + "' is a directory, not a file");
    }
    if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw alreadyExists(path);
    }
    Path partial = null;
    try {
      Files.createDirectories(target.getParent());
      resolve(path); // the parents just created must not have let a link in
      partial = target.resolveSibling(PARTIAL_PREFIX + UUID.randomUUID());
      Files.copy(data, partial);
      if (overwrite) {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(partial, target);
      }
      partial = null;
      return entry(target, Files.readAttributes(target, BasicFileAttributes.class));
    } catch (FileAlreadyExistsException e) {
      throw alreadyExists(path);
    } catch (IOException e) {
      throw ioError("cannot write " + path, e);
    } finally {
      if (partial != null) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // the partial file is never listed; a later write of the same name does not meet it
        }
      }
    }
  }

  @Override
  public InputStream open(String path) {
    Path p = resolve(path);
    if (!Files.isRegularFile(p)) {
      throw notFound("file", path);
    }
    try {
      return Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      throw notFound("file", path);
    } catch (IOException e) {
      throw ioError("cannot read " + path, e);
    }
  }

  @Override
  public URI uri(String path) {
    return resolve(path).toUri();
  }

  @Override
  public void createDirectories(String path) {
    Path p = resolve(path);
    if (Files.exists(p) && !Files.isDirectory(p)) {
      throw new StorageException(
          StorageErrorCode.FILE_ALREADY_EXISTS, "'" + path + "' is a file, not a directory");
    }
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw ioError("cannot create the directory " + path, e);
    }
  }

  @Override
  public void deleteFile(String path) {
    Path p = resolve(path);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw notFound("file", path);
    }
    try {
      Files.delete(p);
    } catch (NoSuchFileException e) {
      throw notFound("file", path);
    } catch (IOException e) {
      throw ioError("cannot delete " + path, e);
    }
  }

  @Override
  public void deleteDirectory(String path, boolean recursive) {
    Path p = resolve(path);
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      throw notFound("directory", path);
    }
    try {
      if (recursive) {
        try (Stream<Path> walk = Files.walk(p)) {
          for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(q);
          }
        }
      } else {
        Files.delete(p);
      }
    } catch (DirectoryNotEmptyException e) {
      throw new StorageException(
          StorageErrorCode.DIRECTORY_NOT_EMPTY,
          "the directory '" + path + "' is not empty; delete its files first");
    } catch (IOException e) {
      throw ioError("cannot delete the directory " + path, e);
    }
  }

  /**
   * The local path of {@code path}, after checking its parts and that no symbolic link on the way
   * leads out of the root.
   */
  Path resolve(String path) {
    requireNonNull(path, "path");
    Path p = root;
    if (!path.isEmpty()) {
      for (String part : path.split("/", -1)) {
        if (part.isEmpty() || part.equals(".") || part.equals("..")) {
          throw invalid(path, "'" + part + "' parts are not allowed");
        }
        for (int i = 0; i < part.length(); i++) {
          char ch = part.charAt(i);
          if (ch < 0x20 || ch == 0x7f || ch == '\\') {
            throw invalid(path, "control characters and backslashes are not allowed");
          }
        }
        p = p.resolve(part);
      }
    }
    if (!p.normalize().startsWith(root) || !inside(p)) {
      throw invalid(path, "it leads out of its volume (through a symbolic link)");
    }
    return p;
  }

  /** Whether {@code p}, with links resolved as far as it exists, is inside the root. */
  private boolean inside(Path p) {
    Path existing = p;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return false;
    }
    try {
      return existing.toRealPath().startsWith(root);
    } catch (NoSuchFileException e) {
      return false; // a dangling link
    } catch (IOException e) {
      throw ioError("cannot resolve " + p, e);
    }
  }

  private FileEntry entry(Path p, BasicFileAttributes a) {
    String relative = root.relativize(p).toString().replace('\\', '/');
    return new FileEntry(
        relative,
        a.isDirectory(),
        a.isDirectory() ? 0 : a.size(),
        a.lastModifiedTime().toInstant());
  }

  private static StorageException invalid(String path, String why) {
    return new StorageException(
        StorageErrorCode.INVALID_FILE_PATH, "the path '" + path + "' is not allowed: " + why);
  }

  private static StorageException notFound(String what, String path) {
    return new StorageException(
        StorageErrorCode.FILE_NOT_FOUND, "the " + what + " '" + path + "' does not exist");
  }

  private static StorageException alreadyExists(String path) {
    return new StorageException(
        StorageErrorCode.FILE_ALREADY_EXISTS,
        "the file '" + path + "' already exists; write it with overwrite to replace it");
  }

  private static StorageException ioError(String what, Exception e) {
    return new StorageException(StorageErrorCode.STORAGE_IO_ERROR, what + ": " + e.getMessage(), e);
  }
}
