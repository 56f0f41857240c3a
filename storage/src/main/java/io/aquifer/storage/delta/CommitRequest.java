package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One atomic change to a table: files to add and files to remove, based on the snapshot version the
 * writer read.
 *
 * @param readVersion the version the change was computed from; the commit fails with {@link
 *     StorageErrorCode#DELTA_COMMIT_CONFLICT} if a file it removes was removed by a later commit
 * @param operation the Delta operation name for the history, e.g. WRITE, DELETE, UPDATE, MERGE
 * @param operationParameters shown in DESCRIBE HISTORY
 * @param readsTable whether the added rows were computed from the table's own rows (UPDATE, DELETE,
 *     MERGE, INSERT ... SELECT from the table itself). A change that reads nothing of the table (a
 *     blind append: INSERT ... VALUES, INSERT ... SELECT from other tables, COPY INTO) is rebased
 *     onto the commits made after {@code readVersion}. One that reads the table and removes no
 *     files fails with DELTA_COMMIT_CONFLICT if any commit came after {@code readVersion}: the rows
 *     it read may have changed. One that removes files is checked file by file, as above
 * @param replacement present for CREATE OR REPLACE TABLE: the table's new schema, partitioning and
 *     properties; the commit removes every file of the table ({@code removedFiles}, the files of
 *     {@code readVersion}, only count in the history's metrics) and adds {@code addedFiles},
 *     written for the new schema. It fails with DELTA_COMMIT_CONFLICT if any commit came after
 *     {@code readVersion}
 * @param addColumns columns the same commit adds to the table's schema before adding the files
 *     (COPY INTO's {@code mergeSchema}); the files are written for the schema with them
 */
public record CommitRequest(
    long readVersion,
    String operation,
    Map<String, String> operationParameters,
    List<NewDataFile> addedFiles,
    List<DataFile> removedFiles,
    boolean readsTable,
    Optional<TableReplacement> replacement,
    Optional<TableChange.AddColumns> addColumns) {
  public CommitRequest {
    requireNonNull(operation, "operation");
    requireNonNull(replacement, "replacement");
    requireNonNull(addColumns, "addColumns");
    if (replacement.isPresent() && addColumns.isPresent()) {
      throw new IllegalArgumentException("a replacement cannot add columns as well");
    }
    operationParameters = Map.copyOf(operationParameters);
    addedFiles = List.copyOf(addedFiles);
    removedFiles = List.copyOf(removedFiles);
  }

  public CommitRequest(
      long readVersion,
      String operation,
      Map<String, String> operationParameters,
      List<NewDataFile> addedFiles,
      List<DataFile> removedFiles,
      boolean readsTable,
      Optional<TableReplacement> replacement) {
    this(
        readVersion,
        operation,
        operationParameters,
        addedFiles,
        removedFiles,
        readsTable,
        replacement,
        Optional.empty());
  }

  /** A change to the table's files only. */
  public CommitRequest(
      long readVersion,
      String operation,
      Map<String, String> operationParameters,
      List<NewDataFile> addedFiles,
      List<DataFile> removedFiles,
      boolean readsTable) {
    this(
        readVersion,
        operation,
        operationParameters,
        addedFiles,
        removedFiles,
        readsTable,
        Optional.empty());
  }

  /**
   * CREATE OR REPLACE TABLE: one commit that gives the table a new definition and replaces all its
   * files by {@code addedFiles}.
   */
  public static CommitRequest replaceTable(
      long readVersion,
      String operation,
      Map<String, String> operationParameters,
      TableReplacement replacement,
      List<NewDataFile> addedFiles,
      List<DataFile> removedFiles) {
    return new CommitRequest(
        readVersion,
        operation,
        operationParameters,
        addedFiles,
        removedFiles,
        true,
        Optional.of(replacement));
  }

  /**
   * A change whose added rows were not computed from the table's rows ({@code readsTable} false).
   */
  public CommitRequest(
      long readVersion,
      String operation,
      Map<String, String> operationParameters,
      List<NewDataFile> addedFiles,
      List<DataFile> removedFiles) {
    this(readVersion, operation, operationParameters, addedFiles, removedFiles, false);
  }
}
