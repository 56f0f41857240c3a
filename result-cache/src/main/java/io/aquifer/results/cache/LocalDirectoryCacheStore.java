package io.aquifer.results.cache;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Cache objects as files in one directory. A write goes to a temporary file that is then renamed
 * over the object (atomic on one file system), so a crash leaves at most a stray temporary file,
 * which is removed when the store next opens (once it is an hour old).
 */
public final class LocalDirectoryCacheStore implements CacheObjectStore {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final String TEMPORARY_PREFIX = ".tmp-";

  private final Path directory;

  public LocalDirectoryCacheStore(Path directory) {
    this.directory = requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory);
      try (DirectoryStream<Path> files =
          Files.newDirectoryStream(directory, TEMPORARY_PREFIX + "*")) {
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        for (Path f : files) {
          // Another process (a gateway, while 'aquifer cache clear' opens the store) may be
          // writing one now: only old ones are left over from a crash.
          if (Files.getLastModifiedTime(f).toMillis() < hourAgo) {
            Files.deleteIfExists(f);
          }
        }
      }
    } catch (IOException e) {
      throw new CacheStoreException("cannot prepare the result cache directory " + directory, e);
    }
  }

  @Override
  public Optional<byte[]> read(String name) {
    try {
      return Optional.of(Files.readAllBytes(file(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CacheStoreException("cannot read " + file(name), e);
    }
  }

  @Override
  public void write(String name, byte[] bytes) {
    Path target = file(name);
    Path temporary = directory.resolve(TEMPORARY_PREFIX + UUID.randomUUID());
    try {
      Files.write(temporary, bytes);
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new CacheStoreException("cannot write " + target, e);
    }
  }

  @Override
  public void delete(String name) {
    try {
      Files.deleteIfExists(file(name));
    } catch (IOException e) {
      throw new CacheStoreException("cannot delete " + file(name), e);
    }
  }

  @Override
  public List<String> list() {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.startsWith(TEMPORARY_PREFIX)) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new CacheStoreException("cannot list " + directory, e);
    }
    return names;
  }

  @Override
  public String describe() {
    return directory.toString();
  }

  @Override
  public void close() {}

  private Path file(String name) {
    if (!SAFE_NAME.matcher(name).matches() || name.startsWith(".")) {
      throw new IllegalArgumentException("not a cache object name: " + name);
    }
    return directory.resolve(name);
  }
}
