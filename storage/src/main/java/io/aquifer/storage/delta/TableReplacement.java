package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.TableSchema;
import java.util.List;
import java.util.Map;

/**
 * The new definition of a table that CREATE OR REPLACE TABLE gives it: its schema, partition
 * columns and properties replace the old ones in the same commit that removes every old file and
 * adds the new ones. The table's log, and so its history, stays.
 */
public record TableReplacement(
    TableSchema schema, List<String> partitionColumns, Map<String, String> properties) {
  public TableReplacement {
    requireNonNull(schema, "schema");
    partitionColumns = List.copyOf(partitionColumns);
    properties = Map.copyOf(properties);
  }
}
