package io.aquifer.storage.files;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A file or directory of a {@link FileStore}.
 *
 * @param path relative to the store's root, parts separated by {@code /}; empty for the root
 * @param size bytes of a file; 0 for a directory
 * @param modified when the file was last written
 */
public record FileEntry(String path, boolean directory, long size, Instant modified) {
  public FileEntry {
    requireNonNull(path, "path");
    requireNonNull(modified, "modified");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
  }

  /** The last part of the path; empty for the root. */
  public String name() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
