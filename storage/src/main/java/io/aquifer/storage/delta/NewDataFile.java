package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;

/** A Parquet file written by the engine, to be added to a table by a commit. */
public record NewDataFile(
    URI path, long size, long modificationTime, Map<String, String> partitionValues, FileStats stats) {
  public NewDataFile {
    requireNonNull(path, "path");
    requireNonNull(stats, "stats");
    partitionValues = Map.copyOf(partitionValues);
  }
}
