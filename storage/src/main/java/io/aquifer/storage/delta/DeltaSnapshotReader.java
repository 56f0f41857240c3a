package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.TypeChange;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a Kernel {@link Snapshot} into a {@link DeltaSnapshot}: the schema in Aquifer's types, and
 * every live file from Kernel's log replay with its statistics and deleted row positions.
 */
final class DeltaSnapshotReader {
  private static final long[] NO_DELETED_ROWS = new long[0];

  private final Engine engine;
  private final DeletionVectorReader deletionVectors;

  DeltaSnapshotReader(Engine engine) {
    this.engine = requireNonNull(engine, "engine");
    this.deletionVectors = new DeletionVectorReader(engine);
  }

  DeltaSnapshot read(TableLocation table, Snapshot snapshot) {
    TableSchema schema = KernelTypeMapper.toTableSchema(snapshot.getSchema(), table);
    Map<String, String> logicalByPhysical = new HashMap<>();
    for (Column column : schema.columns()) {
      logicalByPhysical.put(column.physicalName(), column.name());
    }
    DeltaStatsParser stats = new DeltaStatsParser(table, schema, columnsWidenedFromFloat(snapshot));
    List<DataFile> files = new ArrayList<>();
    forEachAddFile(
        table, snapshot, true, add -> files.add(dataFile(table, add, logicalByPhysical, stats)));
    return new DeltaSnapshot(
        table.uri(),
        snapshot.getVersion(),
        snapshot.getTimestamp(engine),
        schema,
        snapshot.getPartitionColumnNames(),
        files);
  }

  /** Calls {@code action} with the {@code add} action of every live file of the snapshot. */
  void forEachAddFile(
      TableLocation table, Snapshot snapshot, boolean withStats, Consumer<AddFile> action) {
    Scan scan = snapshot.getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, withStats)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row scanFile = rows.next();
            action.accept(new AddFile(scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL)));
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "table " + table + ": cannot list the files of version " + snapshot.getVersion(),
          e);
    }
  }

  private DataFile dataFile(
      TableLocation table,
      AddFile add,
      Map<String, String> logicalByPhysical,
      DeltaStatsParser statsParser) {
    String pathInLog = add.getPath();
    Map<String, String> partitionValues = new LinkedHashMap<>();
    Map<String, String> physicalValues = VectorUtils.toJavaMap(add.getPartitionValues());
    physicalValues.forEach(
        (physical, value) ->
            partitionValues.put(logicalByPhysical.getOrDefault(physical, physical), value));
    Optional<FileStats> stats =
        add.getStatsJson().flatMap(json -> statsParser.parse(json, pathInLog));
    Optional<DeletionVectorDescriptor> dv = add.getDeletionVector();
    long[] deleted =
        dv.isPresent()
            ? deletionVectors.deletedRowPositions(table, pathInLog, dv.get())
            : NO_DELETED_ROWS;
    return new DataFile(
        table.resolve(pathInLog),
        pathInLog,
        add.getSize(),
        add.getModificationTime(),
        Collections.unmodifiableMap(partitionValues),
        stats,
        deleted);
  }

  /** Logical names of top-level columns whose type was widened from FLOAT (see the parser). */
  private static Set<String> columnsWidenedFromFloat(Snapshot snapshot) {
    Set<String> names = new HashSet<>();
    for (StructField field : snapshot.getSchema().fields()) {
      for (TypeChange change : field.getTypeChanges()) {
        if (change.getFrom() instanceof FloatType) {
          names.add(field.getName());
        }
      }
    }
    return names;
  }
}
