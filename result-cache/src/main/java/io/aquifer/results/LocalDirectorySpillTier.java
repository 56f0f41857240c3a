package io.aquifer.results;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spilled chunks as files: {@code <directory>/<result id>/<index>.arrows}. The directory is emptied
 * when the tier opens, since results do not outlive the gateway.
 */
public final class LocalDirectorySpillTier implements SpillTier {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDirectorySpillTier.class);
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final Path directory;

  public LocalDirectorySpillTier(Path directory) {
    this.directory = requireNonNull(directory, "directory");
    try {
      if (Files.exists(directory)) {
        deleteTree(directory);
      }
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the result spill directory " + directory, e);
    }
  }

  @Override
  public void write(String resultId, int index, byte[] bytes) {
    Path dir = resultDirectory(resultId);
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(index + ".arrows"), bytes);
    } catch (IOException e) {
      throw new ResultStoreException(
          ResultStoreErrorCode.RESULT_STORE_IO_ERROR,
          "cannot write chunk " + index + " of result " + resultId + " to " + dir + ": " + e,
          e);
    }
  }

  @Override
  public byte[] read(String resultId, int index) {
    Path file = resultDirectory(resultId).resolve(index + ".arrows");
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ResultStoreException(
          ResultStoreErrorCode.RESULT_CLOSED,
          "chunk "
              + index
              + " of result "
              + resultId
              + " is gone: the result was closed or expired",
          e);
    } catch (IOException e) {
      throw new ResultStoreException(
          ResultStoreErrorCode.RESULT_STORE_IO_ERROR,
          "cannot read chunk " + index + " of result " + resultId + " from " + file + ": " + e,
          e);
    }
  }

  @Override
  public void delete(String resultId) {
    Path dir = resultDirectory(resultId);
    if (!Files.exists(dir)) {
      return;
    }
    try {
      deleteTree(dir);
    } catch (IOException e) {
      LOG.warn("Cannot delete the spilled chunks of result {} in {}", resultId, dir, e);
    }
  }

  @Override
  public void close() {}

  private Path resultDirectory(String resultId) {
    if (!SAFE_ID.matcher(resultId).matches()) {
      throw new IllegalArgumentException("not a result id: " + resultId);
    }
    return directory.resolve(resultId);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
