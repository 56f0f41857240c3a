package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.TableName;
import java.time.Duration;

/**
 * What the loader did with one table.
 *
 * @param skipped true when the table already existed with the right rows and was left alone
 * @param files Parquet files of the table's Delta snapshot
 * @param bytes total size of those files
 * @param deltaVersion the table's current Delta version
 * @param elapsed wall time spent on the table (generation, Parquet, commit)
 */
public record TableLoadResult(
    TableName table,
    boolean skipped,
    long rows,
    int files,
    long bytes,
    long deltaVersion,
    Duration elapsed) {
  public TableLoadResult {
    requireNonNull(table, "table");
    requireNonNull(elapsed, "elapsed");
  }

  /** Rows per second of wall time; 0 for a skipped table. */
  public double rowsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return skipped || seconds <= 0 ? 0 : rows / seconds;
  }
}
