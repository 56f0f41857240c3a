package io.aquifer.gateway.volumes;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.files.FileEntry;
import java.net.URI;

/**
 * A file or directory of a volume.
 *
 * @param path as users write it: {@code /Volumes/c/s/v/dir/file.csv}
 * @param uri where the engine reads it
 */
public record VolumeFile(String path, FileEntry entry, URI uri) {
  public VolumeFile {
    requireNonNull(path, "path");
    requireNonNull(entry, "entry");
    requireNonNull(uri, "uri");
  }

  public String name() {
    int slash = path.lastIndexOf('/');
    return path.substring(slash + 1);
  }
}
