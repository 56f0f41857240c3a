package io.aquifer.storage.delta;

import java.util.Map;

/**
 * Per-file statistics as Delta records them, keyed by logical column name (top-level columns
 * only). Values are Java objects of the column's type: Boolean, Byte, Short, Integer, Long, Float,
 * Double, BigDecimal, String, LocalDate (DATE), Instant (TIMESTAMP), LocalDateTime
 * (TIMESTAMP_NTZ). A column missing from a map has no statistic.
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
