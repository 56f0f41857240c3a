package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.tablefeatures.TableFeature;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.internal.util.Utils;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Writes Delta commits itself, for tables whose protocol Delta Kernel 4.4 reads but refuses to
 * write: those with the {@code checkConstraints} writer feature (writer version 3 and up, or the
 * feature listed) or with generated columns, which Kernel neither records nor commits to, and the
 * metadata changes of column defaults, which Kernel refuses to record. A commit is one {@code
 * _delta_log/<version>.json} file (commitInfo first, then protocol and metaData when they change,
 * then remove and add actions, built as Kernel builds them), created only if absent through the
 * engine's file IO: an atomic create on the local file system (serialized per table by the caller),
 * a conditional PUT ({@code If-None-Match: *}) on S3.
 *
 * <p>Conflicts follow the rules of Kernel's path ({@link KernelDeltaTables}): a blind append is
 * rebased over the commits made after the version it read; a change that read the table and removes
 * no file fails if any commit came after; a change that removes files fails if a later commit
 * removed one of them; any change fails if a later commit changed the metadata or protocol, and a
 * metadata change fails if any commit came after. Failures are {@link
 * StorageErrorCode#DELTA_COMMIT_CONFLICT} with nothing written.
 *
 * <p>Only protocols whose every writer feature this writer honours are written ({@link
 * #WRITABLE_FEATURES}); checkpoints and version checksums are left to later Kernel commits (reads
 * replay the JSON commits after the last checkpoint).
 */
final class DeltaLogWriter {
  /** Commit attempts before a blind append gives up on a busy table. */
  private static final int MAX_ATTEMPTS = 20;

  /**
   * Writer features whose rules this writer keeps: it writes no deletion vectors, row ids, change
   * data or clustering, checks appendOnly, and refuses column invariants.
   */
  static final Set<String> WRITABLE_FEATURES =
      Set.of(
          "appendOnly",
          "invariants",
          "checkConstraints",
          "generatedColumns",
          "columnMapping",
          "allowColumnDefaults",
          "deletionVectors",
          "inCommitTimestamp",
          "typeWidening",
          "typeWidening-preview",
          "timestampNtz",
          "v2Checkpoint",
          "vacuumProtocolCheck",
          "domainMetadata",
          "changeDataFeed");

  private final Engine engine;
  private final DeltaHistoryReader histories;

  DeltaLogWriter(Engine engine, DeltaHistoryReader histories) {
    this.engine = requireNonNull(engine, "engine");
    this.histories = requireNonNull(histories, "histories");
  }

  /** Whether commits to a table with this protocol must be written here (Kernel refuses them). */
  static boolean needed(Protocol protocol) {
    return protocol
        .getImplicitlyAndExplicitlySupportedFeatures()
        .contains(TableFeatures.CONSTRAINTS_W_FEATURE);
  }

  /**
   * Whether commits to a table's version must be written here: its protocol has {@code
   * checkConstraints}, or it has generated columns (Kernel refuses both).
   */
  static boolean needed(SnapshotImpl snapshot) {
    return needed(snapshot.getProtocol())
        || GeneratedColumnsFeature.hasGenerated(snapshot.getMetadata());
  }

  /**
   * The protocol with {@code checkConstraints}: as Delta (and Databricks) upgrade it, a legacy
   * protocol below writer version 3 becomes writer version 3 (which implies the feature), a table
   * features protocol lists it.
   */
  static Protocol withCheckConstraints(Protocol protocol) {
    if (needed(protocol)) {
      return protocol;
    }
    if (protocol.getMinWriterVersion() >= 7) {
      return protocol.withFeature(TableFeatures.CONSTRAINTS_W_FEATURE);
    }
    return new Protocol(
        protocol.getMinReaderVersion(),
        3,
        protocol.getReaderFeatures(),
        protocol.getWriterFeatures());
  }

  /** One commit's content, before its version is known. */
  record Commit(
      String operation,
      Map<String, String> parameters,
      Map<String, String> metrics,
      Optional<Protocol> protocol,
      Optional<Metadata> metadata,
      List<Row> fileActions,
      Set<String> removedPaths,
      boolean readsTable) {
    Commit {
      requireNonNull(operation, "operation");
      parameters = Map.copyOf(parameters);
      metrics = Map.copyOf(metrics);
      requireNonNull(protocol, "protocol");
      requireNonNull(metadata, "metadata");
      fileActions = List.copyOf(fileActions);
      removedPaths = Set.copyOf(removedPaths);
    }

    boolean changesMetadata() {
      return protocol.isPresent() || metadata.isPresent();
    }

    boolean blindAppend() {
      return !readsTable && removedPaths.isEmpty() && !changesMetadata();
    }
  }

  /**
   * Commits {@code commit}, computed from {@code read}, as the next free version; returns it.
   *
   * @throws StorageException DELTA_COMMIT_CONFLICT when a concurrent commit invalidates it,
   *     DELTA_UNSUPPORTED_PROTOCOL when the table needs a writer feature this writer does not keep,
   *     DELTA_CHANGE_REJECTED when it removes files of an append-only table
   */
  long commit(TableLocation table, SnapshotImpl read, Commit commit, String engineInfo) {
    Protocol protocol = commit.protocol().orElse(read.getProtocol());
    Metadata metadata = commit.metadata().orElse(read.getMetadata());
    checkWritable(table, protocol, metadata);
    if (!commit.removedPaths().isEmpty()
        && "true"
            .equalsIgnoreCase(
                metadata.getConfiguration().getOrDefault("delta.appendOnly", "false"))) {
      throw new StorageException(
          StorageErrorCode.DELTA_CHANGE_REJECTED,
          "cannot remove files from table " + table + ": it is append-only (delta.appendOnly)");
    }
    long version = read.getVersion() + 1;
    SnapshotImpl base = read;
    for (int attempt = 1; ; attempt++) {
      if (version > read.getVersion() + 1) {
        base = checkNoConflict(table, read, commit, version - 1);
      }
      try {
        write(table, base, commit, version, engineInfo);
        return version;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw conflict(
              table, "version " + version + " was taken " + attempt + " times in a row", e);
        }
        version =
            DeltaLogListing.newestCommit(engine, table, version)
                    .map(DeltaLogListing.CommitFile::version)
                    .orElse(version)
                + 1;
      }
    }
  }

  private void checkWritable(TableLocation table, Protocol protocol, Metadata metadata) {
    Set<String> unsupported = new TreeSet<>();
    for (TableFeature feature : protocol.getImplicitlyAndExplicitlySupportedFeatures()) {
      if (!WRITABLE_FEATURES.contains(feature.featureName())) {
        unsupported.add(feature.featureName());
      }
    }
    Map<String, String> configuration = metadata.getConfiguration();
    if ("true"
        .equalsIgnoreCase(configuration.getOrDefault("delta.enableChangeDataFeed", "false"))) {
      unsupported.add("changeDataFeed (enabled)");
    }
    if (TableFeatures.hasInvariants(metadata.getSchema())) {
      unsupported.add("invariants (column invariants in the schema)");
    }
    if (!unsupported.isEmpty()) {
      throw new StorageException(
          StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL,
          "table "
              + table
              + " requires Delta table features "
              + unsupported
              + " that Aquifer does not support for writing a table whose commits Delta Kernel"
              + " refuses (CHECK constraints, column defaults, generated columns)");
    }
  }

  /**
   * Checks the commits from {@code read}'s version + 1 to {@code latest} against {@code commit};
   * returns the snapshot at {@code latest}, the new base.
   */
  private SnapshotImpl checkNoConflict(
      TableLocation table, SnapshotImpl read, Commit commit, long latest) {
    String since = "version " + latest + " was committed after version " + read.getVersion();
    if (commit.changesMetadata()) {
      throw conflict(table, since + " that the table change was based on", null);
    }
    if (commit.readsTable() && commit.removedPaths().isEmpty()) {
      throw conflict(table, since + " that the statement read", null);
    }
    SnapshotImpl base =
        (SnapshotImpl)
            TableManager.loadSnapshot(table.kernelPath()).atVersion(latest).build(engine);
    if (!base.getMetadata().equals(read.getMetadata())
        || !base.getProtocol().equals(read.getProtocol())) {
      throw conflict(table, since + " and changed the table's metadata or protocol", null);
    }
    if (!commit.removedPaths().isEmpty()) {
      Set<String> removed = histories.removedPaths(table, read.getVersion() + 1, latest);
      for (String path : commit.removedPaths()) {
        if (removed.contains(path)) {
          throw conflict(table, since + " and removed data file " + path + " as well", null);
        }
      }
    }
    return base;
  }

  private void write(
      TableLocation table, SnapshotImpl base, Commit commit, long version, String engineInfo)
      throws FileAlreadyExistsException {
    List<Row> actions = new ArrayList<>();
    long now = System.currentTimeMillis();
    Metadata metadata = commit.metadata().orElse(base.getMetadata());
    Optional<Long> inCommitTimestamp = Optional.empty();
    if ("true"
        .equalsIgnoreCase(
            metadata.getConfiguration().getOrDefault("delta.enableInCommitTimestamps", "false"))) {
      inCommitTimestamp = Optional.of(Math.max(now, base.getTimestamp(engine) + 1));
    }
    actions.add(
        SingleAction.createCommitInfoSingleAction(
            new CommitInfo(
                    inCommitTimestamp,
                    now,
                    Optional.of(engineInfo),
                    Optional.of(commit.operation()),
                    commit.parameters(),
                    Optional.of(commit.blindAppend()),
                    Optional.of(UUID.randomUUID().toString()),
                    commit.metrics())
                .toRow()));
    commit
        .protocol()
        .ifPresent(p -> actions.add(SingleAction.createProtocolSingleAction(p.toRow())));
    commit
        .metadata()
        .ifPresent(m -> actions.add(SingleAction.createMetadataSingleAction(m.toRow())));
    actions.addAll(commit.fileActions());
    String file = FileNames.deltaFile(base.getLogPath(), version);
    try {
      engine
          .getJsonHandler()
          .writeJsonFileAtomically(file, Utils.toCloseableIterator(actions.iterator()), false);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot write commit " + version + " of table " + table + ": " + e.getMessage(),
          e);
    }
  }

  private static StorageException conflict(TableLocation table, String why, Throwable cause) {
    return new StorageException(
        StorageErrorCode.DELTA_COMMIT_CONFLICT,
        "commit to table "
            + table
            + " conflicts with a concurrent commit: "
            + why
            + "; nothing was written, run the statement again",
        cause);
  }
}
