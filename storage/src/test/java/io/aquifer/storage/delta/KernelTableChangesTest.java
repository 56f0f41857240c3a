package io.aquifer.storage.delta;

import static io.aquifer.storage.types.PrimitiveType.BIGINT;
import static io.aquifer.storage.types.PrimitiveType.INT;
import static io.aquifer.storage.types.PrimitiveType.STRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata changes commit once each, keep column mapping ids, and are named in the history. */
class KernelTableChangesTest {
  @TempDir Path dir;
  private final KernelDeltaTables tables = new KernelDeltaTables();

  private URI table(String name, Map<String, String> properties) {
    URI location = dir.resolve(name).toUri();
    tables.create(
        location,
        new TableSchema(List.of(Column.of("id", INT), Column.of("name", STRING))),
        List.of(),
        properties,
        List.of());
    return location;
  }

  @Test
  void schemaChangesUnderColumnMapping() {
    URI location =
        table(
            "mapped",
            Map.of("delta.columnMapping.mode", "name", "delta.enableTypeWidening", "true"));
    String idPhysical = tables.latest(location).schema().column("id").orElseThrow().physicalName();
    tables.alter(
        location,
        new TableChange.AddColumns(
            List.of(
                new Column("price", INT, true, "price", Optional.of("in cents")),
                Column.of("tag", STRING))));
    tables.alter(location, new TableChange.RenameColumn("ID", "order_id"));
    tables.alter(location, new TableChange.DropColumns(List.of("tag")));
    tables.alter(
        location,
        new TableChange.ChangeColumn(
            "price", Optional.of(BIGINT), Optional.of("in euro cents"), Optional.empty()));
    TableSchema schema = tables.latest(location).schema();
    assertEquals(
        List.of("order_id", "name", "price"), schema.columns().stream().map(Column::name).toList());
    assertEquals(idPhysical, schema.column("order_id").orElseThrow().physicalName());
    assertEquals(BIGINT, schema.column("price").orElseThrow().type());
    assertEquals(Optional.of("in euro cents"), schema.column("price").orElseThrow().comment());
    List<String> operations =
        tables.history(location).stream().map(HistoryEntry::operation).toList();
    assertEquals(
        List.of("CHANGE COLUMN", "DROP COLUMNS", "RENAME COLUMN", "ADD COLUMNS", "CREATE TABLE"),
        operations);
  }

  @Test
  void propertiesAreSetAndUnset() {
    URI location = table("props", Map.of());
    tables.alter(location, new TableChange.SetProperties(Map.of("owner.team", "sales")));
    assertEquals("sales", tables.properties(location).get("owner.team"));
    tables.alter(location, new TableChange.UnsetProperties(Set.of("owner.team")));
    assertTrue(!tables.properties(location).containsKey("owner.team"));
    // Column mapping can be switched on for an existing table, then its columns renamed.
    tables.alter(
        location, new TableChange.SetProperties(Map.of("delta.columnMapping.mode", "name")));
    tables.alter(location, new TableChange.RenameColumn("name", "label"));
    assertTrue(tables.latest(location).schema().column("label").isPresent());
    // A column dropped and added again under its name is a new column with new data.
    tables.alter(location, new TableChange.AddColumns(List.of(Column.of("tag", STRING))));
    String first = tables.latest(location).schema().column("tag").orElseThrow().physicalName();
    tables.alter(location, new TableChange.DropColumns(List.of("tag")));
    tables.alter(location, new TableChange.AddColumns(List.of(Column.of("tag", STRING))));
    String second = tables.latest(location).schema().column("tag").orElseThrow().physicalName();
    assertTrue(!first.equals(second) && !second.equals("tag"), first + " / " + second);
  }

  @Test
  void kernelRefusesSchemaChangesWithoutColumnMapping() {
    URI location = table("plain", Map.of());
    long before = tables.latest(location).version();
    StorageException e =
        assertThrows(
            StorageException.class,
            () -> tables.alter(location, new TableChange.RenameColumn("name", "label")));
    assertEquals(StorageErrorCode.DELTA_CHANGE_REJECTED, e.code());
    assertEquals(before, tables.latest(location).version());
  }
}
