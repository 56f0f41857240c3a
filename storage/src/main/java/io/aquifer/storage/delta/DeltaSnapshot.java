package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.List;

/** One version of a Delta table: its schema and live files. Immutable. */
public record DeltaSnapshot(
    URI location,
    long version,
    long timestampMillis,
    TableSchema schema,
    List<String> partitionColumns,
    List<DataFile> files) {
  public DeltaSnapshot {
    requireNonNull(location, "location");
    requireNonNull(schema, "schema");
    partitionColumns = List.copyOf(partitionColumns);
    files = List.copyOf(files);
  }
}
