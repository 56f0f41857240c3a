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

/** Generated columns in the Delta log, in Delta's form; their commits written by DeltaLogWriter. */
class KernelGeneratedColumnsTest {
  private static final TableSchema SCHEMA =
      new TableSchema(
          List.of(
              Column.of("a", PrimitiveType.INT),
              new Column(
                  "b",
                  PrimitiveType.INT,
                  true,
                  "b",
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of("a * 2"))));

  private final KernelDeltaTables tables = new KernelDeltaTables();
  @TempDir Path dir;

  private static String log(URI location, long version) throws Exception {
    return Files.readString(
        Path.of(location).resolve(String.format("_delta_log/%020d.json", version)));
  }

  @Test
  void theExpressionIsKeptAsGenerationExpressionMetadataWithWriterVersionFour() throws Exception {
    URI location = dir.resolve("t").toUri();
    DeltaSnapshot created = tables.create(location, SCHEMA, List.of(), Map.of(), List.of());
    String log = log(location, 0);
    assertTrue(log.contains("\\\"delta.generationExpression\\\":\\\"a * 2\\\""), log);
    assertTrue(log.contains("\"minWriterVersion\":4"), log);
    assertEquals(
        Optional.of("a * 2"), created.schema().column("b").get().generationExpression(), log);
    assertEquals(Optional.empty(), created.schema().column("a").get().generationExpression());
    assertTrue(tables.tableFeatures(location).contains("generatedColumns"));
  }

  @Test
  void commitsToTheTableAreWrittenByDeltaLogWriter() throws Exception {
    URI location = dir.resolve("t").toUri();
    tables.create(location, SCHEMA, List.of(), Map.of(), List.of());
    long version =
        tables.commit(
            location,
            new CommitRequest(0, "WRITE", Map.of("mode", "Append"), List.of(), List.of(), false));
    assertEquals(1, version);
    String commit = log(location, 1);
    assertTrue(commit.contains("\"operation\":\"WRITE\""), commit);
    assertTrue(commit.contains("\"engineInfo\":\"Aquifer\""), commit);
    assertEquals(
        Optional.of("a * 2"),
        tables.latest(location).schema().column("b").get().generationExpression());
  }

  @Test
  void withColumnDefaultsTheProtocolListsBothFeatures() throws Exception {
    URI location = dir.resolve("t").toUri();
    TableSchema schema =
        new TableSchema(
            List.of(
                new Column(
                    "a",
                    PrimitiveType.INT,
                    true,
                    "a",
                    Optional.empty(),
                    Optional.of("1"),
                    Optional.empty()),
                SCHEMA.columns().get(1)));
    tables.create(
        location,
        schema,
        List.of(),
        Map.of(ColumnDefaultsFeature.PROPERTY, "supported"),
        List.of());
    String log = log(location, 0);
    assertTrue(log.contains("\"minWriterVersion\":7"), log);
    assertTrue(
        tables
            .tableFeatures(location)
            .containsAll(List.of("generatedColumns", "allowColumnDefaults")));
    assertEquals(
        1, tables.alter(location, new TableChange.SetColumnDefault("a", Optional.of("2"))));
    String alter = log(location, 1);
    assertTrue(alter.contains("\\\"delta.generationExpression\\\":\\\"a * 2\\\""), alter);
    assertTrue(alter.contains("\"isBlindAppend\":false"), alter);
  }

  @Test
  void replacingWithGeneratedColumnsIsRefused() {
    URI location = dir.resolve("t").toUri();
    tables.create(
        location, ColumnDefaultsCommits.withoutDefaults(SCHEMA), List.of(), Map.of(), List.of());
    StorageException e =
        assertThrows(
            StorageException.class,
            () ->
                tables.commit(
                    location,
                    new CommitRequest(
                        0,
                        "CREATE OR REPLACE TABLE",
                        Map.of(),
                        List.of(),
                        List.of(),
                        false,
                        Optional.of(new TableReplacement(SCHEMA, List.of(), Map.of())))));
    assertEquals(StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL, e.code());
  }
}
