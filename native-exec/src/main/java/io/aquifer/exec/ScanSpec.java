package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A table scan as the engine sees it: a relation name that the fragment's SQL refers to, the
 * columns it produces (in order) and the exact files to read (already pruned by the planner).
 */
public record ScanSpec(
    String relationName, List<ScanColumn> columns, List<ScanFile> files, SourceFormat format) {
  public ScanSpec {
    requireNonNull(relationName, "relationName");
    columns = List.copyOf(columns);
    files = List.copyOf(files);
    format = format == null ? SourceFormat.PARQUET : format;
  }

  /** A scan of Parquet files (Delta tables). */
  public ScanSpec(String relationName, List<ScanColumn> columns, List<ScanFile> files) {
    this(relationName, columns, files, SourceFormat.PARQUET);
  }
}
