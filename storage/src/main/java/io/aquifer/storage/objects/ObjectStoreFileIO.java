package io.aquifer.storage.objects;

import static java.util.Objects.requireNonNull;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Kernel's file system for every storage root Aquifer knows: {@code s3://} paths go to {@link
 * S3KernelFileIO}, everything else (local {@code file:} paths) to Kernel's Hadoop file system.
 */
public final class ObjectStoreFileIO implements FileIO {
  private final FileIO local;
  private final FileIO s3;

  public ObjectStoreFileIO(FileIO local, FileIO s3) {
    this.local = requireNonNull(local, "local");
    this.s3 = requireNonNull(s3, "s3");
  }

  /** Local paths through Hadoop's configuration, S3 through the process's shared client. */
  public static ObjectStoreFileIO create(Configuration hadoopConfiguration) {
    return new ObjectStoreFileIO(
        new HadoopFileIO(hadoopConfiguration), new S3KernelFileIO(S3Clients::shared));
  }

  private FileIO of(String path) {
    return S3Location.isS3(path) ? s3 : local;
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    return of(filePath).listFrom(filePath);
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    return of(path).getFileStatus(path);
  }

  @Override
  public String resolvePath(String path) throws IOException {
    return of(path).resolvePath(path);
  }

  @Override
  public boolean mkdirs(String path) throws IOException {
    return of(path).mkdirs(path);
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    return of(path).newInputFile(path, fileSize);
  }

  @Override
  public OutputFile newOutputFile(String path) {
    return of(path).newOutputFile(path);
  }

  @Override
  public boolean delete(String path) throws IOException {
    return of(path).delete(path);
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return local.getConf(confKey);
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite)
      throws IOException {
    of(destPath).copyFileAtomically(srcPath, destPath, overwrite);
  }
}
