package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_EMPTY;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static io.aquifer.catalog.CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS;
import static io.aquifer.catalog.CatalogStoreTest.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoPhaseTableProtocolTest {
  @TempDir Path dir;
  private CatalogDatabase database;
  private CatalogStore store;
  private final TableName orders = new TableName("main", "default", "orders");
  private final TableDefinition ordersDefinition =
      TableDefinition.managed(orders, "alice", "file:/warehouse/orders")
          .withProperties(Map.of("delta.minReaderVersion", "1"));

  @BeforeEach
  void open() {
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    store = CatalogStore.open(database, "admin");
  }

  @AfterEach
  void close() {
    database.close();
  }

  /** Closing without the second phase is what a crash leaves behind. */
  private void crashAndReopen() {
    database.close();
    open();
  }

  @Test
  void creatingTableIsInvisibleHoldsItsNameAndSurvivesACrash() {
    TableInfo begun = store.beginCreateTable(ordersDefinition, false).orElseThrow();
    assertCreatingInvisible();

    crashAndReopen();
    assertCreatingInvisible();
    assertEquals(
        List.of(new PendingTableOperation(TableState.CREATING, begun)),
        store.pendingTableOperations());

    // Recovery may finish the create when the Delta table is complete ...
    TableInfo committed = store.commitCreateTable(orders);
    assertEquals(Optional.of(committed), store.getTable(orders));
    assertEquals(Map.of("delta.minReaderVersion", "1"), committed.properties());
    assertEquals(List.of(), store.pendingTableOperations());
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "no table main.default.orders is creating (it is ACTIVE)",
        () -> store.commitCreateTable(orders));
  }

  private void assertCreatingInvisible() {
    assertEquals(Optional.empty(), store.getTable(orders));
    assertEquals(List.of(), store.listTables("main", "default"));
    assertFails(
        TABLE_OR_VIEW_ALREADY_EXISTS,
        "main.default.orders already exists (it is being created)",
        () -> store.beginCreateTable(TableDefinition.managed(orders, "bob", "file:/other"), true));
    assertFails(
        TABLE_OR_VIEW_ALREADY_EXISTS,
        "being created",
        () ->
            store.createView(
                TableDefinition.view(
                    orders, "bob", new ViewDefinition("SELECT 1", "main", "default")),
                true));
    assertFails(CATALOG_OBJECT_NOT_FOUND, "not found", () -> store.beginDropTable(orders, false));
    assertFails(
        CATALOG_OBJECT_NOT_EMPTY,
        "schema main.default is not empty",
        () -> store.dropSchema("main", "default", false, false));
  }

  @Test
  void abortedCreateFreesTheName() throws Exception {
    store.beginCreateTable(ordersDefinition, false);
    crashAndReopen();
    // ... or roll it back: the caller deletes the directory, then the row.
    store.abortCreateTable(orders);
    assertEquals(List.of(), store.pendingTableOperations());
    database.close();
    assertEquals(
        List.of("0"),
        SqliteFiles.query(dir.resolve("catalog.db"), "SELECT count(*) FROM table_properties"),
        "properties go with the row");
    open();
    store.beginCreateTable(ordersDefinition, false);
    store.commitCreateTable(orders);
    assertTrue(store.getTable(orders).isPresent());
    assertFails(CATALOG_OBJECT_NOT_FOUND, "is creating", () -> store.abortCreateTable(orders));
  }

  @Test
  void droppingTableIsInvisibleHoldsItsNameAndSurvivesACrash() {
    store.beginCreateTable(ordersDefinition, false);
    TableInfo active = store.commitCreateTable(orders);

    TableInfo dropping = store.beginDropTable(orders, false).orElseThrow();
    assertEquals("file:/warehouse/orders", dropping.location().orElseThrow());
    assertEquals(active.definition(), dropping.definition());
    assertDroppingInvisible();

    crashAndReopen();
    assertDroppingInvisible();
    List<PendingTableOperation> pending = store.pendingTableOperations();
    assertEquals(List.of(new PendingTableOperation(TableState.DROPPING, dropping)), pending);
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "is creating (it is DROPPING)",
        () -> store.commitCreateTable(orders));

    store.finishDropTable(orders);
    assertEquals(List.of(), store.pendingTableOperations());
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "no table main.default.orders is dropping",
        () -> store.finishDropTable(orders));
    store.beginCreateTable(ordersDefinition, false);
    store.commitCreateTable(orders);
    assertTrue(store.getTable(orders).isPresent(), "the name is free after the drop");
  }

  private void assertDroppingInvisible() {
    assertEquals(Optional.empty(), store.getTable(orders));
    assertEquals(List.of(), store.listTables("main", "default"));
    assertEquals(Optional.empty(), store.beginDropTable(orders, true));
    assertFails(
        TABLE_OR_VIEW_ALREADY_EXISTS,
        "main.default.orders is being dropped",
        () -> store.beginCreateTable(ordersDefinition, true));
  }

  @Test
  void cascadeDuringCreateTurnsTheCreateIntoADrop() {
    store.createSchema("main", "staging", "bob", Optional.empty(), false);
    TableName staged = new TableName("main", "staging", "t");
    store.beginCreateTable(TableDefinition.managed(staged, "bob", "file:/staged"), false);
    List<TableInfo> dropping = store.dropSchema("main", "staging", false, true);
    assertEquals(List.of(staged), dropping.stream().map(TableInfo::name).toList());
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "no table main.staging.t is creating (it is DROPPING)",
        () -> store.commitCreateTable(staged));
    assertEquals(TableState.DROPPING, store.pendingTableOperations().get(0).state());
    store.finishDropTable(staged);
    assertEquals(List.of(), store.pendingTableOperations());
  }
}
