package io.aquifer.storage.objects;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deleting table files and directories wherever they live (local {@code file:} or {@code s3://}),
 * so that the gateway never assumes a local disk for them.
 */
public final class TableFiles {
  private TableFiles() {}

  /** The files below a table's location ({@code file:} or {@code s3://}) as a file store. */
  public static io.aquifer.storage.files.FileStore store(URI directory) {
    if (S3Location.isS3(directory)) {
      return new S3FileStore(S3Clients.shared(), S3Location.of(directory));
    }
    return io.aquifer.storage.files.LocalFileStore.of(directory);
  }

  /** Deletes the file; no error when it does not exist. */
  public static void deleteIfExists(URI file) {
    if (S3Location.isS3(file)) {
      S3Location object = S3Location.of(file.toString());
      int slash = object.prefix().lastIndexOf('/');
      S3Location dir =
          new S3Location(object.bucket(), slash < 0 ? "" : object.prefix().substring(0, slash));
      new S3FileStore(S3Clients.shared(), dir).deleteIfExists(object.prefix().substring(slash + 1));
      return;
    }
    try {
      Files.deleteIfExists(Path.of(file));
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR, "cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the directory and everything below it; no error when it does not exist. */
  public static void deleteDirectory(URI directory) {
    if (S3Location.isS3(directory)) {
      S3FileStore store = new S3FileStore(S3Clients.shared(), S3Location.of(directory));
      try {
        store.deleteDirectory("", true);
      } catch (StorageException e) {
        if (e.code() != StorageErrorCode.FILE_NOT_FOUND) {
          throw e;
        }
      }
      return;
    }
    Path dir = Path.of(directory);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot delete " + directory + ": " + e.getMessage(),
          e);
    }
  }
}
