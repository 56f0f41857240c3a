package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.WriteFragment;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.objects.S3Clients;
import io.aquifer.storage.objects.S3FileStore;
import io.aquifer.storage.objects.S3Location;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Writes of tables in object storage: DuckDB writes the Parquet files to a local directory below
 * the node's first data directory (as for a local table), then each file is uploaded to the table's
 * location (a conditional PUT, so an existing file is never replaced) and the local copy deleted.
 * If any upload fails, the files already uploaded are deleted and the write fails: nothing is
 * committed, and at most files no commit refers to can remain.
 */
final class ObjectStoreTableWriter {
  private static final String UPLOADS = "_aquifer_uploads";

  private final Path dataDirectory;

  ObjectStoreTableWriter(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  static boolean isObjectStore(URI target) {
    return S3Location.isS3(target);
  }

  List<NewDataFile> write(
      WriteFragment fragment, Function<WriteFragment, List<NewDataFile>> localWriter) {
    S3Location target = S3Location.of(fragment.targetDirectory());
    Path local = dataDirectory.resolve(UPLOADS).resolve(UUID.randomUUID().toString());
    List<String> uploaded = new ArrayList<>();
    S3FileStore store = null;
    try {
      List<NewDataFile> written = localWriter.apply(fragment.withTargetDirectory(local.toUri()));
      store = new S3FileStore(S3Clients.shared(), target);
      List<NewDataFile> out = new ArrayList<>(written.size());
      for (NewDataFile file : written) {
        Path path = Path.of(file.path());
        // a partitioned table's files sit in partition directories (p=value/part-....parquet)
        String name = local.relativize(path).toString().replace(java.io.File.separatorChar, '/');
        store.upload(name, path, false);
        uploaded.add(name);
        out.add(
            new NewDataFile(
                target.uriOfKey(target.key(name)),
                file.size(),
                System.currentTimeMillis(),
                file.partitionValues(),
                file.stats()));
      }
      return List.copyOf(out);
    } catch (StorageException e) {
      deleteUploaded(store, uploaded);
      throw new ExecException(
          ExecErrorCode.ENGINE_ERROR,
          "Writing data files to " + target + " failed: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      deleteUploaded(store, uploaded);
      throw e;
    } finally {
      deleteRecursively(local);
    }
  }

  private static void deleteUploaded(S3FileStore store, List<String> names) {
    if (store == null) {
      return;
    }
    for (String name : names) {
      try {
        store.deleteIfExists(name);
      } catch (StorageException e) {
        // The store is failing; the file is referenced by no commit and is never read.
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // left for the next start's clean-up of the data directory
    }
  }
}
