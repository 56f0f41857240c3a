package io.aquifer.storage.files;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Files below one root directory (a volume's storage location): the only way the gateway reads and
 * writes files that are not Delta tables. Paths are relative to the root, parts separated by {@code
 * /}; the empty path is the root. A path with {@code ..}, {@code .} or empty parts, control
 * characters or a backslash, or one that leads out of the root through a symbolic link, fails with
 * {@code INVALID_FILE_PATH}; every other failure is a {@link io.aquifer.storage.StorageException}
 * too.
 */
public interface FileStore {
  /** The root, as the URI the engine reads files by. */
  URI root();

  /** The file or directory at {@code path}, if there is one. */
  Optional<FileEntry> stat(String path);

  /**
   * The files and directories directly in the directory {@code path}, by name.
   *
   * @throws io.aquifer.storage.StorageException FILE_NOT_FOUND if there is no such directory
   */
  List<FileEntry> list(String path);

  /**
   * Every file below the directory {@code path} (not directories), by path; files and directories
   * whose name starts with {@code _} or {@code .} are left out, as Spark does.
   */
  List<FileEntry> listFilesRecursively(String path);

  /**
   * Writes {@code data} to the file {@code path}, creating its parent directories, streaming (never
   * holding the file in memory). The file appears whole or not at all: it is written beside its
   * final name and moved there when complete.
   *
   * @throws io.aquifer.storage.StorageException FILE_ALREADY_EXISTS when the file exists and {@code
   *     overwrite} is false, or a directory has that path
   */
  FileEntry write(String path, InputStream data, boolean overwrite);

  /**
   * Reads the file {@code path}; the caller closes the stream.
   *
   * @throws io.aquifer.storage.StorageException FILE_NOT_FOUND if there is no such file
   */
  InputStream open(String path);

  /** The URI of the file {@code path}, for the engine to read it. */
  URI uri(String path);

  /** Creates the directory {@code path} and its parents; an existing directory is fine. */
  void createDirectories(String path);

  /**
   * Deletes the file {@code path}.
   *
   * @throws io.aquifer.storage.StorageException FILE_NOT_FOUND if there is no such file
   */
  void deleteFile(String path);

  /**
   * Deletes the empty directory {@code path}, or with {@code recursive} everything in it too.
   *
   * @throws io.aquifer.storage.StorageException DIRECTORY_NOT_EMPTY, FILE_NOT_FOUND
   */
  void deleteDirectory(String path, boolean recursive);
}
