package io.aquifer.storage.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Column DEFAULT values in the Delta log, in Delta's form. */
class KernelColumnDefaultsTest {
  private static final TableSchema SCHEMA =
      new TableSchema(
          List.of(
              Column.of("id", PrimitiveType.INT),
              new Column(
                  "status",
                  PrimitiveType.STRING,
                  true,
                  "status",
                  Optional.empty(),
                  Optional.of("'new'"))));

  private final KernelDeltaTables tables = new KernelDeltaTables();
  @TempDir Path dir;

  @Test
  void aDefaultNeedsTheTableFeature() {
    URI location = dir.resolve("t").toUri();
    StorageException e =
        assertThrows(
            StorageException.class,
            () -> tables.create(location, SCHEMA, List.of(), Map.of(), List.of()));
    assertEquals(StorageErrorCode.WRONG_COLUMN_DEFAULTS_FOR_DELTA_FEATURE_NOT_ENABLED, e.code());
  }

  @Test
  void theDefaultIsKeptAsCurrentDefaultMetadata() throws Exception {
    URI location = dir.resolve("t").toUri();
    DeltaSnapshot created =
        tables.create(
            location,
            SCHEMA,
            List.of(),
            Map.of(ColumnDefaultsFeature.PROPERTY, "supported"),
            List.of());
    String log =
        Files.readString(Path.of(location).resolve("_delta_log/00000000000000000000.json"));
    assertTrue(log.contains("\\\"CURRENT_DEFAULT\\\":\\\"'new'\\\""), log);
    assertTrue(log.contains("allowColumnDefaults"), log);
    assertEquals(Optional.of("'new'"), created.schema().column("status").get().defaultValue(), log);
    assertTrue(tables.tableFeatures(location).contains(ColumnDefaultsFeature.NAME));
    assertEquals(
        1, tables.alter(location, new TableChange.SetColumnDefault("id", Optional.of("42"))));
    assertEquals(
        Optional.of("42"), tables.latest(location).schema().column("id").get().defaultValue());
    String alter =
        Files.readString(Path.of(location).resolve("_delta_log/00000000000000000001.json"));
    assertTrue(alter.contains("\"operation\":\"CHANGE COLUMN\""), alter);
    assertTrue(alter.contains("\\\"CURRENT_DEFAULT\\\":\\\"42\\\""), alter);
    tables.alter(location, new TableChange.SetColumnDefault("status", Optional.empty()));
    assertEquals(
        Optional.empty(), tables.latest(location).schema().column("status").get().defaultValue());
    assertEquals("CHANGE COLUMN", tables.history(location).get(0).operation());
  }

  @Test
  void switchingTheFeatureOnUpgradesTheProtocol() throws Exception {
    URI location = dir.resolve("plain").toUri();
    tables.create(
        location, ColumnDefaultsCommits.withoutDefaults(SCHEMA), List.of(), Map.of(), List.of());
    assertTrue(!tables.tableFeatures(location).contains(ColumnDefaultsFeature.NAME));
    StorageException refused =
        assertThrows(
            StorageException.class,
            () -> tables.alter(location, new TableChange.SetColumnDefault("id", Optional.of("1"))));
    assertEquals(
        StorageErrorCode.WRONG_COLUMN_DEFAULTS_FOR_DELTA_FEATURE_NOT_ENABLED, refused.code());
    tables.alter(
        location,
        new TableChange.SetProperties(Map.of(ColumnDefaultsFeature.PROPERTY, "supported")));
    assertTrue(tables.tableFeatures(location).contains(ColumnDefaultsFeature.NAME));
    String log =
        Files.readString(Path.of(location).resolve("_delta_log/00000000000000000001.json"));
    assertTrue(log.contains("\"writerFeatures\":["), log);
    assertTrue(log.contains("allowColumnDefaults"), log);
    tables.alter(location, new TableChange.SetColumnDefault("id", Optional.of("1")));
    assertEquals(
        Optional.of("1"), tables.latest(location).schema().column("id").get().defaultValue());
  }
}
