package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_ALREADY_EXISTS;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_EMPTY;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_WRONG_KIND;
import static io.aquifer.catalog.CatalogErrorCode.INVALID_OBJECT_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class CatalogStoreTest {
  @TempDir Path dir;
  private final MutableClock clock =
      new MutableClock(Instant.parse("2025-01-02T03:04:05.123456789Z"));
  private CatalogDatabase database;
  private CatalogStore store;

  @BeforeEach
  void open() {
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    store = CatalogStore.open(database, "admin", clock);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private void reopen() {
    database.close();
    open();
  }

  static void assertFails(CatalogErrorCode code, String messagePart, Executable call) {
    CatalogException e = assertThrows(CatalogException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(messagePart), "message: " + e.getMessage());
  }

  private TableName name(String text) {
    String[] parts = text.split("\\.");
    return new TableName(parts[0], parts[1], parts[2]);
  }

  private TableInfo createTable(String text) {
    TableName table = name(text);
    store.beginCreateTable(TableDefinition.managed(table, "alice", "file:/data/" + table), false);
    return store.commitCreateTable(table);
  }

  @Test
  void firstOpenCreatesMainDefaultOnlyOnce() {
    assertEquals(List.of("main"), store.listCatalogs().stream().map(CatalogInfo::name).toList());
    SchemaInfo schema = store.getSchema("main", "default").orElseThrow();
    assertEquals("admin", schema.owner());
    assertEquals("admin", store.getCatalog("main").orElseThrow().owner());
    assertEquals(List.of(), store.listTables("main", "default"));

    store.dropCatalog("main", false, true);
    reopen();
    assertEquals(List.of(), store.listCatalogs(), "dropped defaults stay dropped");
  }

  @Test
  void reopenKeepsDefaultsWithoutDuplicating() {
    CatalogInfo main = store.getCatalog("main").orElseThrow();
    clock.advance(Duration.ofHours(1));
    reopen();
    assertEquals(List.of(main), store.listCatalogs());
    assertEquals(1, store.listSchemas("main").size());
  }

  @Test
  void catalogCrud() {
    CatalogInfo created = store.createCatalog("Sales", "bob", Optional.of("Revenue"), false);
    assertEquals(
        new CatalogInfo(
            "sales",
            "bob",
            Optional.of("Revenue"),
            Instant.parse("2025-01-02T03:04:05.123456Z"),
            Instant.parse("2025-01-02T03:04:05.123456Z")),
        created);
    assertEquals(Optional.of(created), store.getCatalog("SALES"));
    assertEquals(
        List.of("main", "sales"), store.listCatalogs().stream().map(CatalogInfo::name).toList());

    assertFails(
        CATALOG_OBJECT_ALREADY_EXISTS,
        "catalog sales already exists",
        () -> store.createCatalog("sAlEs", "carol", Optional.empty(), false));
    assertEquals(created, store.createCatalog("sales", "carol", Optional.empty(), true));

    assertEquals(List.of(), store.dropCatalog("SALES", false, false));
    assertEquals(Optional.empty(), store.getCatalog("sales"));
    assertFails(
        CATALOG_OBJECT_NOT_FOUND, "catalog sales", () -> store.dropCatalog("sales", false, false));
    assertEquals(List.of(), store.dropCatalog("sales", true, false));
  }

  @Test
  void schemaCrud() {
    SchemaInfo created = store.createSchema("MAIN", "Finance", "bob", Optional.empty(), false);
    assertEquals("main.finance", created.fullName());
    assertEquals(Optional.of(created), store.getSchema("main", "FINANCE"));
    assertEquals(
        List.of("default", "finance"),
        store.listSchemas("Main").stream().map(SchemaInfo::name).toList());
    assertFails(
        CatalogErrorCode.SCHEMA_ALREADY_EXISTS,
        "schema main.finance already exists",
        () -> store.createSchema("main", "finance", "bob", Optional.empty(), false));
    assertEquals(created, store.createSchema("main", "finance", "carol", Optional.empty(), true));
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "catalog nope not found",
        () -> store.createSchema("nope", "x", "bob", Optional.empty(), false));
    assertFails(CATALOG_OBJECT_NOT_FOUND, "catalog nope", () -> store.listSchemas("nope"));

    store.dropSchema("main", "finance", false, false);
    assertEquals(Optional.empty(), store.getSchema("main", "finance"));
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "schema main.finance not found",
        () -> store.dropSchema("main", "finance", false, false));
    assertEquals(List.of(), store.dropSchema("main", "finance", true, false));
    assertEquals(List.of(), store.dropSchema("nope", "finance", true, false));
  }

  @Test
  void nonEmptyCatalogAndSchemaNeedCascade() {
    store.createCatalog("c", "bob", Optional.empty(), false);
    store.createSchema("c", "s", "bob", Optional.empty(), false);
    createTable("c.s.t");
    assertFails(
        CATALOG_OBJECT_NOT_EMPTY,
        "catalog c is not empty",
        () -> store.dropCatalog("c", false, false));
    assertFails(
        CATALOG_OBJECT_NOT_EMPTY,
        "schema c.s is not empty",
        () -> store.dropSchema("c", "s", false, false));
    assertTrue(store.getTable(name("c.s.t")).isPresent(), "failed drops change nothing");

    store.beginDropTable(name("c.s.t"), false);
    store.finishDropTable(name("c.s.t"));
    store.dropSchema("c", "s", false, false);
    store.dropCatalog("c", false, false);
    assertEquals(Optional.empty(), store.getCatalog("c"));
  }

  @Test
  void cascadeDropsViewsAndLeavesTablesDropping() {
    store.createCatalog("c", "bob", Optional.empty(), false);
    store.createSchema("c", "s1", "bob", Optional.empty(), false);
    store.createSchema("c", "s2", "bob", Optional.empty(), false);
    store.beginCreateTable(
        TableDefinition.managed(name("c.s1.a"), "bob", "file:/a")
            .withProperties(Map.of("old", "1")),
        false);
    store.commitCreateTable(name("c.s1.a"));
    createTable("c.s2.b");
    store.createView(
        TableDefinition.view(
            name("c.s1.v"), "bob", new ViewDefinition("SELECT * FROM a", "c", "s1")),
        false);
    createTable("main.default.untouched");

    List<TableInfo> dropping = store.dropCatalog("C", false, true);
    assertEquals(
        List.of(name("c.s1.a"), name("c.s2.b")), dropping.stream().map(TableInfo::name).toList());
    assertEquals(Optional.empty(), store.getCatalog("c"));
    assertEquals(Optional.empty(), store.getTable(name("c.s1.a")));
    assertEquals(
        List.of(name("c.s1.a"), name("c.s2.b")),
        store.pendingTableOperations().stream().map(p -> p.table().name()).toList());
    assertTrue(
        store.pendingTableOperations().stream().allMatch(p -> p.state() == TableState.DROPPING));
    assertTrue(store.getTable(name("main.default.untouched")).isPresent());

    // The catalog's name is free again, the dropped table names are held until the drops finish.
    store.createCatalog("c", "carol", Optional.empty(), false);
    store.createSchema("c", "s1", "carol", Optional.empty(), false);
    assertFails(
        CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS,
        "c.s1.a is being dropped",
        () ->
            store.beginCreateTable(
                TableDefinition.managed(name("c.s1.a"), "carol", "file:/x"), false));
    store.finishDropTable(name("c.s1.a"));
    store.finishDropTable(name("c.s2.b"));
    assertEquals(List.of(), store.pendingTableOperations());
    createTable("c.s1.a");
    assertEquals(
        Map.of(), store.getTable(name("c.s1.a")).orElseThrow().properties(), "no leftovers");
  }

  @Test
  void schemaCascade() {
    store.createSchema("main", "s", "bob", Optional.empty(), false);
    createTable("main.s.t");
    store.createView(
        TableDefinition.view(name("main.s.v"), "bob", new ViewDefinition("SELECT 1", "main", "s")),
        false);
    List<TableInfo> dropping = store.dropSchema("main", "s", false, true);
    assertEquals(List.of(name("main.s.t")), dropping.stream().map(TableInfo::name).toList());
    assertEquals(Optional.empty(), store.getSchema("main", "s"));
    store.createSchema("main", "s", "bob", Optional.empty(), false);
    assertEquals(List.of(), store.listTables("main", "s"), "the view went with its schema");
  }

  @Test
  void tablesAreCaseInsensitiveAndKeepTheirDefinition() {
    TableDefinition definition =
        TableDefinition.external(name("Main.Default.Orders"), "alice", "s3://bucket/Orders")
            .withComment("all orders")
            .withProperties(Map.of("delta.appendOnly", "true", "Owner.Team", "Sales"));
    TableInfo begun = store.beginCreateTable(definition, false).orElseThrow();
    clock.advance(Duration.ofSeconds(5));
    TableInfo table = store.commitCreateTable(name("MAIN.default.orders"));

    assertEquals(name("main.default.orders"), table.name());
    assertEquals("s3://bucket/Orders", table.location().orElseThrow(), "locations keep their case");
    assertEquals(begun.createdAt(), table.createdAt());
    assertEquals(begun.createdAt().plusSeconds(5), table.updatedAt());
    assertEquals(Optional.of(table), store.getTable(name("main.DEFAULT.ORDERS")));
    reopen();
    TableInfo reread = store.getTable(name("main.default.orders")).orElseThrow();
    assertEquals(table, reread);
    assertEquals(TableKind.EXTERNAL, reread.kind());
    assertEquals(Optional.of("all orders"), reread.comment());
    assertEquals(Map.of("delta.appendOnly", "true", "Owner.Team", "Sales"), reread.properties());
    assertEquals(List.of(reread), store.listTables("Main", "Default"));
  }

  @Test
  void tableErrors() {
    createTable("main.default.t");
    assertFails(
        CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS,
        "table main.default.t already exists",
        () ->
            store.beginCreateTable(
                TableDefinition.managed(name("main.DEFAULT.T"), "a", "file:/y"), false));
    assertEquals(
        Optional.empty(),
        store.beginCreateTable(
            TableDefinition.managed(name("main.default.t"), "a", "file:/y"), true),
        "IF NOT EXISTS on an existing table does nothing");
    assertEquals(
        "file:/data/main.default.t",
        store.getTable(name("main.default.t")).orElseThrow().location().orElseThrow());

    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "schema main.nope not found",
        () ->
            store.beginCreateTable(
                TableDefinition.managed(name("main.nope.t"), "a", "file:/y"), false));
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "catalog nope not found",
        () ->
            store.beginCreateTable(
                TableDefinition.managed(name("nope.default.t"), "a", "file:/y"), false));
    assertFails(
        CATALOG_OBJECT_NOT_FOUND, "schema main.nope", () -> store.listTables("main", "nope"));
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "table main.default.missing not found",
        () -> store.beginDropTable(name("main.default.missing"), false));
    assertEquals(Optional.empty(), store.beginDropTable(name("main.default.missing"), true));
    assertEquals(Optional.empty(), store.getTable(name("main.default.missing")));
  }

  @Test
  void invalidNamesAreRejected() {
    assertFails(
        INVALID_OBJECT_NAME,
        "must not be empty",
        () -> store.createCatalog("", "a", Optional.empty(), false));
    assertFails(
        INVALID_OBJECT_NAME,
        "must not contain '.'",
        () -> store.createSchema("main", "a.b", "a", Optional.empty(), false));
    assertFails(
        INVALID_OBJECT_NAME, "control characters", () -> new TableName("main", "default", "t\n"));
    assertFails(INVALID_OBJECT_NAME, "limit is 255", () -> store.getCatalog("x".repeat(256)));
    assertEquals(
        "x".repeat(255), store.createCatalog("X".repeat(255), "a", Optional.empty(), false).name());
    assertFails(
        INVALID_OBJECT_NAME,
        "owner",
        () -> store.createCatalog("ok", " ", Optional.empty(), false));
    // Unicode names are fine and lower-cased.
    assertEquals("ümlaut", store.createCatalog("ÜMLAUT", "a", Optional.empty(), false).name());
  }

  @Test
  void viewsStoreTheirSqlAndCurrentSchema() {
    store.createSchema("main", "reports", "bob", Optional.empty(), false);
    ViewDefinition sql = new ViewDefinition("SELECT id FROM orders", "Main", "Sales");
    TableInfo view =
        store.createView(
            TableDefinition.view(name("main.reports.V"), "bob", sql).withComment("first"), false);
    assertEquals(
        new ViewDefinition("SELECT id FROM orders", "main", "sales"), view.view().orElseThrow());
    assertEquals(Optional.empty(), view.location());
    reopen();
    assertEquals(Optional.of(view), store.getTable(name("main.reports.v")));

    assertFails(
        CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS,
        "view main.reports.v already exists",
        () -> store.createView(TableDefinition.view(name("main.reports.v"), "carol", sql), false));

    clock.advance(Duration.ofMinutes(1));
    TableInfo replaced =
        store.createView(
            TableDefinition.view(
                    name("main.reports.v"),
                    "carol",
                    new ViewDefinition("SELECT 2", "main", "default"))
                .withProperties(Map.of("k", "v")),
            true);
    assertEquals("SELECT 2", replaced.view().orElseThrow().sql());
    assertEquals("bob", replaced.owner(), "OR REPLACE keeps the owner");
    assertEquals(Optional.empty(), replaced.comment());
    assertEquals(view.createdAt(), replaced.createdAt());
    assertEquals(view.createdAt().plus(Duration.ofMinutes(1)), replaced.updatedAt());
    assertEquals(Optional.of(replaced), store.getTable(name("main.reports.v")));

    assertTrue(store.dropView(name("main.REPORTS.v"), false));
    assertEquals(Optional.empty(), store.getTable(name("main.reports.v")));
    assertFalse(store.dropView(name("main.reports.v"), true));
    assertFails(
        CATALOG_OBJECT_NOT_FOUND,
        "view main.reports.v not found",
        () -> store.dropView(name("main.reports.v"), false));
    // OR REPLACE with no view there simply creates it.
    store.createView(TableDefinition.view(name("main.reports.v"), "carol", sql), true);
    assertEquals("carol", store.getTable(name("main.reports.v")).orElseThrow().owner());
  }

  @Test
  void tablesAndViewsShareOneNamespace() {
    createTable("main.default.t");
    store.createView(
        TableDefinition.view(
            name("main.default.v"), "bob", new ViewDefinition("SELECT 1", "main", "default")),
        false);
    ViewDefinition sql = new ViewDefinition("SELECT 1", "main", "default");
    assertFails(
        CATALOG_OBJECT_WRONG_KIND,
        "is a table",
        () -> store.createView(TableDefinition.view(name("main.default.t"), "bob", sql), true));
    assertFails(
        CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS,
        "table main.default.t already exists",
        () -> store.createView(TableDefinition.view(name("main.default.t"), "bob", sql), false));
    assertFails(
        CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS,
        "view main.default.v already exists",
        () ->
            store.beginCreateTable(
                TableDefinition.managed(name("main.default.v"), "a", "file:/v"), false));
    assertFails(
        CATALOG_OBJECT_WRONG_KIND,
        "use DROP TABLE",
        () -> store.dropView(name("main.default.t"), true));
    assertFails(
        CATALOG_OBJECT_WRONG_KIND,
        "use DROP VIEW",
        () -> store.beginDropTable(name("main.default.v"), true));
    assertEquals(2, store.listTables("main", "default").size());
  }

  @Test
  void definitionsCheckTheirKind() {
    TableName t = name("main.default.t");
    assertThrows(IllegalArgumentException.class, () -> TableDefinition.managed(t, "a", " "));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TableDefinition(
                t,
                TableKind.VIEW,
                "a",
                Optional.empty(),
                Optional.of("file:/x"),
                Optional.of(new ViewDefinition("SELECT 1", "main", "default")),
                Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> store.createView(TableDefinition.managed(t, "a", "file:/x"), false));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            store.beginCreateTable(
                TableDefinition.view(t, "a", new ViewDefinition("SELECT 1", "main", "default")),
                false));
  }
}
