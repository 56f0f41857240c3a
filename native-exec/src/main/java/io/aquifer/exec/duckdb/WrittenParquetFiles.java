package io.aquifer.exec.duckdb;

import io.aquifer.storage.delta.FileStats;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes the Parquet files an engine wrote into a staging directory: the one step shared by the
 * DuckDB node's writer and the Spark engine, after which the gateway commits the files.
 */
public final class WrittenParquetFiles {
  private WrittenParquetFiles() {}

  /**
   * Reads a written file's statistics from its footer (through {@code footers}, a DuckDB
   * connection) and moves it into {@code tableDirectory}, adding the moved path to {@code
   * published} so that a failure later can delete it; a file without rows is deleted instead.
   *
   * @return the file as the commit adds it, empty for a file without rows
   */
  public static Optional<NewDataFile> publish(
      Connection footers, Path file, TableSchema schema, Path tableDirectory, List<Path> published)
      throws SQLException, IOException {
    return publish(footers, file, schema, tableDirectory, Map.of(), published);
  }

  /**
   * Publishes a file of a partitioned table into {@code directory} (its partition directory,
   * created if need be) with the partition values the commit records; {@code schema} holds the
   * columns in the file (not the partition columns).
   */
  public static Optional<NewDataFile> publish(
      Connection footers,
      Path file,
      TableSchema schema,
      Path directory,
      Map<String, String> partitionValues,
      List<Path> published)
      throws SQLException, IOException {
    Path tableDirectory = Files.createDirectories(directory);
    FileStats stats = ParquetFileStatsReader.read(footers, file, schema);
    if (stats.numRecords() == 0) {
      Files.delete(file);
      return Optional.empty();
    }
    Path target = tableDirectory.resolve(file.getFileName().toString());
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    published.add(target);
    return Optional.of(
        new NewDataFile(
            target.toUri(),
            Files.size(target),
            Files.getLastModifiedTime(target).toMillis(),
            partitionValues,
            stats));
  }
}
