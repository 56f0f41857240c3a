package io.aquifer.storage.delta;

import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Delta Lake tables on an object store: the only way Aquifer reads or changes a Delta log.
 * Locations are absolute URIs ({@code file:/...}, later {@code s3://...}). Every method that
 * changes a table does so with exactly one atomic commit, or not at all. Failures are {@link
 * io.aquifer.storage.StorageException}s.
 */
public interface DeltaTables {

  /**
   * Creates a table as version 0, holding {@code initialFiles} (empty for CREATE TABLE, the query's
   * files for CREATE TABLE AS). Fails with DELTA_TABLE_ALREADY_EXISTS if a Delta log exists there.
   */
  DeltaSnapshot create(
      URI location,
      TableSchema schema,
      List<String> partitionColumns,
      Map<String, String> properties,
      List<NewDataFile> initialFiles);

  /** The latest snapshot. */
  DeltaSnapshot latest(URI location);

  /** The snapshot at an exact version ({@code VERSION AS OF}). */
  DeltaSnapshot atVersion(URI location, long version);

  /**
   * The latest snapshot committed at or before the timestamp ({@code TIMESTAMP AS OF}). As in Delta
   * Lake, a timestamp before the first or after the latest commit fails with
   * DELTA_VERSION_NOT_FOUND.
   */
  DeltaSnapshot atTimestamp(URI location, long timestampMillis);

  /** Commits one change and returns the new version. */
  long commit(URI location, CommitRequest request);

  /** Commit history, newest first. */
  List<HistoryEntry> history(URI location);

  /**
   * Commits one metadata change (schema or properties, no data files) to the latest version and
   * returns the new version. Kernel's rules apply: schema changes need column mapping; type changes
   * need {@code delta.enableTypeWidening}. A change Kernel refuses fails with DELTA_CHANGE_REJECTED
   * and commits nothing.
   */
  default long alter(URI location, TableChange change) {
    throw new io.aquifer.storage.StorageException(
        io.aquifer.storage.StorageErrorCode.DELTA_CHANGE_REJECTED,
        "this table store cannot change table metadata");
  }

  /**
   * The locations of the data files removed by the commits from {@code fromVersion} to the latest
   * (those still in the log): files that time travel within VACUUM's retention still reads.
   */
  default java.util.Set<URI> removedFiles(URI location, long fromVersion) {
    throw new io.aquifer.storage.StorageException(
        io.aquifer.storage.StorageErrorCode.DELTA_CHANGE_REJECTED,
        "this table store cannot read removed files");
  }

  /** The table properties of the latest version ({@code delta.*} and the user's). */
  default Map<String, String> properties(URI location) {
    throw new io.aquifer.storage.StorageException(
        io.aquifer.storage.StorageErrorCode.DELTA_CHANGE_REJECTED,
        "this table store cannot read table properties");
  }

  /**
   * The table properties of one version: what that version's writes must honour (its CHECK
   * constraints, {@code delta.constraints.*}). A version never changes, so callers may keep them.
   */
  default Map<String, String> properties(URI location, long version) {
    throw new io.aquifer.storage.StorageException(
        io.aquifer.storage.StorageErrorCode.DELTA_CHANGE_REJECTED,
        "this table store cannot read table properties");
  }

  /**
   * The table features (reader and writer, by Delta's names: {@code columnMapping}, {@code
   * allowColumnDefaults}, ...) the protocol of the latest version supports, explicitly or through
   * its legacy protocol versions.
   */
  default java.util.Set<String> tableFeatures(URI location) {
    throw new io.aquifer.storage.StorageException(
        io.aquifer.storage.StorageErrorCode.DELTA_CHANGE_REJECTED,
        "this table store cannot read table features");
  }
}
