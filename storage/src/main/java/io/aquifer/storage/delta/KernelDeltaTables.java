package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.KernelErrorTranslator.Action;
import io.aquifer.storage.objects.ObjectStoreFileIO;
import io.aquifer.storage.objects.S3Location;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.commit.Committer;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.transaction.CreateTableTransactionBuilder;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.transaction.UpdateTableTransactionBuilder;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeltaTables} on Delta Kernel's default engine over a Hadoop file system (local now, S3
 * through {@code s3a} later).
 *
 * <p>Commits go through Kernel's transactions, so Kernel's conflict checks apply: blind appends are
 * rebased over concurrent commits (Kernel retries them itself, up to its retry limit; commits of
 * one table are serialized in this JVM, so one rebase onto the newest version suffices); an append
 * whose rows were read from the table itself ({@link CommitRequest#readsTable()}) fails instead
 * when any commit came after the version it read; a commit that removes a file some later commit
 * also removed, or that follows a metadata or protocol change (schema change, REPLACE TABLE), fails
 * with {@link StorageErrorCode#DELTA_COMMIT_CONFLICT} and writes nothing. Commits to one table are
 * also serialized inside this JVM, since the local file system's put-if-absent is not atomic across
 * threads. Tables at {@code s3://} locations commit with S3's conditional PUT ({@code
 * If-None-Match: *}), which is atomic across threads and processes: two writers (two gateways)
 * never both win one version, and the loser is rebased or fails with a conflict as above.
 *
 * <p>Thread-safe.
 */
public final class KernelDeltaTables implements DeltaTables {
  private static final Logger LOG = LoggerFactory.getLogger(KernelDeltaTables.class);
  private static final String ENGINE_INFO = "Aquifer";

  private final Engine engine;
  private final DeltaSnapshotReader snapshots;
  private final DeltaHistoryReader histories;
  private final DeltaLogWriter logWriter;

  /**
   * One lock per table path for the whole JVM (shared by all instances): the local file system's
   * put-if-absent of a commit file is a check-then-rename, not atomic between threads. One small
   * object per table path ever written; not worth evicting.
   */
  private static final Map<String, Object> COMMIT_LOCKS = new ConcurrentHashMap<>();

  /** Tables on the local file system (and any file system Hadoop's defaults reach). */
  public KernelDeltaTables() {
    this(new Configuration());
  }

  /**
   * Local tables on the file systems the Hadoop configuration sets up; tables at {@code s3://}
   * locations through the AWS SDK ({@link ObjectStoreFileIO}), with conditional-write commits.
   */
  public KernelDeltaTables(Configuration hadoopConfiguration) {
    this(
        DefaultEngine.create(
            ObjectStoreFileIO.create(requireNonNull(hadoopConfiguration, "hadoopConfiguration"))));
  }

  KernelDeltaTables(Engine engine) {
    this.engine = requireNonNull(engine, "engine");
    this.snapshots = new DeltaSnapshotReader(engine);
    this.histories = new DeltaHistoryReader(engine);
    this.logWriter = new DeltaLogWriter(engine, histories);
  }

  @Override
  public DeltaSnapshot create(
      URI location,
      TableSchema schema,
      List<String> partitionColumns,
      Map<String, String> properties,
      List<NewDataFile> initialFiles) {
    TableLocation table = TableLocation.of(location);
    requireNonNull(schema, "schema");
    requireNonNull(properties, "properties");
    List<String> partitionBy = canonicalPartitionColumns(table, schema, partitionColumns);
    requireNonNull(initialFiles, "initialFiles");
    if (ColumnDefaultsFeature.hasDefaults(schema) && !ColumnDefaultsFeature.requested(properties)) {
      throw ColumnDefaultsFeature.notEnabled("CREATE TABLE", table);
    }

    long version;
    synchronized (commitLock(table)) {
      if (!DeltaLogListing.of(engine, table).isEmpty()) {
        throw alreadyExists(table, null);
      }
      try {
        // Kernel refuses column defaults (unless IcebergCompatV3): it creates the table without
        // them, and ColumnDefaultsCommits puts them into the log in Delta's form.
        boolean defaults =
            ColumnDefaultsFeature.hasDefaults(schema)
                || GeneratedColumnsFeature.hasGenerated(schema);
        Committer committer =
            new OperationCommitInfoCommitter(
                initialFiles.isEmpty() ? "CREATE TABLE" : "CREATE TABLE AS SELECT",
                createParameters(properties),
                metrics(initialFiles, List.of()));
        CreateTableTransactionBuilder builder =
            TableManager.buildCreateTableTransaction(
                    table.kernelPath(),
                    KernelTypeMapper.toKernelSchema(
                        defaults ? ColumnDefaultsCommits.withoutDefaults(schema) : schema),
                    ENGINE_INFO)
                .withTableProperties(
                    defaults
                        ? ColumnDefaultsCommits.withoutFeatureProperty(properties)
                        : properties)
                .withMaxRetries(0)
                .withCommitter(
                    defaults ? ColumnDefaultsCommits.creating(committer, schema) : committer);
        if (!partitionBy.isEmpty()) {
          builder.withDataLayoutSpec(
              DataLayoutSpec.partitioned(
                  partitionBy.stream().map(Column::new).collect(Collectors.toList())));
        }
        Transaction transaction = builder.build(engine);
        // The schema as Kernel will record it: with column mapping, physical names are assigned.
        TableSchema recorded = KernelTypeMapper.toTableSchema(transaction.getSchema(engine), table);
        DeltaFileActions actions = new DeltaFileActions(table, recorded, partitionBy);
        List<Row> adds = new ArrayList<>(initialFiles.size());
        for (NewDataFile file : initialFiles) {
          adds.add(actions.add(file));
        }
        TransactionCommitResult result = transaction.commit(engine, inMemory(adds));
        runPostCommitHooks(table, result, defaults);
        version = result.getVersion();
      } catch (TableAlreadyExistsException
          | ConcurrentWriteException
          | MaxCommitRetryLimitReachedException e) {
        throw alreadyExists(table, e);
      } catch (InvalidCommitRequestException e) {
        throw e;
      } catch (RuntimeException e) {
        throw KernelErrorTranslator.translate(e, table, Action.CREATE);
      }
    }
    return atVersion(location, version);
  }

  @Override
  public DeltaSnapshot latest(URI location) {
    TableLocation table = TableLocation.of(location);
    try {
      return snapshots.read(table, latestSnapshot(table));
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  @Override
  public DeltaSnapshot atVersion(URI location, long version) {
    TableLocation table = TableLocation.of(location);
    try {
      return snapshots.read(table, snapshotAt(table, version));
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  /** A version's snapshot and table properties, from one read of the log. */
  record VersionRead(DeltaSnapshot snapshot, Map<String, String> properties) {}

  /** {@link #atVersion} with the version's table properties. */
  VersionRead readVersion(URI location, long version) {
    TableLocation table = TableLocation.of(location);
    try {
      Snapshot snapshot = snapshotAt(table, version);
      return new VersionRead(
          snapshots.read(table, snapshot), Map.copyOf(snapshot.getTableProperties()));
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>As in Delta Lake, a timestamp before the first commit or after the latest one fails with
   * DELTA_VERSION_NOT_FOUND (a snapshot "as of" a future time would not be repeatable).
   */
  @Override
  public DeltaSnapshot atTimestamp(URI location, long timestampMillis) {
    TableLocation table = TableLocation.of(location);
    try {
      return snapshots.read(table, snapshotAtTimestamp(table, timestampMillis));
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  /**
   * The version {@link #atTimestamp} would read, without listing its files: for callers that keep
   * snapshots by version. Fails as {@link #atTimestamp} does.
   */
  long versionAtTimestamp(URI location, long timestampMillis) {
    TableLocation table = TableLocation.of(location);
    try {
      return snapshotAtTimestamp(table, timestampMillis).getVersion();
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  /**
   * The newest commit file in the table's log, from one listing that starts at {@code fromVersion}
   * (0 for the whole log); empty if there is none from there on, or no log.
   */
  Optional<DeltaLogListing.CommitFile> newestCommit(URI location, long fromVersion) {
    return DeltaLogListing.newestCommit(engine, TableLocation.of(location), fromVersion);
  }

  /** The commit file of {@code version} in the table's log, if there is one; no listing. */
  Optional<DeltaLogListing.CommitFile> commitFile(URI location, long version) {
    return DeltaLogListing.commitFile(engine, TableLocation.of(location), version);
  }

  @Override
  public long commit(URI location, CommitRequest request) {
    TableLocation table = TableLocation.of(location);
    requireNonNull(request, "request");
    synchronized (commitLock(table)) {
      if (request.readsTable() && request.removedFiles().isEmpty()) {
        // Kernel would rebase it as a blind append; but its rows came from the version it read.
        Optional<DeltaLogListing.CommitFile> newer =
            DeltaLogListing.newestCommit(engine, table, request.readVersion() + 1);
        if (newer.isPresent()) {
          throw new StorageException(
              StorageErrorCode.DELTA_COMMIT_CONFLICT,
              "commit to table "
                  + table
                  + " conflicts with a concurrent commit: the statement read version "
                  + request.readVersion()
                  + " of the table it writes, and version "
                  + newer.get().version()
                  + " was committed since; nothing was written, run the statement again");
        }
      }
      try {
        OperationCommitInfoCommitter committer =
            new OperationCommitInfoCommitter(
                request.operation(),
                request.operationParameters(),
                metrics(request.addedFiles(), request.removedFiles()));
        Snapshot read = snapshotAt(table, request.readVersion(), committer);
        if (DeltaLogWriter.needed((io.delta.kernel.internal.SnapshotImpl) read)) {
          return commitOwnLog(table, (io.delta.kernel.internal.SnapshotImpl) read, request);
        }
        if (request.replacement().isPresent()) {
          return replace(table, read, request);
        }
        io.delta.kernel.types.StructType kernelSchema = read.getSchema();
        boolean skipChecksums = false;
        UpdateTableTransactionBuilder builder =
            read.buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE);
        if (request.readsTable() && request.removedFiles().isEmpty()) {
          // The check above only closes the race under this JVM's lock; on S3 (no lock) another
          // writer can win the next version after it. Kernel must then fail, not rebase rows
          // computed from the version this statement read.
          builder = builder.withMaxRetries(0);
        }
        if (request.addColumns().isPresent()) {
          // COPY INTO's mergeSchema: the new columns and the files in one commit. Delta changes a
          // schema only under column mapping: on a table without it, the same commit switches it
          // on (the existing columns keep their names as physical names).
          boolean mappingOff =
              read.getTableProperties().getOrDefault(COLUMN_MAPPING_MODE, "none").equals("none");
          kernelSchema =
              mappingOff
                  ? KernelSchemaChanges.addColumnsSwitchingOnMapping(
                      kernelSchema, request.addColumns().get(), table)
                  : KernelSchemaChanges.apply(
                      kernelSchema, request.addColumns().get(), table, read.getTableProperties());
          if (mappingOff) {
            // Kernel switches the mapping on but will not change the schema in the same commit:
            // the new columns go into the metaData action on its way to the log, and Kernel's
            // checksum (which would hold its own metadata) is left out.
            builder = builder.withTablePropertiesAdded(Map.of(COLUMN_MAPPING_MODE, "name"));
            TableChange.AddColumns add = request.addColumns().get();
            committer.rewriteMetadata(m -> KernelSchemaChanges.withColumnsAdded(m, add));
            skipChecksums = true;
          } else {
            builder = builder.withUpdatedSchema(kernelSchema);
          }
        }
        TableSchema schema = KernelTypeMapper.toTableSchema(kernelSchema, table);
        DeltaFileActions actions =
            new DeltaFileActions(table, schema, read.getPartitionColumnNames());
        List<Row> rows = new ArrayList<>();
        rows.addAll(removes(table, read, request.removedFiles()));
        for (NewDataFile file : request.addedFiles()) {
          rows.add(actions.add(file));
        }
        Transaction transaction = builder.build(engine);
        TransactionCommitResult result = transaction.commit(engine, inMemory(rows));
        runPostCommitHooks(table, result, skipChecksums);
        return result.getVersion();
      } catch (InvalidCommitRequestException e) {
        throw e;
      } catch (RuntimeException e) {
        throw KernelErrorTranslator.translate(e, table, Action.COMMIT);
      }
    }
  }

  /**
   * A commit to a table Kernel does not write (CHECK constraints): the same add and remove actions,
   * written by {@link DeltaLogWriter}.
   */
  private long commitOwnLog(
      TableLocation table, io.delta.kernel.internal.SnapshotImpl read, CommitRequest request) {
    if (request.replacement().isPresent() || request.addColumns().isPresent()) {
      throw new StorageException(
          StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL,
          "cannot "
              + (request.replacement().isPresent() ? "replace" : "add columns to")
              + " table "
              + table
              + ": it has CHECK constraints (writer feature checkConstraints), and Aquifer does"
              + " not change the definition of such a table yet");
    }
    TableSchema schema = KernelTypeMapper.toTableSchema(read.getSchema(), table);
    DeltaFileActions actions = new DeltaFileActions(table, schema, read.getPartitionColumnNames());
    List<Row> rows = new ArrayList<>(removes(table, read, request.removedFiles()));
    for (NewDataFile file : request.addedFiles()) {
      rows.add(actions.add(file));
    }
    java.util.Set<String> removedPaths = new java.util.HashSet<>();
    request.removedFiles().forEach(f -> removedPaths.add(f.pathInLog()));
    return logWriter.commit(
        table,
        read,
        new DeltaLogWriter.Commit(
            request.operation(),
            request.operationParameters(),
            metrics(request.addedFiles(), request.removedFiles()),
            Optional.empty(),
            Optional.empty(),
            rows,
            removedPaths,
            request.readsTable()),
        ENGINE_INFO);
  }

  /**
   * A metadata-only commit Kernel refuses to write (a column default set or dropped, the
   * allowColumnDefaults feature switched on): the latest version's metadata and protocol replaced,
   * written by {@link DeltaLogWriter}; any commit after {@code read} is a conflict.
   */
  private long metadataCommit(
      TableLocation table,
      io.delta.kernel.internal.SnapshotImpl read,
      TableChange change,
      Optional<io.delta.kernel.internal.actions.Protocol> protocol,
      io.delta.kernel.internal.actions.Metadata metadata) {
    return logWriter.commit(
        table,
        read,
        new DeltaLogWriter.Commit(
            change.operation(),
            KernelSchemaChanges.parameters(change),
            Map.of(),
            protocol.filter(p -> !p.equals(read.getProtocol())),
            Optional.of(metadata),
            List.of(),
            java.util.Set.of(),
            true),
        ENGINE_INFO);
  }

  /** ADD CONSTRAINT and DROP CONSTRAINT: metadata commits written by {@link DeltaLogWriter}. */
  private long alterConstraints(
      TableLocation table, io.delta.kernel.internal.SnapshotImpl read, TableChange change) {
    String key;
    io.delta.kernel.internal.actions.Metadata metadata = read.getMetadata();
    Optional<io.delta.kernel.internal.actions.Protocol> protocol = Optional.empty();
    if (change instanceof TableChange.AddCheckConstraint add) {
      if (add.readVersion() >= 0 && add.readVersion() != read.getVersion()) {
        throw new StorageException(
            StorageErrorCode.DELTA_COMMIT_CONFLICT,
            "commit to table "
                + table
                + " conflicts with a concurrent commit: version "
                + read.getVersion()
                + " was committed after version "
                + add.readVersion()
                + " whose rows were checked against the constraint; nothing was written, run the"
                + " statement again");
      }
      key = CheckConstraints.PROPERTY_PREFIX + add.name().toLowerCase(java.util.Locale.ROOT);
      metadata = metadata.withMergedConfiguration(Map.of(key, add.expression()));
      io.delta.kernel.internal.actions.Protocol upgraded =
          DeltaLogWriter.withCheckConstraints(read.getProtocol());
      if (!upgraded.equals(read.getProtocol())) {
        protocol = Optional.of(upgraded);
      }
    } else {
      TableChange.DropCheckConstraint drop = (TableChange.DropCheckConstraint) change;
      key = CheckConstraints.PROPERTY_PREFIX + drop.name().toLowerCase(java.util.Locale.ROOT);
      metadata = metadata.withConfigurationKeysUnset(java.util.Set.of(key));
    }
    Map<String, String> parameters = new LinkedHashMap<>(KernelSchemaChanges.parameters(change));
    if (change instanceof TableChange.DropCheckConstraint) {
      String old = read.getMetadata().getConfiguration().get(key);
      if (old != null) {
        parameters.put("expr", old);
      }
      parameters.put("existed", Boolean.toString(old != null));
    }
    return logWriter.commit(
        table,
        read,
        new DeltaLogWriter.Commit(
            change.operation(),
            parameters,
            Map.of(),
            protocol,
            Optional.of(metadata),
            List.of(),
            java.util.Set.of(),
            true),
        ENGINE_INFO);
  }

  /**
   * CREATE OR REPLACE TABLE: Kernel's replace-table transaction gives the table its new metadata
   * and removes every file of {@code read}; the new files are added for the schema Kernel records
   * (physical names under column mapping). Any commit after {@code read} is a conflict.
   */
  private static final String COLUMN_MAPPING_MODE = "delta.columnMapping.mode";

  private long replace(TableLocation table, Snapshot read, CommitRequest request) {
    TableReplacement replacement = request.replacement().orElseThrow();
    Optional<DeltaLogListing.CommitFile> newer =
        DeltaLogListing.newestCommit(engine, table, read.getVersion() + 1);
    if (newer.isPresent()) {
      throw new StorageException(
          StorageErrorCode.DELTA_COMMIT_CONFLICT,
          "cannot replace table "
              + table
              + ": version "
              + newer.get().version()
              + " was committed after version "
              + read.getVersion()
              + " that the statement read; nothing was written, run the statement again");
    }
    if (GeneratedColumnsFeature.hasGenerated(replacement.schema())) {
      throw new StorageException(
          StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL,
          "cannot replace table "
              + table
              + " with one that has generated columns: Aquifer does not replace such a table yet;"
              + " DROP TABLE and CREATE TABLE");
    }
    if (ColumnDefaultsFeature.hasDefaults(replacement.schema())
        && !ColumnDefaultsFeature.requested(replacement.properties())
        && !ColumnDefaultsFeature.supported(read)) {
      throw ColumnDefaultsFeature.notEnabled("REPLACE TABLE", table);
    }
    List<String> partitionBy =
        canonicalPartitionColumns(table, replacement.schema(), replacement.partitionColumns());
    // Kernel cannot switch column mapping off while replacing: the new table keeps the old mode
    // unless the statement names one.
    Map<String, String> properties = new LinkedHashMap<>(replacement.properties());
    String mappingMode = read.getTableProperties().get(COLUMN_MAPPING_MODE);
    if (mappingMode != null) {
      properties.putIfAbsent(COLUMN_MAPPING_MODE, mappingMode);
    }
    var builder =
        ((io.delta.kernel.internal.SnapshotImpl) read)
            .buildReplaceTableTransaction(
                KernelTypeMapper.toKernelSchema(replacement.schema()), ENGINE_INFO)
            .withTableProperties(properties)
            .withMaxRetries(0);
    if (!partitionBy.isEmpty()) {
      builder =
          builder.withDataLayoutSpec(
              DataLayoutSpec.partitioned(
                  partitionBy.stream().map(Column::new).collect(Collectors.toList())));
    }
    Transaction transaction = builder.build(engine);
    TableSchema recorded = KernelTypeMapper.toTableSchema(transaction.getSchema(engine), table);
    DeltaFileActions actions = new DeltaFileActions(table, recorded, partitionBy);
    List<Row> adds = new ArrayList<>(request.addedFiles().size());
    for (NewDataFile file : request.addedFiles()) {
      adds.add(actions.add(file));
    }
    TransactionCommitResult result = transaction.commit(engine, inMemory(adds));
    runPostCommitHooks(table, result);
    return result.getVersion();
  }

  @Override
  public long alter(URI location, TableChange change) {
    TableLocation table = TableLocation.of(location);
    requireNonNull(change, "change");
    synchronized (commitLock(table)) {
      try {
        OperationCommitInfoCommitter committer =
            new OperationCommitInfoCommitter(
                change.operation(), KernelSchemaChanges.parameters(change), Map.of());
        Snapshot read = snapshotAt(table, latestSnapshot(table).getVersion(), committer);
        if (change instanceof TableChange.AddCheckConstraint
            || change instanceof TableChange.DropCheckConstraint) {
          return alterConstraints(table, (io.delta.kernel.internal.SnapshotImpl) read, change);
        }
        if (change instanceof TableChange.SetColumnDefault setDefault) {
          if (setDefault.defaultValue().isPresent() && !ColumnDefaultsFeature.supported(read)) {
            throw ColumnDefaultsFeature.notEnabled("ALTER TABLE", table);
          }
          io.delta.kernel.internal.SnapshotImpl impl = (io.delta.kernel.internal.SnapshotImpl) read;
          return metadataCommit(
              table,
              impl,
              change,
              Optional.empty(),
              impl.getMetadata()
                  .withNewSchema(
                      KernelSchemaChanges.apply(
                          read.getSchema(), change, table, read.getTableProperties())));
        }
        if (change instanceof TableChange.SetProperties set
            && ColumnDefaultsFeature.requested(set.properties())
            && set.properties().size() == 1) {
          if (ColumnDefaultsFeature.supported(read)) {
            return read.getVersion();
          }
          io.delta.kernel.internal.SnapshotImpl impl = (io.delta.kernel.internal.SnapshotImpl) read;
          return metadataCommit(
              table,
              impl,
              change,
              Optional.of(ColumnDefaultsCommits.withFeature(impl.getProtocol())),
              impl.getMetadata());
        }
        UpdateTableTransactionBuilder builder =
            read.buildUpdateTableTransaction(ENGINE_INFO, Operation.MANUAL_UPDATE)
                .withMaxRetries(0);
        if (change instanceof TableChange.SetProperties set) {
          builder = builder.withTablePropertiesAdded(set.properties());
        } else if (change instanceof TableChange.UnsetProperties unset) {
          builder = builder.withTablePropertiesRemoved(unset.keys());
        } else {
          builder =
              builder.withUpdatedSchema(
                  KernelSchemaChanges.apply(
                      read.getSchema(), change, table, read.getTableProperties()));
        }
        Transaction transaction = builder.build(engine);
        TransactionCommitResult result = transaction.commit(engine, inMemory(List.of()));
        runPostCommitHooks(table, result);
        return result.getVersion();
      } catch (StorageException e) {
        throw e;
      } catch (KernelException | IllegalArgumentException | UnsupportedOperationException e) {
        // Kernel's checks of the new metadata (type changes it cannot widen, ...).
        throw new StorageException(
            StorageErrorCode.DELTA_CHANGE_REJECTED,
            "cannot alter table " + table + ": " + e.getMessage(),
            e);
      } catch (RuntimeException e) {
        throw KernelErrorTranslator.translate(e, table, Action.COMMIT);
      }
    }
  }

  @Override
  public Map<String, String> properties(URI location) {
    TableLocation table = TableLocation.of(location);
    try {
      return Map.copyOf(latestSnapshot(table).getTableProperties());
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  @Override
  public Map<String, String> properties(URI location, long version) {
    TableLocation table = TableLocation.of(location);
    try {
      return Map.copyOf(snapshotAt(table, version).getTableProperties());
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  @Override
  public java.util.Set<String> tableFeatures(URI location) {
    TableLocation table = TableLocation.of(location);
    try {
      return ColumnDefaultsFeature.features(latestSnapshot(table));
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  @Override
  public List<HistoryEntry> history(URI location) {
    TableLocation table = TableLocation.of(location);
    try {
      Snapshot latest = latestSnapshot(table);
      OptionalLong first = DeltaLogListing.of(engine, table).earliestCommitVersion();
      if (first.isEmpty() || first.getAsLong() > latest.getVersion()) {
        return List.of();
      }
      return histories.read(table, first.getAsLong(), latest.getVersion());
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  @Override
  public java.util.Set<URI> removedFiles(URI location, long fromVersion) {
    TableLocation table = TableLocation.of(location);
    try {
      Snapshot latest = latestSnapshot(table);
      OptionalLong first = DeltaLogListing.of(engine, table).earliestCommitVersion();
      if (first.isEmpty() || fromVersion > latest.getVersion()) {
        return java.util.Set.of();
      }
      java.util.Set<URI> files = new java.util.HashSet<>();
      for (String path :
          histories.removedPaths(
              table, Math.max(first.getAsLong(), fromVersion), latest.getVersion())) {
        files.add(table.resolve(path));
      }
      return files;
    } catch (RuntimeException e) {
      throw KernelErrorTranslator.translate(e, table, Action.READ);
    }
  }

  // ---- snapshots ----------------------------------------------------------------------------

  private Snapshot latestSnapshot(TableLocation table) {
    return TableManager.loadSnapshot(table.kernelPath()).build(engine);
  }

  /**
   * As in Delta Lake, a timestamp before the first commit or after the latest one fails with
   * DELTA_VERSION_NOT_FOUND (a snapshot "as of" a future time would not be repeatable).
   */
  private Snapshot snapshotAtTimestamp(TableLocation table, long timestampMillis) {
    Snapshot latest = latestSnapshot(table);
    long latestTimestamp = latest.getTimestamp(engine);
    if (timestampMillis >= latestTimestamp) {
      if (timestampMillis > latestTimestamp) {
        throw timestampNotFound(table, timestampMillis, latest, latestTimestamp, null);
      }
      return latest;
    }
    try {
      return TableManager.loadSnapshot(table.kernelPath())
          .atTimestamp(timestampMillis, latest)
          .build(engine);
    } catch (RuntimeException e) {
      if (isPlainKernelException(e)) {
        throw timestampNotFound(table, timestampMillis, latest, latestTimestamp, e);
      }
      throw e;
    }
  }

  private Snapshot snapshotAt(TableLocation table, long version) {
    return snapshotAt(table, version, null);
  }

  private Snapshot snapshotAt(
      TableLocation table, long version, OperationCommitInfoCommitter committer) {
    if (version < 0 || !isInLog(table, version)) {
      // Checked before Kernel is asked: for a version past the log's end Kernel searches for a
      // checkpoint backwards from the requested version, which for a huge one never ends.
      throw versionNotFound(table, version, null);
    }
    try {
      var builder = TableManager.loadSnapshot(table.kernelPath()).atVersion(version);
      if (committer != null) {
        builder = builder.withCommitter(committer);
      }
      return builder.build(engine);
    } catch (RuntimeException e) {
      if (isPlainKernelException(e)) {
        throw versionNotFound(table, version, e);
      }
      throw e;
    }
  }

  /**
   * Whether a snapshot can be built at {@code version}: its commit file exists (one metadata
   * request), or a checkpoint was written at it (one listing, only when the commit file is gone).
   */
  private boolean isInLog(TableLocation table, long version) {
    if (DeltaLogListing.commitFile(engine, table, version).isPresent()) {
      return true;
    }
    return DeltaLogListing.of(engine, table).checkpointVersions().contains(version);
  }

  /**
   * Kernel reports a version or timestamp outside the log as a plain KernelException (its
   * subclasses mean other things: no table, damaged log, unsupported protocol).
   */
  private static boolean isPlainKernelException(RuntimeException e) {
    return e.getClass() == io.delta.kernel.exceptions.KernelException.class;
  }

  private StorageException versionNotFound(TableLocation table, long version, RuntimeException e) {
    DeltaLogListing log = DeltaLogListing.of(engine, table);
    if (log.isEmpty()) {
      return KernelErrorTranslator.translate(
          new io.delta.kernel.exceptions.TableNotFoundException(table.kernelPath()),
          table,
          Action.READ);
    }
    long first = log.earliestReadableVersion().orElse(0);
    long last = log.commitVersions().isEmpty() ? first : log.commitVersions().last();
    return new DeltaVersionNotFoundException(
        table,
        "has no version " + version + ": available versions are " + first + " to " + last,
        e);
  }

  private StorageException timestampNotFound(
      TableLocation table,
      long timestampMillis,
      Snapshot latest,
      long latestTimestamp,
      RuntimeException e) {
    String range;
    OptionalLong first = DeltaLogListing.of(engine, table).earliestReadableVersion();
    if (first.isPresent() && first.getAsLong() <= latest.getVersion()) {
      Snapshot earliest = snapshotAt(table, first.getAsLong());
      range =
          Instant.ofEpochMilli(earliest.getTimestamp(engine))
              + " (version "
              + earliest.getVersion()
              + ") to "
              + Instant.ofEpochMilli(latestTimestamp)
              + " (version "
              + latest.getVersion()
              + ")";
    } else {
      range =
          "up to "
              + Instant.ofEpochMilli(latestTimestamp)
              + " (version "
              + latest.getVersion()
              + ")";
    }
    return new DeltaVersionNotFoundException(
        table,
        "has no version at "
            + Instant.ofEpochMilli(timestampMillis)
            + ": its commits range from "
            + range,
        e);
  }

  // ---- commits ------------------------------------------------------------------------------

  /** Remove actions for the files, built from their add actions in the read snapshot. */
  private List<Row> removes(TableLocation table, Snapshot read, List<DataFile> removedFiles) {
    if (removedFiles.isEmpty()) {
      return List.of();
    }
    Map<String, DataFile> wanted = new LinkedHashMap<>();
    for (DataFile file : removedFiles) {
      if (wanted.put(file.pathInLog(), file) != null) {
        throw new InvalidCommitRequestException(
            "commit to table " + table + " removes data file " + file.pathInLog() + " twice");
      }
    }
    long now = System.currentTimeMillis();
    Map<String, Row> found = new HashMap<>();
    snapshots.forEachAddFile(
        table,
        read,
        false,
        add -> {
          if (wanted.containsKey(add.getPath())) {
            found.put(add.getPath(), DeltaFileActions.remove(add, now));
          }
        });
    List<Row> rows = new ArrayList<>(wanted.size());
    for (String path : wanted.keySet()) {
      Row remove = found.get(path);
      if (remove == null) {
        throw new InvalidCommitRequestException(
            "data file "
                + path
                + " is not part of version "
                + read.getVersion()
                + " of table "
                + table
                + ", the version the commit was read from");
      }
      rows.add(remove);
    }
    return rows;
  }

  private void runPostCommitHooks(TableLocation table, TransactionCommitResult result) {
    runPostCommitHooks(table, result, false);
  }

  /**
   * @param skipChecksums leave out the version checksum (.crc): after a commit whose actions {@link
   *     ColumnDefaultsCommits} changed, Kernel's checksum would hold the metadata it made, not the
   *     one in the log
   */
  private void runPostCommitHooks(
      TableLocation table, TransactionCommitResult result, boolean skipChecksums) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      if (skipChecksums
          && hook.getType().name().toUpperCase(java.util.Locale.ROOT).contains("CHECKSUM")) {
        continue;
      }
      try {
        hook.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        // The commit stands; failing here would make the caller retry a write that succeeded.
        // A missing checkpoint or checksum only slows later reads down.
        LOG.warn(
            "table {}: post-commit {} after version {} failed; the commit stands",
            table,
            hook.getType(),
            result.getVersion(),
            e);
      }
    }
  }

  private static Map<String, String> metrics(List<NewDataFile> added, List<DataFile> removed) {
    Map<String, String> metrics = new LinkedHashMap<>();
    metrics.put("numAddedFiles", Long.toString(added.size()));
    metrics.put("numRemovedFiles", Long.toString(removed.size()));
    metrics.put("numAddedBytes", Long.toString(added.stream().mapToLong(NewDataFile::size).sum()));
    metrics.put("numRemovedBytes", Long.toString(removed.stream().mapToLong(DataFile::size).sum()));
    metrics.put(
        "numOutputRows",
        Long.toString(added.stream().mapToLong(f -> f.stats().numRecords()).sum()));
    return metrics;
  }

  private static Map<String, String> createParameters(Map<String, String> properties) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put(
        "properties",
        properties.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
            .collect(Collectors.joining(",", "{", "}")));
    return parameters;
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Partition columns as the schema spells them; fails if one is not a top-level column. */
  private static List<String> canonicalPartitionColumns(
      TableLocation table, TableSchema schema, List<String> partitionColumns) {
    requireNonNull(partitionColumns, "partitionColumns");
    List<String> canonical = new ArrayList<>(partitionColumns.size());
    for (String name : partitionColumns) {
      String column =
          schema
              .column(name)
              .map(io.aquifer.storage.types.Column::name)
              .orElseThrow(
                  () ->
                      new StorageException(
                          StorageErrorCode.DELTA_CHANGE_REJECTED,
                          "cannot create table "
                              + table
                              + ": partition column "
                              + name
                              + " is not a column of the table"));
      if (canonical.contains(column)) {
        throw new StorageException(
            StorageErrorCode.DELTA_CHANGE_REJECTED,
            "cannot create table " + table + ": partition column " + name + " is listed twice");
      }
      canonical.add(column);
    }
    if (!canonical.isEmpty() && canonical.size() == schema.columns().size()) {
      throw new StorageException(
          StorageErrorCode.DELTA_CHANGE_REJECTED,
          "cannot create table " + table + ": every column is a partition column");
    }
    return canonical;
  }

  private static StorageException alreadyExists(TableLocation table, RuntimeException cause) {
    return new StorageException(
        StorageErrorCode.DELTA_TABLE_ALREADY_EXISTS,
        "cannot create table " + table + ": a Delta table already exists there",
        cause);
  }

  private Object commitLock(TableLocation table) {
    if (S3Location.isS3(table.kernelPath())) {
      // S3's conditional PUT (If-None-Match: *) decides which writer wins a version, across
      // threads and processes alike; no lock of this JVM is needed.
      return new Object();
    }
    return COMMIT_LOCKS.computeIfAbsent(table.kernelPath(), path -> new Object());
  }

  private static CloseableIterable<Row> inMemory(List<Row> rows) {
    return CloseableIterable.inMemoryIterable(toIterator(rows));
  }

  private static CloseableIterator<Row> toIterator(List<Row> rows) {
    return io.delta.kernel.internal.util.Utils.toCloseableIterator(rows.iterator());
  }
}
