package io.aquifer.storage.delta;

import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.commit.CommitFailedException;
import io.delta.kernel.commit.CommitMetadata;
import io.delta.kernel.commit.CommitResponse;
import io.delta.kernel.commit.Committer;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Commits of column {@code DEFAULT}s (and, at CREATE TABLE, generation expressions) in Delta's form
 * ({@code CURRENT_DEFAULT} field metadata and the {@code allowColumnDefaults} writer feature),
 * which Delta Kernel 4.4 refuses to write itself unless the table is also IcebergCompatV3: a CREATE
 * TABLE goes through Kernel without the defaults and its protocol and metaData actions get them on
 * the way to the log; a change of a default, or switching the feature on, is a metadata-only commit
 * written by {@link DeltaLogWriter} with the schema and protocol made here. Data commits to such
 * tables go through Kernel as any other.
 */
final class ColumnDefaultsCommits {
  private ColumnDefaultsCommits() {}

  /** The schema without defaults and generation expressions: what Kernel is given. */
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
   * A committer for CREATE TABLE that adds the features to the protocol action and the schema's
   * defaults and generation expressions to the metaData action Kernel made.
   */
  static Committer creating(Committer delegate, TableSchema schema) {
    Map<String, String> defaults = defaults(schema);
    Map<String, String> generated = generationExpressions(schema);
    return new Committer() {
      @Override
      public CommitResponse commit(
          Engine engine, CloseableIterator<Row> actions, CommitMetadata commitMetadata)
          throws CommitFailedException {
        return delegate.commit(
            engine, actions.map(a -> rewrite(a, defaults, generated)), commitMetadata);
      }
    };
  }

  private static Row rewrite(
      Row action, Map<String, String> defaults, Map<String, String> generated) {
    if (!action.isNullAt(SingleAction.PROTOCOL_ORDINAL)) {
      Protocol protocol = Protocol.fromRow(action.getStruct(SingleAction.PROTOCOL_ORDINAL));
      if (!defaults.isEmpty()) {
        protocol = withFeature(protocol);
      }
      if (!generated.isEmpty()) {
        protocol = GeneratedColumnsFeature.withFeature(protocol);
      }
      return SingleAction.createProtocolSingleAction(protocol.toRow());
    }
    if (!action.isNullAt(SingleAction.METADATA_ORDINAL)) {
      Metadata metadata = Metadata.fromRow(action.getStruct(SingleAction.METADATA_ORDINAL));
      StructType schema = metadata.getSchema();
      schema = withMetadata(schema, KernelTypeMapper.CURRENT_DEFAULT_KEY, defaults);
      schema = withMetadata(schema, KernelTypeMapper.GENERATION_EXPRESSION_KEY, generated);
      return SingleAction.createMetadataSingleAction(metadata.withNewSchema(schema).toRow());
    }
    return action;
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

  /** Kernel's schema with each named top-level column's value of {@code key} in its metadata. */
  private static StructType withMetadata(
      StructType schema, String key, Map<String, String> values) {
    if (values.isEmpty()) {
      return schema;
    }
    List<StructField> fields = new ArrayList<>();
    for (StructField field : schema.fields()) {
      String value = values.get(field.getName().toLowerCase(Locale.ROOT));
      if (value != null) {
        field =
            field.withNewMetadata(
                FieldMetadata.builder()
                    .fromMetadata(field.getMetadata())
                    .putString(key, value)
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

  private static Map<String, String> generationExpressions(TableSchema schema) {
    return schema.columns().stream()
        .filter(c -> c.generationExpression().isPresent())
        .collect(
            Collectors.toMap(
                c -> c.name().toLowerCase(Locale.ROOT),
                c -> c.generationExpression().orElseThrow()));
  }
}
