package io.aquifer.storage.delta;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.fs.Path;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * What the {@code _delta_log} directory of a table holds: commit and checkpoint versions. Kernel
 * answers most questions itself; this answers the ones its API does not (does any log exist, which
 * is the earliest version that can still be read).
 */
record DeltaLogListing(NavigableSet<Long> commitVersions, NavigableSet<Long> checkpointVersions) {
  DeltaLogListing {
    commitVersions = Collections.unmodifiableNavigableSet(new TreeSet<>(commitVersions));
    checkpointVersions = Collections.unmodifiableNavigableSet(new TreeSet<>(checkpointVersions));
  }

  static DeltaLogListing of(Engine engine, TableLocation table) {
    Path logPath = new Path(table.kernelPath(), "_delta_log");
    TreeSet<Long> commits = new TreeSet<>();
    TreeSet<Long> checkpoints = new TreeSet<>();
    try (CloseableIterator<FileStatus> files =
        engine.getFileSystemClient().listFrom(FileNames.listingPrefix(logPath, 0))) {
      while (files.hasNext()) {
        String path = files.next().getPath();
        if (FileNames.isCommitFile(path)) {
          commits.add(FileNames.deltaVersion(path));
        } else if (FileNames.isCheckpointFile(path)) {
          checkpoints.add(FileNames.checkpointVersion(path));
        }
      }
    } catch (FileNotFoundException e) {
      // No _delta_log directory: no table, an empty listing says so.
      return new DeltaLogListing(commits, checkpoints);
    } catch (IOException | RuntimeException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot list the Delta log of table " + table + ": " + e.getMessage(),
          e);
    }
    return new DeltaLogListing(commits, checkpoints);
  }

  /**
   * The newest commit file of the log, listing only from {@code fromVersion} on (a hint: the newest
   * version seen before; 0 lists everything). Empty when no commit file at or after {@code
   * fromVersion} exists, or no log at all. One listing, no file is read.
   */
  static Optional<CommitFile> newestCommit(Engine engine, TableLocation table, long fromVersion) {
    Path logPath = new Path(table.kernelPath(), "_delta_log");
    CommitFile newest = null;
    try (CloseableIterator<FileStatus> files =
        engine.getFileSystemClient().listFrom(FileNames.listingPrefix(logPath, fromVersion))) {
      while (files.hasNext()) {
        FileStatus file = files.next();
        if (FileNames.isCommitFile(file.getPath())) {
          long version = FileNames.deltaVersion(file.getPath());
          if (version >= fromVersion && (newest == null || version > newest.version())) {
            newest = new CommitFile(version, file.getSize(), file.getModificationTime());
          }
        }
      }
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot list the Delta log of table " + table + ": " + e.getMessage(),
          e);
    }
    return Optional.ofNullable(newest);
  }

  /**
   * The commit file of one version, from one metadata request (no listing); empty if the log has no
   * such file.
   */
  static Optional<CommitFile> commitFile(Engine engine, TableLocation table, long version) {
    Optional<java.nio.file.Path> root = localFile(table.kernelPath());
    if (root.isPresent() && version >= 0) {
      // Kernel's own spelling of the name (FileNames.deltaFile) formats and parses a path: a
      // sizeable share of a statement's snapshot check, which makes two of these per table.
      return localCommitFile(
          root.get().resolve("_delta_log").resolve(commitFileName(version)), version, table);
    }
    String path = FileNames.deltaFile(new Path(table.kernelPath(), "_delta_log"), version);
    try {
      FileStatus file = engine.getFileSystemClient().getFileStatus(path);
      return Optional.of(new CommitFile(version, file.getSize(), file.getModificationTime()));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot read the Delta log of table " + table + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * {@code 00000000000000000012.json}: the name of a commit file (version at least 0), as {@link
   * FileNames#deltaFile} spells it.
   */
  static String commitFileName(long version) {
    String digits = Long.toString(version);
    return "0".repeat(Math.max(0, 20 - digits.length())) + digits + ".json";
  }

  /**
   * The local file a Kernel path names, when it is a plain local path: {@code file:/x} without
   * percent escapes, which Hadoop's local file system reads as the very file {@code /x}. Empty for
   * anything else (object stores, escaped paths), which goes through Kernel's file system.
   */
  static Optional<java.nio.file.Path> localFile(String kernelPath) {
    if (!kernelPath.startsWith("file:/")
        || kernelPath.startsWith("file://")
        || kernelPath.indexOf('%') >= 0) {
      return Optional.empty();
    }
    return Optional.of(java.nio.file.Path.of(kernelPath.substring("file:".length())));
  }

  /**
   * A local commit file's size and modification time (milliseconds, as Hadoop's local file system
   * reports them) from one stat call: the newest-version probe of every statement makes two of
   * these, and going through Hadoop's file system costs several times more.
   */
  static Optional<CommitFile> localCommitFile(
      java.nio.file.Path file, long version, TableLocation table) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(
          new CommitFile(version, attributes.size(), attributes.lastModifiedTime().toMillis()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot read the Delta log of table " + table + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * A commit file as the file system shows it. Commit files are written once and never changed, so
   * a different size or modification time for the same version means the log was deleted and
   * written anew.
   */
  record CommitFile(long version, long size, long modificationTime) {}

  boolean isEmpty() {
    return commitVersions.isEmpty() && checkpointVersions.isEmpty();
  }

  /** The earliest version a snapshot can be built at: 0, or the oldest checkpoint kept. */
  OptionalLong earliestReadableVersion() {
    if (commitVersions.contains(0L)) {
      return OptionalLong.of(0);
    }
    if (!checkpointVersions.isEmpty()) {
      return OptionalLong.of(checkpointVersions.first());
    }
    return commitVersions.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(commitVersions.first());
  }

  /** The earliest commit file kept (commit history starts here). */
  OptionalLong earliestCommitVersion() {
    return commitVersions.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(commitVersions.first());
  }
}
