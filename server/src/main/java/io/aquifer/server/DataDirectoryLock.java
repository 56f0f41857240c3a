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
 * so a crash never leaves it stale. The owner writes its pid into the file ({@code aquifer status}
 * and {@code aquifer stop} read it, see {@link DataDirectoryOwner}).
 */
public final class DataDirectoryLock implements AutoCloseable {
  /** The lock file's name in the data directory. */
  public static final String NAME = ".lock";

  // Lock files this JVM holds: looking at one must not open it (on Linux, closing any channel of
  // a file releases every lock the process holds on it).
  private static final java.util.Set<Path> HELD_HERE =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Path file;

  private final FileChannel channel;
  private final FileLock lock;

  /** Whether this JVM holds the lock of the data directory whose lock file this is. */
  static boolean heldHere(Path lockFile) {
    return HELD_HERE.contains(lockFile.toAbsolutePath().normalize());
  }

  private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  public static DataDirectoryLock acquire(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      FileChannel channel =
          FileChannel.open(
              dataDirectory.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
      // The owner's pid, for 'aquifer status' and 'aquifer stop' (a stale one from a crashed owner
      // is overwritten here; readers trust it only while the lock is held).
      channel.truncate(0);
      channel.write(
          java.nio.ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
      Path file = dataDirectory.resolve(NAME).toAbsolutePath().normalize();
      HELD_HERE.add(file);
      return new DataDirectoryLock(file, channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock data directory " + dataDirectory, e);
    }
  }

  @Override
  public void close() {
    HELD_HERE.remove(file);
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Released when the process ends anyway.
    }
  }
}
