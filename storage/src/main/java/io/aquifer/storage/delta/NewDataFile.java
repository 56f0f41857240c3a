package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Parquet file written by the engine, to be added to a table by a commit.
 *
 * @param path absolute location; recorded relative to the table root when it lies under it
 * @param partitionValues logical partition column name to value as Delta serializes it (null for a
 *     NULL partition value); must name exactly the table's partition columns
 * @param stats statistics of the file's rows, written to the log as Delta stats JSON
 */
public record NewDataFile(
    URI path,
    long size,
    long modificationTime,
    Map<String, String> partitionValues,
    FileStats stats) {
  public NewDataFile {
    requireNonNull(path, "path");
    requireNonNull(stats, "stats");
    // Not Map.copyOf: a NULL partition value is a null map value.
    partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
  }
}
