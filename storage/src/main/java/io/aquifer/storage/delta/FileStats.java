package io.aquifer.storage.delta;

import java.util.Map;

/**
 * Per-file statistics as Delta records them, keyed by logical column name (top-level columns only).
 * Values are Java objects of the column's type: Boolean, Byte, Short, Integer, Long, Float, Double,
 * BigDecimal, String, LocalDate (DATE), Instant (TIMESTAMP), LocalDateTime (TIMESTAMP_NTZ). A
 * column missing from a map has no statistic.
 *
 * <p>For pruning: Delta writers truncate TIMESTAMP and TIMESTAMP_NTZ statistics to milliseconds, so
 * a max can lie up to 999 microseconds below the true maximum (treat it as max + 1 ms). Spark
 * truncates long strings to a prefix (the min stays a lower bound, the max gets a tie-breaker so it
 * stays an upper bound). Partition columns have no statistics; prune them by {@link
 * DataFile#partitionValues()}. {@code numRecords} counts the rows physically in the file, including
 * rows a deletion vector removes.
 */
public record FileStats(
    long numRecords,
    Map<String, Object> minValues,
    Map<String, Object> maxValues,
    Map<String, Long> nullCounts) {
  public FileStats {
    if (numRecords < 0) {
      throw new IllegalArgumentException("numRecords < 0: " + numRecords);
    }
    minValues = Map.copyOf(minValues);
    maxValues = Map.copyOf(maxValues);
    nullCounts = Map.copyOf(nullCounts);
  }
}
