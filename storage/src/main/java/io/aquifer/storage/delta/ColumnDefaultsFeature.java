package io.aquifer.storage.delta;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.TableSchema;
import io.delta.kernel.Snapshot;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import java.util.Locale;
import java.util.Map;

/**
 * Delta's {@code allowColumnDefaults} writer feature: a column may have a {@code DEFAULT} only on a
 * table whose protocol supports it, which a statement asks for with the table property {@code
 * delta.feature.allowColumnDefaults = 'supported'} (as on Databricks, where a DEFAULT without it
 * fails with {@code WRONG_COLUMN_DEFAULTS_FOR_DELTA_FEATURE_NOT_ENABLED}).
 */
public final class ColumnDefaultsFeature {
  /** The feature's name in a protocol's writer features. */
  public static final String NAME = "allowColumnDefaults";

  static final String PROPERTY = "delta.feature.allowColumnDefaults";

  private ColumnDefaultsFeature() {}

  /** Whether any top-level column has a default. */
  static boolean hasDefaults(TableSchema schema) {
    return schema.columns().stream().anyMatch(c -> c.defaultValue().isPresent());
  }

  /** Whether the table properties of a new table ask for the feature. */
  static boolean requested(Map<String, String> properties) {
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (e.getKey().equalsIgnoreCase(PROPERTY)) {
        String value = e.getValue().toLowerCase(Locale.ROOT);
        return value.equals("supported") || value.equals("enabled");
      }
    }
    return false;
  }

  /** Whether the protocol of a table's version supports the feature. */
  static boolean supported(Snapshot snapshot) {
    return ((SnapshotImpl) snapshot)
        .getProtocol()
        .getImplicitlyAndExplicitlySupportedFeatures()
        .contains(TableFeatures.ALLOW_COLUMN_DEFAULTS_W_FEATURE);
  }

  /** The names of the features the protocol of a table's version supports. */
  static java.util.Set<String> features(Snapshot snapshot) {
    return ((SnapshotImpl) snapshot)
        .getProtocol().getImplicitlyAndExplicitlySupportedFeatures().stream()
            .map(io.delta.kernel.internal.tablefeatures.TableFeature::featureName)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** The error of a DEFAULT on a table without the feature (public for the gateway's check). */
  public static StorageException notEnabled(String command, Object table) {
    return new StorageException(
        StorageErrorCode.WRONG_COLUMN_DEFAULTS_FOR_DELTA_FEATURE_NOT_ENABLED,
        "Failed to execute "
            + command
            + " command because it assigned a column DEFAULT value, but the corresponding table"
            + " feature was not enabled. Please retry the command again after executing ALTER"
            + " TABLE tableName SET TBLPROPERTIES('"
            + PROPERTY
            + "' = 'supported'). (table "
            + table
            + ")");
  }
}
