package io.aquifer.storage.delta;

import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.tablefeatures.TableFeatures;

/**
 * Delta's {@code generatedColumns} writer feature: a column whose field metadata holds {@code
 * delta.generationExpression}. Delta Kernel 4.4 reads such tables but refuses to write them, so
 * their CREATE TABLE gets the expressions on its way to the log ({@link ColumnDefaultsCommits}) and
 * every later commit is written by {@link DeltaLogWriter}; the gateway computes the values.
 */
final class GeneratedColumnsFeature {
  private GeneratedColumnsFeature() {}

  /** Whether any top-level column is generated. */
  static boolean hasGenerated(TableSchema schema) {
    return schema.columns().stream().anyMatch(c -> c.generationExpression().isPresent());
  }

  /** Whether a version's metadata has a generated column. */
  static boolean hasGenerated(Metadata metadata) {
    return TableFeatures.hasGeneratedColumns(metadata);
  }

  /**
   * The protocol with {@code generatedColumns}, as Delta upgrades it: a legacy protocol below
   * writer version 4 becomes writer version 4 (which implies the feature, and {@code
   * checkConstraints} with it), a table-features protocol lists it.
   */
  static Protocol withFeature(Protocol protocol) {
    if (protocol
        .getImplicitlyAndExplicitlySupportedFeatures()
        .contains(TableFeatures.GENERATED_COLUMNS_W_FEATURE)) {
      return protocol;
    }
    if (protocol.getMinWriterVersion() >= 7) {
      return protocol.withFeature(TableFeatures.GENERATED_COLUMNS_W_FEATURE);
    }
    return new Protocol(
        protocol.getMinReaderVersion(),
        4,
        protocol.getReaderFeatures(),
        protocol.getWriterFeatures());
  }
}
