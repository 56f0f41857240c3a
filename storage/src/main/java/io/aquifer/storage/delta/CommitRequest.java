package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One atomic change to a table: files to add and files to remove, based on the snapshot version the
 * writer read.
 *
 * @param readVersion the version the change was computed from; the commit fails with {@link
 *     StorageErrorCode#DELTA_COMMIT_CONFLICT} if a file it removes was removed by a later commit
 * @param operation the Delta operation name for the history, e.g. WRITE, DELETE, UPDATE, MERGE
 * @param operationParameters shown in DESCRIBE HISTORY
 */
public record CommitRequest(
    long readVersion,
    String operation,
    Map<String, String> operationParameters,
    List<NewDataFile> addedFiles,
    List<DataFile> removedFiles) {
  public CommitRequest {
    requireNonNull(operation, "operation");
    operationParameters = Map.copyOf(operationParameters);
    addedFiles = List.copyOf(addedFiles);
    removedFiles = List.copyOf(removedFiles);
  }
}
