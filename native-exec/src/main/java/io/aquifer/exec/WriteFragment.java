package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.TableSchema;
import java.net.URI;

/**
 * Run a query and write its rows as new Parquet files of a Delta table. The query's columns are in
 * the order of {@code targetSchema} and are cast to its types; files are named with physical column
 * names. Nothing is committed: the gateway commits the returned files.
 *
 * @param targetDirectory the table root directory; files go directly below it
 * @param targetFileRows roll over to a new file after about this many rows
 */
public record WriteFragment(
    QueryFragment query, URI targetDirectory, TableSchema targetSchema, long targetFileRows) {
  public WriteFragment {
    requireNonNull(query, "query");
    requireNonNull(targetDirectory, "targetDirectory");
    requireNonNull(targetSchema, "targetSchema");
    if (targetFileRows < 1) {
      throw new IllegalArgumentException("targetFileRows < 1: " + targetFileRows);
    }
  }
}
