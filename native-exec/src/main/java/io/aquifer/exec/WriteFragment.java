package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.List;

/**
 * Run a query and write its rows as new Parquet files of a Delta table. The query's columns are in
 * the order of {@code targetSchema} and are cast to its types; files are named with physical column
 * names. Nothing is committed: the gateway commits the returned files.
 *
 * @param targetDirectory the table root directory; files go directly below it, or for a partitioned
 *     table into Hive-style directories ({@code p=value/}) below it
 * @param targetFileRows roll over to a new file after about this many rows
 * @param partitionColumns the table's partition columns (names of {@code targetSchema} columns):
 *     their values are not written into the files but go into each file's partition values, one
 *     combination of values per file
 */
public record WriteFragment(
    QueryFragment query,
    URI targetDirectory,
    TableSchema targetSchema,
    long targetFileRows,
    List<String> partitionColumns) {
  public WriteFragment {
    requireNonNull(query, "query");
    requireNonNull(targetDirectory, "targetDirectory");
    requireNonNull(targetSchema, "targetSchema");
    if (targetFileRows < 1) {
      throw new IllegalArgumentException("targetFileRows < 1: " + targetFileRows);
    }
    // null from a peer that does not know partitioned writes
    partitionColumns = partitionColumns == null ? List.of() : List.copyOf(partitionColumns);
    for (String p : partitionColumns) {
      if (targetSchema.column(p).isEmpty()) {
        throw new IllegalArgumentException("partition column " + p + " is not a target column");
      }
    }
  }

  /** A write to an unpartitioned table. */
  public WriteFragment(
      QueryFragment query, URI targetDirectory, TableSchema targetSchema, long targetFileRows) {
    this(query, targetDirectory, targetSchema, targetFileRows, List.of());
  }

  /** The same write into another directory. */
  public WriteFragment withTargetDirectory(URI directory) {
    return new WriteFragment(query, directory, targetSchema, targetFileRows, partitionColumns);
  }
}
