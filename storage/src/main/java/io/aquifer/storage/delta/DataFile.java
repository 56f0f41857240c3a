package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A live data file of a snapshot.
 *
 * @param path absolute location of the Parquet file
 * @param pathInLog the path exactly as the Delta log records it (needed to remove the file)
 * @param partitionValues logical partition column name to value as Delta serializes it (null for a
 *     NULL partition value)
 * @param stats statistics when the log has them
 * @param deletedRowPositions sorted 0-based row positions removed by a deletion vector; empty when
 *     the file has no deletion vector
 */
public record DataFile(
    URI path,
    String pathInLog,
    long size,
    long modificationTime,
    Map<String, String> partitionValues,
    Optional<FileStats> stats,
    long[] deletedRowPositions) {
  public DataFile {
    requireNonNull(path, "path");
    requireNonNull(pathInLog, "pathInLog");
    requireNonNull(partitionValues, "partitionValues");
    requireNonNull(stats, "stats");
    requireNonNull(deletedRowPositions, "deletedRowPositions");
  }

  public boolean hasDeletionVector() {
    return deletedRowPositions.length > 0;
  }
}
