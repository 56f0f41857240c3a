package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.DataType;

/**
 * One column a scan produces.
 *
 * @param name the name the fragment's SQL refers to (the logical column name)
 * @param physicalName the column name inside the Parquet files (differs under column mapping)
 * @param partitionColumn true when the value comes from the file's partition values, not the file
 */
public record ScanColumn(String name, String physicalName, DataType type, boolean partitionColumn) {
  public ScanColumn {
    requireNonNull(name, "name");
    requireNonNull(physicalName, "physicalName");
    requireNonNull(type, "type");
  }
}
