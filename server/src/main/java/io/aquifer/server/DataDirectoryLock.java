package io.aquifer.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process owns a data directory: the gateway is the only committer to its Delta logs and
 * catalog. An OS file lock on {@code <data dir>/.lock} enforces it; the lock dies with the process,
 * so a crash never leaves it stale.
 */
public final class DataDirectoryLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static DataDirectoryLock acquire(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      FileChannel channel =
          FileChannel.open(
              dataDirectory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        // This very process holds it already (a second server started in the same JVM).
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new DataDirectoryInUseException(
            "data directory "
                + dataDirectory
                + " is in use by another Aquifer process"
                + " (see "
                + dataDirectory.resolve(ConnectionFile.NAME)
                + ")");
      }
      return new DataDirectoryLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock data directory " + dataDirectory, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Released when the process ends anyway.
    }
  }
}
