package io.aquifer.storage.delta;

import java.util.Map;

/** One row of DESCRIBE HISTORY. */
public record HistoryEntry(
    long version,
    long timestampMillis,
    String operation,
    Map<String, String> operationParameters,
    Map<String, String> operationMetrics,
    String engineInfo) {
  public HistoryEntry {
    operationParameters = Map.copyOf(operationParameters);
    operationMetrics = Map.copyOf(operationMetrics);
  }
}
