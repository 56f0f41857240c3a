package io.aquifer.storage.delta;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.commit.CommitFailedException;
import io.delta.kernel.commit.CommitMetadata;
import io.delta.kernel.commit.CommitResponse;
import io.delta.kernel.commit.Committer;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Commits of column {@code DEFAULT}s in Delta's form ({@code CURRENT_DEFAULT} field metadata and
 * the {@code allowColumnDefaults} writer feature), which Delta Kernel 4.4 refuses to write itself
 * unless the table is also IcebergCompatV3: a CREATE TABLE goes through Kernel without the defaults
 * and its protocol and metaData actions get them on the way to the log; a change of a default, or
 * switching the feature on, is a metadata-only commit written here (put-if-absent of the next
 * version's file, as Kernel's own file-system committer). Data commits to such tables go through
 * Kernel as any other.
 */
final class ColumnDefaultsCommits {
  private ColumnDefaultsCommits() {}

  /** The schema without defaults: what Kernel is given. */
  static TableSchema withoutDefaults(TableSchema schema) {
    return new TableSchema(
        schema.columns().stream()
            .map(c -> new Column(c.name(), c.type(), c.nullable(), c.physicalName(), c.comment()))
            .toList());
  }

  /** The properties without the feature switch: what Kernel is given. */
  static Map<String, String> withoutFeatureProperty(Map<String, String> properties) {
    return properties.entrySet().stream()
        .filter(e -> !e.getKey().equalsIgnoreCase(ColumnDefaultsFeature.PROPERTY))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /**
   * A committer for CREATE TABLE that adds the feature to the protocol action and the schema's
   * defaults to the metaData action Kernel made.
   */
  static Committer creating(Committer delegate, TableSchema schema) {
    Map<String, String> defaults = defaults(schema);
    return new Committer() {
      @Override
      public CommitResponse commit(
          Engine engine, CloseableIterator<Row> actions, CommitMetadata commitMetadata)
          throws CommitFailedException {
        return delegate.commit(engine, actions.map(a -> rewrite(a, defaults)), commitMetadata);
      }
    };
  }

  private static Row rewrite(Row action, Map<String, String> defaults) {
    if (!action.isNullAt(SingleAction.PROTOCOL_ORDINAL)) {
      Protocol protocol = Protocol.fromRow(action.getStruct(SingleAction.PROTOCOL_ORDINAL));
      return SingleAction.createProtocolSingleAction(withFeature(protocol).toRow());
    }
    if (!action.isNullAt(SingleAction.METADATA_ORDINAL)) {
      Metadata metadata = Metadata.fromRow(action.getStruct(SingleAction.METADATA_ORDINAL));
      return SingleAction.createMetadataSingleAction(
          metadata.withNewSchema(withDefaults(metadata.getSchema(), defaults)).toRow());
    }
    return action;
  }

  /**
   * Commits the latest version's metadata with a new schema (a default set or dropped) and, when
   * {@code enableFeature}, the feature added to the protocol, as the next version; nothing else
   * changes. Returns the new version.
   */
  static long commitMetadata(
      Engine engine,
      TableLocation table,
      SnapshotImpl read,
      Optional<StructType> newSchema,
      boolean enableFeature,
      String operation,
      Map<String, String> parameters,
      String engineInfo) {
    long version = read.getVersion() + 1;
    List<Row> actions = new ArrayList<>();
    long now = System.currentTimeMillis();
    Optional<Long> inCommitTimestamp = Optional.empty();
    if ("true"
        .equalsIgnoreCase(
            read.getMetadata()
                .getConfiguration()
                .getOrDefault("delta.enableInCommitTimestamps", "false"))) {
      inCommitTimestamp = Optional.of(Math.max(now, read.getTimestamp(engine) + 1));
    }
    actions.add(
        SingleAction.createCommitInfoSingleAction(
            new CommitInfo(
                    inCommitTimestamp,
                    now,
                    Optional.of(engineInfo),
                    Optional.of(operation),
                    parameters,
                    Optional.of(false),
                    Optional.of(UUID.randomUUID().toString()),
                    Map.of())
                .toRow()));
    if (enableFeature) {
      actions.add(SingleAction.createProtocolSingleAction(withFeature(read.getProtocol()).toRow()));
    }
    Metadata metadata = read.getMetadata();
    if (newSchema.isPresent()) {
      metadata = metadata.withNewSchema(newSchema.get());
    }
    actions.add(SingleAction.createMetadataSingleAction(metadata.toRow()));
    String file = FileNames.deltaFile(read.getLogPath(), version);
    try {
      engine
          .getJsonHandler()
          .writeJsonFileAtomically(file, Utils.toCloseableIterator(actions.iterator()), false);
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(
          StorageErrorCode.DELTA_COMMIT_CONFLICT,
          "commit to table "
              + table
              + " conflicts with a concurrent commit of version "
              + version
              + "; nothing was written, run the statement again",
          e);
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot write commit " + version + " of table " + table + ": " + e.getMessage(),
          e);
    }
    return version;
  }

  /**
   * The protocol with {@code allowColumnDefaults} among its writer features: a legacy protocol
   * (writer version below 7) becomes writer version 7 listing the features its version implied.
   */
  static Protocol withFeature(Protocol protocol) {
    if (protocol.getMinWriterVersion() >= 7) {
      return protocol.withFeature(TableFeatures.ALLOW_COLUMN_DEFAULTS_W_FEATURE);
    }
    java.util.Set<String> writerFeatures = new java.util.TreeSet<>();
    for (io.delta.kernel.internal.tablefeatures.TableFeature f :
        protocol.getImplicitlyAndExplicitlySupportedFeatures()) {
      writerFeatures.add(f.featureName());
    }
    writerFeatures.add(TableFeatures.ALLOW_COLUMN_DEFAULTS_W_FEATURE.featureName());
    return new Protocol(
        protocol.getMinReaderVersion(), 7, protocol.getReaderFeatures(), writerFeatures);
  }

  /** Kernel's schema with each named top-level column's default put into its metadata. */
  private static StructType withDefaults(StructType schema, Map<String, String> defaults) {
    List<StructField> fields = new ArrayList<>();
    for (StructField field : schema.fields()) {
      String value = defaults.get(field.getName().toLowerCase(Locale.ROOT));
      if (value != null) {
        field =
            field.withNewMetadata(
                FieldMetadata.builder()
                    .fromMetadata(field.getMetadata())
                    .putString(KernelTypeMapper.CURRENT_DEFAULT_KEY, value)
                    .build());
      }
      fields.add(field);
    }
    return new StructType(fields);
  }

  private static Map<String, String> defaults(TableSchema schema) {
    return schema.columns().stream()
        .filter(c -> c.defaultValue().isPresent())
        .collect(
            Collectors.toMap(
                c -> c.name().toLowerCase(Locale.ROOT), c -> c.defaultValue().orElseThrow()));
  }
}
