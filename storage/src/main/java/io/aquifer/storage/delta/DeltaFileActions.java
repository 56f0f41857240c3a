package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.data.Row;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.util.VectorUtils;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the {@code add} and {@code remove} actions of a commit as Kernel rows. Kernel's public API
 * only builds adds from files it wrote itself and has no removes at all, so both are built on
 * Kernel's internal action classes here.
 */
final class DeltaFileActions {
  private final TableLocation table;
  private final TableSchema schema;
  private final List<String> partitionColumns;
  private final DeltaStatsSerializer stats;

  DeltaFileActions(TableLocation table, TableSchema schema, List<String> partitionColumns) {
    this.table = requireNonNull(table, "table");
    this.schema = requireNonNull(schema, "schema");
    this.partitionColumns = List.copyOf(partitionColumns);
    this.stats = new DeltaStatsSerializer(schema, partitionColumns);
  }

  /**
   * The {@code add} action of a new file: path relative to the table root where possible, partition
   * values keyed by physical column name, statistics as Delta JSON.
   *
   * @throws InvalidCommitRequestException if the partition values do not name exactly the table's
   *     partition columns, or the statistics do not fit the schema
   */
  Row add(NewDataFile file) {
    Map<Integer, Object> fields = new HashMap<>();
    fields.put(index("path"), table.pathInLog(file.path()));
    fields.put(
        index("partitionValues"), VectorUtils.stringStringMapValue(physicalPartitionValues(file)));
    fields.put(index("size"), file.size());
    fields.put(index("modificationTime"), file.modificationTime());
    fields.put(index("dataChange"), true);
    fields.put(index("stats"), stats.toJson(file.stats()));
    return SingleAction.createAddFileSingleAction(new GenericRow(AddFile.FULL_SCHEMA, fields));
  }

  /**
   * The {@code remove} action of a live file, built from its {@code add} action so that it carries
   * the same deletion vector, partition values, tags and row-tracking fields (Delta identifies a
   * file by path and deletion vector).
   */
  static Row remove(AddFile liveFile, long deletionTimestamp) {
    return SingleAction.createRemoveFileSingleAction(
        liveFile.toRemoveFileRow(true /* dataChange */, Optional.of(deletionTimestamp)));
  }

  private Map<String, String> physicalPartitionValues(NewDataFile file) {
    Map<String, String> given = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    given.putAll(file.partitionValues());
    if (given.size() != file.partitionValues().size()
        || given.size() != partitionColumns.size()
        || !partitionColumns.stream().allMatch(given::containsKey)) {
      throw new InvalidCommitRequestException(
          "data file "
              + file.path()
              + " has partition values for "
              + file.partitionValues().keySet()
              + " but table "
              + table
              + " is partitioned by "
              + partitionColumns);
    }
    Map<String, String> physical = new LinkedHashMap<>();
    for (String name : partitionColumns) {
      Column column =
          schema
              .column(name)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "partition column " + name + " is missing from the schema of " + table));
      physical.put(column.physicalName(), given.get(name));
    }
    return physical;
  }

  private static int index(String field) {
    return AddFile.FULL_SCHEMA.indexOf(field);
  }
}
