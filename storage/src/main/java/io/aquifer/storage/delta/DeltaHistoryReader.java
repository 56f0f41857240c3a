package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.delta.kernel.CommitActions;
import io.delta.kernel.CommitRange;
import io.delta.kernel.CommitRangeBuilder.CommitBoundary;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.utils.CloseableIterator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads DESCRIBE HISTORY: the {@code commitInfo} of every commit file still in the log, with the
 * commit timestamp Delta time travel uses (in-commit timestamp where enabled, else the commit
 * file's modification time).
 */
final class DeltaHistoryReader {
  private static final int OPERATION = CommitInfo.FULL_SCHEMA.indexOf("operation");
  private static final int PARAMETERS = CommitInfo.FULL_SCHEMA.indexOf("operationParameters");
  private static final int METRICS = CommitInfo.FULL_SCHEMA.indexOf("operationMetrics");
  private static final int ENGINE_INFO = CommitInfo.FULL_SCHEMA.indexOf("engineInfo");

  private final Engine engine;

  DeltaHistoryReader(Engine engine) {
    this.engine = requireNonNull(engine, "engine");
  }

  /** History from {@code firstVersion} to {@code lastVersion}, newest first. */
  List<HistoryEntry> read(TableLocation table, long firstVersion, long lastVersion) {
    CommitRange range =
        TableManager.loadCommitRange(table.kernelPath(), CommitBoundary.atVersion(firstVersion))
            .withEndBoundary(CommitBoundary.atVersion(lastVersion))
            .build(engine);
    List<HistoryEntry> entries = new ArrayList<>();
    try (CloseableIterator<CommitActions> commits =
        range.getCommitActions(engine, Set.of(DeltaAction.COMMITINFO))) {
      while (commits.hasNext()) {
        try (CommitActions commit = commits.next()) {
          entries.add(entry(commit));
        }
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot read the history of table " + table + ": " + e.getMessage(),
          e);
    }
    Collections.reverse(entries);
    return entries;
  }

  /**
   * The paths, as the log records them, of the data files that the commits from {@code
   * firstVersion} to {@code lastVersion} removed (what VACUUM must keep within its retention).
   */
  Set<String> removedPaths(TableLocation table, long firstVersion, long lastVersion) {
    CommitRange range =
        TableManager.loadCommitRange(table.kernelPath(), CommitBoundary.atVersion(firstVersion))
            .withEndBoundary(CommitBoundary.atVersion(lastVersion))
            .build(engine);
    Set<String> paths = new java.util.HashSet<>();
    try (CloseableIterator<CommitActions> commits =
        range.getCommitActions(engine, Set.of(DeltaAction.REMOVE))) {
      while (commits.hasNext()) {
        try (CommitActions commit = commits.next();
            CloseableIterator<ColumnarBatch> batches = commit.getActions()) {
          while (batches.hasNext()) {
            ColumnarBatch batch = batches.next();
            int column = batch.getSchema().indexOf(DeltaAction.REMOVE.colName);
            ColumnVector remove = batch.getColumnVector(column);
            int path =
                ((io.delta.kernel.types.StructType) batch.getSchema().at(column).getDataType())
                    .indexOf("path");
            ColumnVector pathVector = remove.getChild(path);
            for (int row = 0; row < remove.getSize(); row++) {
              if (!remove.isNullAt(row) && !pathVector.isNullAt(row)) {
                paths.add(pathVector.getString(row));
              }
            }
          }
        }
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot read the log of table " + table + ": " + e.getMessage(),
          e);
    }
    return paths;
  }

  private static HistoryEntry entry(CommitActions commit) throws Exception {
    String operation = null;
    String engineInfo = null;
    Map<String, String> parameters = Map.of();
    Map<String, String> metrics = Map.of();
    try (CloseableIterator<ColumnarBatch> batches = commit.getActions()) {
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        int column = batch.getSchema().indexOf(DeltaAction.COMMITINFO.colName);
        ColumnVector commitInfo = batch.getColumnVector(column);
        for (int row = 0; row < commitInfo.getSize(); row++) {
          if (commitInfo.isNullAt(row)) {
            continue;
          }
          operation = string(commitInfo.getChild(OPERATION), row);
          engineInfo = string(commitInfo.getChild(ENGINE_INFO), row);
          parameters = map(commitInfo.getChild(PARAMETERS), row);
          metrics = map(commitInfo.getChild(METRICS), row);
        }
      }
    }
    return new HistoryEntry(
        commit.getVersion(), commit.getTimestamp(), operation, parameters, metrics, engineInfo);
  }

  private static String string(ColumnVector vector, int row) {
    return vector.isNullAt(row) ? null : vector.getString(row);
  }

  /** A string map without its null values (HistoryEntry holds none). */
  private static Map<String, String> map(ColumnVector vector, int row) {
    if (vector.isNullAt(row)) {
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    VectorUtils.<String, String>toJavaMap(vector.getMap(row))
        .forEach(
            (key, value) -> {
              if (key != null && value != null) {
                map.put(key, value);
              }
            });
    return map;
  }
}
