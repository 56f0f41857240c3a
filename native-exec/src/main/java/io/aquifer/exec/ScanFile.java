package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One Parquet file of a scan.
 *
 * @param path absolute URI of the file ({@code file:/...})
 * @param partitionValues partition column (logical name) to the value as Delta serializes it; null
 *     for NULL
 * @param deletedRowPositions sorted 0-based row positions to skip (deletion vector); may be empty
 */
public record ScanFile(
    String path, Map<String, String> partitionValues, long[] deletedRowPositions) {
  public ScanFile {
    requireNonNull(path, "path");
    requireNonNull(partitionValues, "partitionValues");
    requireNonNull(deletedRowPositions, "deletedRowPositions");
  }
}
