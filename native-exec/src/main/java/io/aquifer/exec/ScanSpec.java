package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * A table scan as the engine sees it: a relation name that the fragment's SQL refers to, the
 * columns it produces (in order) and the exact files to read (already pruned by the planner).
 *
 * @param dataCacheFiles the gateway's decision, made at planning time, of which files the node
 *     reads from its node data cache (the others are read from their Parquet files); null when the
 *     gateway made none (writes, or an older gateway), and the node then reads every file it holds
 *     from the cache. A file decided for the cache that the node no longer holds (evicted since) is
 *     read from Parquet and counted as a fallback.
 */
public record ScanSpec(
    String relationName,
    List<ScanColumn> columns,
    List<ScanFile> files,
    SourceFormat format,
    Set<String> dataCacheFiles) {
  public ScanSpec {
    requireNonNull(relationName, "relationName");
    columns = List.copyOf(columns);
    files = List.copyOf(files);
    format = format == null ? SourceFormat.PARQUET : format;
    dataCacheFiles = dataCacheFiles == null ? null : Set.copyOf(dataCacheFiles);
  }

  /** A scan without a data cache decision: the node reads what its cache holds. */
  public ScanSpec(
      String relationName, List<ScanColumn> columns, List<ScanFile> files, SourceFormat format) {
    this(relationName, columns, files, format, null);
  }

  /** A scan of Parquet files (Delta tables). */
  public ScanSpec(String relationName, List<ScanColumn> columns, List<ScanFile> files) {
    this(relationName, columns, files, SourceFormat.PARQUET);
  }

  /** This scan, with the gateway's decision of which files to read from the node data cache. */
  public ScanSpec withDataCacheFiles(Set<String> cached) {
    return new ScanSpec(relationName, columns, files, format, requireNonNull(cached, "cached"));
  }
}
