package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.catalog.CatalogInfo;
import com.databricks.sdk.service.catalog.ColumnInfo;
import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.catalog.CreateSchema;
import com.databricks.sdk.service.catalog.CreateTableRequest;
import com.databricks.sdk.service.catalog.CreateVolumeRequestContent;
import com.databricks.sdk.service.catalog.DataSourceFormat;
import com.databricks.sdk.service.catalog.DeleteSchemaRequest;
import com.databricks.sdk.service.catalog.GetPermissionsResponse;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import com.databricks.sdk.service.catalog.ListFunctionsRequest;
import com.databricks.sdk.service.catalog.ListSchemasRequest;
import com.databricks.sdk.service.catalog.ListTablesRequest;
import com.databricks.sdk.service.catalog.ListVolumesRequest;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.PrivilegeAssignment;
import com.databricks.sdk.service.catalog.TableType;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import com.databricks.sdk.service.catalog.UpdateSchema;
import com.databricks.sdk.service.catalog.VolumeInfo;
import com.databricks.sdk.service.catalog.VolumeType;
import io.aquifer.conformance.ConformanceServer;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.ApiException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unity Catalog 2.1's changing calls through Databricks' Java SDK (databricks-sdk-java 0.141.0):
 * catalogs, schemas, tables, volumes and permissions, each checked by reading back what changed,
 * with a non-admin user whose view of the catalog follows the grants.
 */
class DatabricksUnityCatalogWritesTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static WorkspaceClient admin;
  private static WorkspaceClient bob;
  private static ApiClient unityCatalog;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    String host = server.server().databricksRest().baseUrl();
    admin = new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(server.token()));
    String token = SdkUsers.createUserWithToken(dataDirectory, "bob@example.com", "uc writes test");
    bob = new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(token));
    URI uri = URI.create(host);
    unityCatalog =
        new ApiClient()
            .setScheme(uri.getScheme())
            .setHost(uri.getHost())
            .setPort(uri.getPort())
            .setBasePath("/api/2.1/unity-catalog")
            .setRequestInterceptor(b -> b.header("Authorization", "Bearer " + server.token()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Set<String> catalogs(WorkspaceClient client) {
    Set<String> names = new TreeSet<>();
    for (CatalogInfo c : client.catalogs().list(new ListCatalogsRequest())) {
      names.add(c.getName());
    }
    return names;
  }

  private static List<String> privileges(GetPermissionsResponse response, String principal) {
    List<String> out = new ArrayList<>();
    if (response.getPrivilegeAssignments() != null) {
      for (PrivilegeAssignment a : response.getPrivilegeAssignments()) {
        if (a.getPrincipal().equals(principal)) {
          a.getPrivileges().forEach(p -> out.add(p.name()));
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Grants ({@code add}) or revokes privileges of bob on an object through the permissions API. */
  private static void changeBob(
      String securableType, String fullName, boolean add, List<Privilege> privileges) {
    PermissionsChange change = new PermissionsChange().setPrincipal("bob@example.com");
    admin
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType(securableType)
                .setFullName(fullName)
                .setChanges(
                    List.of(add ? change.setAdd(privileges) : change.setRemove(privileges))));
  }

  @Test
  void catalogsSchemasAndGrantsChangeThroughTheSdk() throws Exception {
    CatalogInfo created =
        admin.catalogs().create(new CreateCatalog().setName("sales").setComment("it's \\ ours"));
    assertEquals("sales", created.getName());
    assertTrue(catalogs(admin).contains("sales"));
    assertFalse(catalogs(bob).contains("sales"), "bob has no grant on it: absent");
    admin
        .schemas()
        .create(new CreateSchema().setCatalogName("sales").setName("q1").setComment("first"));
    com.databricks.sdk.service.catalog.SchemaInfo q1 = admin.schemas().get("sales.q1");
    assertEquals("sales.q1", q1.getFullName());
    assertEquals("admin", q1.getOwner());
    assertEquals("first", q1.getComment());
    assertTrue(q1.getCreatedAt() > 1_700_000_000_000L, "created_at in ms: " + q1.getCreatedAt());
    CatalogInfo sales = admin.catalogs().get("sales");
    assertEquals("admin", sales.getOwner());
    assertEquals("it's \\ ours", sales.getComment());
    assertTrue(
        sales.getCreatedAt() > 1_700_000_000_000L, "created_at in ms: " + sales.getCreatedAt());
    assertTrue(sales.getCreatedAt() <= q1.getCreatedAt(), "the catalog came first");
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE sales.q1.orders AS SELECT 1 AS id");
      s.execute("ALTER TABLE sales.q1.orders SET TBLPROPERTIES ('team' = 'east')");
      s.execute("CREATE TABLE sales.q1.scratch AS SELECT 2 AS id");
    }

    changeBob("catalog", "sales", true, List.of(Privilege.USE_CATALOG));
    changeBob("schema", "sales.q1", true, List.of(Privilege.USE_SCHEMA, Privilege.SELECT));
    assertEquals(
        List.of("USE_CATALOG"),
        privileges(admin.grants().get("catalog", "sales"), "bob@example.com"));
    assertEquals(
        List.of("SELECT", "USE_SCHEMA"),
        privileges(admin.grants().get("schema", "sales.q1"), "bob@example.com"));
    assertTrue(catalogs(bob).contains("sales"), "granted: visible");
    com.databricks.sdk.service.catalog.TableInfo orders = bob.tables().get("sales.q1.orders");
    assertEquals("orders", orders.getName());
    assertEquals("admin", orders.getOwner());
    assertTrue(
        orders.getStorageLocation().startsWith(ConformanceServer.managedLocationScheme()),
        orders.getStorageLocation());
    assertTrue(
        orders.getCreatedAt() > 1_700_000_000_000L, "created_at in ms: " + orders.getCreatedAt());
    assertEquals(
        "east", orders.getProperties().get("team"), "properties: " + orders.getProperties());

    // Bob may not drop what he does not own; once the schema is his, he may.
    DatabricksError denied =
        assertThrows(DatabricksError.class, () -> bob.tables().delete("sales.q1.scratch"));
    assertEquals(403, denied.getStatusCode());
    assertEquals("PERMISSION_DENIED", denied.getErrorCode());
    assertTrue(admin.tables().exists("sales.q1.scratch").getTableExists(), "nothing changed");
    admin.tables().delete("sales.q1.scratch");
    assertFalse(admin.tables().exists("sales.q1.scratch").getTableExists());

    changeBob("schema", "sales.q1", false, List.of(Privilege.SELECT));
    assertEquals(
        List.of("USE_SCHEMA"),
        privileges(admin.grants().get("schema", "sales.q1"), "bob@example.com"));

    admin.schemas().update(new UpdateSchema().setFullName("sales.q1").setOwner("bob@example.com"));
    bob.schemas().delete(new DeleteSchemaRequest().setFullName("sales.q1").setForce(true));
    assertFalse(
        admin.tables().exists("sales.q1.orders").getTableExists(), "dropped with its tables");

    admin.catalogs().delete("sales");
    assertFalse(catalogs(admin).contains("sales"));
  }

  /** basic-decimal-table of the Delta golden tables, copied below the default external location. */
  private static Path externalDeltaTable(String name) throws java.io.IOException {
    Path golden =
        Path.of(
            System.getProperty("aquifer.fixtures"), "delta-golden", "basic-decimal-table", "delta");
    Path copy = dataDirectory.resolve("external").resolve(name);
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(golden)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = copy.resolve(golden.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(p, target);
        }
      }
    }
    return copy;
  }

  private static ColumnInfo column(String name, String type, int position) {
    return new ColumnInfo().setName(name).setTypeText(type).setPosition((long) position);
  }

  @Test
  void externalTablesAreRegisteredThroughTheSdk() throws Exception {
    admin.catalogs().create(new CreateCatalog().setName("lake"));
    admin.schemas().create(new CreateSchema().setCatalogName("lake").setName("ext"));
    Path location = externalDeltaTable("decimals");

    // Columns that differ from the Delta schema: refused, nothing registered.
    DatabricksError mismatch =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .tables()
                    .create(
                        new CreateTableRequest()
                            .setCatalogName("lake")
                            .setSchemaName("ext")
                            .setName("decimals")
                            .setTableType(TableType.EXTERNAL)
                            .setDataSourceFormat(DataSourceFormat.DELTA)
                            .setStorageLocation(location.toString())
                            .setColumns(List.of(column("part", "int", 0)))));
    assertEquals(400, mismatch.getStatusCode(), mismatch.getMessage());
    assertFalse(admin.tables().exists("lake.ext.decimals").getTableExists(), "nothing changed");

    // MANAGED through this call is refused, as Databricks refuses it from outside its compute.
    DatabricksError managed =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .tables()
                    .create(
                        new CreateTableRequest()
                            .setCatalogName("lake")
                            .setSchemaName("ext")
                            .setName("made")
                            .setTableType(TableType.MANAGED)
                            .setDataSourceFormat(DataSourceFormat.DELTA)));
    assertEquals(400, managed.getStatusCode());
    assertEquals("INVALID_PARAMETER_VALUE", managed.getErrorCode());
    assertFalse(admin.tables().exists("lake.ext.made").getTableExists(), "nothing changed");

    com.databricks.sdk.service.catalog.TableInfo created =
        admin
            .tables()
            .create(
                new CreateTableRequest()
                    .setCatalogName("lake")
                    .setSchemaName("ext")
                    .setName("decimals")
                    .setTableType(TableType.EXTERNAL)
                    .setDataSourceFormat(DataSourceFormat.DELTA)
                    .setStorageLocation(location.toString())
                    .setColumns(
                        List.of(
                            column("part", "decimal(12,5)", 0),
                            column("col1", "decimal(5,2)", 1),
                            column("col2", "decimal(10,5)", 2),
                            column("col3", "decimal(20,10)", 3))));
    assertEquals("lake.ext.decimals", created.getFullName());
    assertEquals(TableType.EXTERNAL, created.getTableType());
    assertEquals(DataSourceFormat.DELTA, created.getDataSourceFormat());
    assertEquals("admin", created.getOwner());
    assertEquals(location.toRealPath().toUri().toString(), created.getStorageLocation());
    List<String> names = new ArrayList<>();
    created.getColumns().forEach(c -> names.add(c.getName() + " " + c.getTypeText()));
    assertEquals(
        List.of(
            "part decimal(12,5)", "col1 decimal(5,2)", "col2 decimal(10,5)", "col3 decimal(20,10)"),
        names);
    assertEquals(TableType.EXTERNAL, admin.tables().get("lake.ext.decimals").getTableType());

    admin.tables().delete("lake.ext.decimals");
    assertFalse(admin.tables().exists("lake.ext.decimals").getTableExists());
    assertTrue(
        java.nio.file.Files.isDirectory(location.resolve("_delta_log")),
        "an external table's data stays when it is dropped");
    admin
        .catalogs()
        .delete(
            new com.databricks.sdk.service.catalog.DeleteCatalogRequest()
                .setName("lake")
                .setForce(true));
  }

  @Test
  void volumesAreCreatedListedReadAndDeleted() {
    admin.catalogs().create(new CreateCatalog().setName("landing"));
    admin.schemas().create(new CreateSchema().setCatalogName("landing").setName("raw"));
    VolumeInfo created =
        admin
            .volumes()
            .create(
                new CreateVolumeRequestContent()
                    .setCatalogName("landing")
                    .setSchemaName("raw")
                    .setName("drops")
                    .setVolumeType(VolumeType.MANAGED)
                    .setComment("uploads"));
    assertEquals("landing.raw.drops", created.getFullName());
    assertEquals(VolumeType.MANAGED, created.getVolumeType());
    assertEquals("admin", created.getOwner());
    assertEquals("uploads", created.getComment());
    List<String> names = new ArrayList<>();
    admin.volumes().list("landing", "raw").forEach(v -> names.add(v.getName()));
    assertEquals(List.of("drops"), names);
    assertEquals("drops", admin.volumes().read("landing.raw.drops").getName());

    admin.volumes().delete("landing.raw.drops");
    DatabricksError gone =
        assertThrows(DatabricksError.class, () -> admin.volumes().read("landing.raw.drops"));
    assertEquals(404, gone.getStatusCode());
  }

  @Test
  void sqlFunctionsAreListedAndRead() throws Exception {
    admin.catalogs().create(new CreateCatalog().setName("fx"));
    admin.schemas().create(new CreateSchema().setCatalogName("fx").setName("lib"));
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE FUNCTION fx.lib.scaled(x DECIMAL(10, 2), label STRING) RETURNS DECIMAL(12, 2)"
              + " COMMENT 'times two' RETURN x * 2");
    }
    List<String> names = new ArrayList<>();
    admin.functions().list("fx", "lib").forEach(f -> names.add(f.getFullName()));
    assertEquals(List.of("fx.lib.scaled"), names, "only the schema's SQL functions");
    com.databricks.sdk.service.catalog.FunctionInfo f = admin.functions().get("fx.lib.scaled");
    assertEquals("scaled", f.getName());
    assertEquals("admin", f.getOwner());
    assertEquals("times two", f.getComment());
    assertEquals("x * 2", f.getRoutineDefinition());
    assertEquals(
        com.databricks.sdk.service.catalog.FunctionInfoRoutineBody.SQL, f.getRoutineBody());
    List<String> parameters = new ArrayList<>();
    f.getInputParams()
        .getParameters()
        .forEach(p -> parameters.add(p.getPosition() + ":" + p.getName() + " " + p.getTypeText()));
    assertEquals(List.of("0:x DECIMAL(10, 2)", "1:label STRING"), parameters);
    DatabricksError builtIn =
        assertThrows(DatabricksError.class, () -> admin.functions().get("fx.lib.upper"));
    assertEquals(404, builtIn.getStatusCode());
  }

  @Test
  void badRequestsFailWithDatabricksErrorsAndChangeNothing() {
    DatabricksError notAdmin =
        assertThrows(
            DatabricksError.class, () -> bob.catalogs().create(new CreateCatalog().setName("x")));
    assertEquals(403, notAdmin.getStatusCode());
    assertFalse(catalogs(admin).contains("x"));

    DatabricksError unsupported =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .catalogs()
                    .create(new CreateCatalog().setName("y").setStorageRoot("s3://elsewhere/")));
    assertEquals(400, unsupported.getStatusCode());
    assertEquals("INVALID_PARAMETER_VALUE", unsupported.getErrorCode());
    assertTrue(unsupported.getMessage().contains("storage_root"), unsupported.getMessage());
    assertFalse(catalogs(admin).contains("y"));

    DatabricksError missing =
        assertThrows(DatabricksError.class, () -> admin.catalogs().delete("nowhere"));
    assertEquals(404, missing.getStatusCode());
    assertEquals("CATALOG_DOES_NOT_EXIST", missing.getErrorCode());

    DatabricksError securable =
        assertThrows(DatabricksError.class, () -> admin.grants().get("warehouse", "main"));
    assertEquals(400, securable.getStatusCode());

    DatabricksError unknownPrincipal =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .grants()
                    .update(
                        new UpdatePermissions()
                            .setSecurableType("catalog")
                            .setFullName("main")
                            .setChanges(
                                List.of(
                                    new PermissionsChange()
                                        .setPrincipal("nobody@example.com")
                                        .setAdd(List.of(Privilege.USE_CATALOG))))));
    assertTrue(unknownPrincipal.getStatusCode() >= 400 && unknownPrincipal.getStatusCode() < 500);
    assertEquals(
        List.of(), privileges(admin.grants().get("catalog", "main"), "nobody@example.com"));
  }

  @Test
  void listingsCarryWhatGetsCarryOnePageAtATime() throws Exception {
    admin.catalogs().create(new CreateCatalog().setName("inv").setComment("inventory"));
    admin.catalogs().create(new CreateCatalog().setName("inv2"));
    admin.schemas().create(new CreateSchema().setCatalogName("inv").setName("s").setComment("x"));
    admin.schemas().create(new CreateSchema().setCatalogName("inv").setName("t"));
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE inv.s.items (id BIGINT) TBLPROPERTIES ('team' = 'ops')");
      s.execute("CREATE VIEW inv.s.v AS SELECT id FROM inv.s.items");
      s.execute("CREATE FUNCTION inv.s.twice(x INT) RETURNS INT RETURN x * 2");
      s.execute("CREATE FUNCTION inv.s.thrice(x INT) RETURNS INT RETURN x * 3");
    }
    Path location = externalDeltaTable("stock");
    admin
        .tables()
        .create(
            new CreateTableRequest()
                .setCatalogName("inv")
                .setSchemaName("s")
                .setName("stock")
                .setTableType(TableType.EXTERNAL)
                .setDataSourceFormat(DataSourceFormat.DELTA)
                .setStorageLocation(location.toString())
                .setProperties(Map.of("source", "golden")));
    for (String v : List.of("drop1", "drop2")) {
      admin
          .volumes()
          .create(
              new CreateVolumeRequestContent()
                  .setCatalogName("inv")
                  .setSchemaName("s")
                  .setName(v)
                  .setVolumeType(VolumeType.MANAGED));
    }

    // Pages of one: the SDK follows next_page_token; every listed object equals what get gives.
    Map<String, CatalogInfo> catalogs = new LinkedHashMap<>();
    admin
        .catalogs()
        .list(new ListCatalogsRequest().setMaxResults(1L))
        .forEach(c -> catalogs.put(c.getName(), c));
    assertTrue(catalogs.keySet().containsAll(List.of("inv", "inv2", "main")), catalogs.toString());
    CatalogInfo inv = catalogs.get("inv");
    assertEquals(admin.catalogs().get("inv"), inv);
    assertEquals("admin", inv.getOwner());
    assertEquals("inventory", inv.getComment());
    assertTrue(inv.getCreatedAt() > 1_700_000_000_000L, "created_at: " + inv.getCreatedAt());
    assertNotNull(inv.getUpdatedAt());

    List<com.databricks.sdk.service.catalog.SchemaInfo> schemas = new ArrayList<>();
    admin
        .schemas()
        .list(new ListSchemasRequest().setCatalogName("inv").setMaxResults(1L))
        .forEach(schemas::add);
    assertEquals(
        List.of("inv.s", "inv.t"),
        schemas.stream().map(x -> x.getFullName()).filter(n -> !n.contains("default")).toList());
    for (var schema : schemas) {
      assertEquals(admin.schemas().get(schema.getFullName()), schema);
      assertEquals("admin", schema.getOwner());
      assertNotNull(schema.getCreatedAt());
      assertNotNull(schema.getUpdatedAt());
    }

    List<com.databricks.sdk.service.catalog.TableInfo> tables = new ArrayList<>();
    admin
        .tables()
        .list(new ListTablesRequest().setCatalogName("inv").setSchemaName("s").setMaxResults(1L))
        .forEach(tables::add);
    assertEquals(
        List.of("items:MANAGED", "stock:EXTERNAL", "v:VIEW"),
        tables.stream().map(t -> t.getName() + ":" + t.getTableType()).toList());
    for (var t : tables) {
      assertEquals(admin.tables().get(t.getFullName()), t, "listed as get gives it");
      assertEquals("admin", t.getOwner());
      assertTrue(t.getCreatedAt() > 1_700_000_000_000L, t.getName() + " " + t.getCreatedAt());
      assertTrue(t.getUpdatedAt() >= t.getCreatedAt(), t.getName() + " " + t.getUpdatedAt());
    }
    assertEquals("ops", tables.get(0).getProperties().get("team"));
    assertTrue(
        tables.get(0).getStorageLocation().startsWith(ConformanceServer.managedLocationScheme()));
    assertEquals("golden", tables.get(1).getProperties().get("source"), "stored from POST");
    assertEquals(location.toRealPath().toUri().toString(), tables.get(1).getStorageLocation());
    assertNull(tables.get(2).getStorageLocation(), "a view has no location");

    List<VolumeInfo> volumes = new ArrayList<>();
    admin
        .volumes()
        .list(new ListVolumesRequest().setCatalogName("inv").setSchemaName("s").setMaxResults(1L))
        .forEach(volumes::add);
    assertEquals(List.of("drop1", "drop2"), volumes.stream().map(VolumeInfo::getName).toList());
    for (VolumeInfo v : volumes) {
      assertEquals(admin.volumes().read(v.getFullName()), v);
      assertEquals("admin", v.getOwner());
    }

    List<com.databricks.sdk.service.catalog.FunctionInfo> functions = new ArrayList<>();
    admin
        .functions()
        .list(new ListFunctionsRequest().setCatalogName("inv").setSchemaName("s").setMaxResults(1L))
        .forEach(functions::add);
    assertEquals(
        List.of("inv.s.thrice", "inv.s.twice"),
        functions.stream().map(f -> f.getFullName()).toList());
    for (var f : functions) {
      assertEquals(admin.functions().get(f.getFullName()), f);
    }

    DatabricksError negative =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .tables()
                    .list(
                        new ListTablesRequest()
                            .setCatalogName("inv")
                            .setSchemaName("s")
                            .setMaxResults(-1L))
                    .iterator()
                    .hasNext());
    assertEquals(400, negative.getStatusCode());
    assertEquals("INVALID_PARAMETER_VALUE", negative.getErrorCode());
  }

  @Test
  void unityCatalogClientCreatesListsAndDeletes() throws Exception {
    var catalogs = new io.unitycatalog.client.api.CatalogsApi(unityCatalog);
    var schemas = new io.unitycatalog.client.api.SchemasApi(unityCatalog);
    var tables = new io.unitycatalog.client.api.TablesApi(unityCatalog);
    var volumes = new io.unitycatalog.client.api.VolumesApi(unityCatalog);

    var catalog =
        catalogs.createCatalog(
            new io.unitycatalog.client.model.CreateCatalog().name("oss").comment("from oss"));
    assertEquals("oss", catalog.getName());
    assertEquals("from oss", catalog.getComment());
    assertEquals("admin", catalog.getOwner());
    for (String name : List.of("b", "a")) {
      assertEquals(
          "oss." + name,
          schemas
              .createSchema(
                  new io.unitycatalog.client.model.CreateSchema().name(name).catalogName("oss"))
              .getFullName());
    }
    var firstSchemas = schemas.listSchemas("oss", 1, null);
    assertEquals(1, firstSchemas.getSchemas().size());
    assertNotNull(firstSchemas.getNextPageToken());
    List<String> schemaNames = new ArrayList<>();
    firstSchemas.getSchemas().forEach(x -> schemaNames.add(x.getName()));
    String token = firstSchemas.getNextPageToken();
    while (token != null) {
      var page = schemas.listSchemas("oss", 1, token);
      page.getSchemas().forEach(x -> schemaNames.add(x.getName()));
      token = page.getNextPageToken();
    }
    assertTrue(schemaNames.containsAll(List.of("a", "b")), schemaNames.toString());
    assertEquals(schemaNames.stream().sorted().toList(), schemaNames, "in name order");

    Path location = externalDeltaTable("oss_decimals");
    List<io.unitycatalog.client.model.ColumnInfo> columns = new ArrayList<>();
    String[][] declared = {
      {"part", "decimal(12,5)"}, {"col1", "decimal(5,2)"},
      {"col2", "decimal(10,5)"}, {"col3", "decimal(20,10)"}
    };
    for (int i = 0; i < declared.length; i++) {
      columns.add(
          new io.unitycatalog.client.model.ColumnInfo()
              .name(declared[i][0])
              .typeText(declared[i][1])
              .typeName(io.unitycatalog.client.model.ColumnTypeName.DECIMAL)
              .position(i)
              .nullable(true));
    }
    var created =
        tables.createTable(
            new io.unitycatalog.client.model.CreateTable()
                .name("decimals")
                .catalogName("oss")
                .schemaName("a")
                .tableType(io.unitycatalog.client.model.TableType.EXTERNAL)
                .dataSourceFormat(io.unitycatalog.client.model.DataSourceFormat.DELTA)
                .storageLocation(location.toString())
                .columns(columns)
                .comment("golden")
                .properties(Map.of("team", "lake", "tier", "gold")));
    assertEquals(io.unitycatalog.client.model.TableType.EXTERNAL, created.getTableType());
    var got = tables.getTable("oss.a.decimals", false, false);
    assertEquals("lake", got.getProperties().get("team"), "properties: " + got.getProperties());
    assertEquals("gold", got.getProperties().get("tier"));
    assertEquals("golden", got.getComment());
    assertEquals(
        List.of("part", "col1", "col2", "col3"),
        got.getColumns().stream().map(c -> c.getName()).toList());
    assertEquals(location.toRealPath().toUri().toString(), got.getStorageLocation());

    // Properties that cannot be set fail the call as a whole: nothing stays registered.
    Path again = externalDeltaTable("oss_again");
    ApiException badProperty =
        assertThrows(
            ApiException.class,
            () ->
                tables.createTable(
                    new io.unitycatalog.client.model.CreateTable()
                        .name("again")
                        .catalogName("oss")
                        .schemaName("a")
                        .tableType(io.unitycatalog.client.model.TableType.EXTERNAL)
                        .dataSourceFormat(io.unitycatalog.client.model.DataSourceFormat.DELTA)
                        .storageLocation(again.toString())
                        .properties(Map.of("delta.noSuchProperty", "x"))));
    assertTrue(
        badProperty.getCode() >= 400 && badProperty.getCode() < 500, badProperty.getMessage());
    assertEquals(
        List.of("decimals"),
        tables.listTables("oss", "a", 10, null).getTables().stream()
            .map(t -> t.getName())
            .toList());

    for (String name : List.of("v2", "v1")) {
      var v =
          volumes.createVolume(
              new io.unitycatalog.client.model.CreateVolumeRequestContent()
                  .catalogName("oss")
                  .schemaName("a")
                  .name(name)
                  .volumeType(io.unitycatalog.client.model.VolumeType.MANAGED));
      assertEquals("oss.a." + name, v.getFullName());
    }
    var firstVolumes = volumes.listVolumes("oss", "a", 1, null);
    assertEquals(List.of("v1"), firstVolumes.getVolumes().stream().map(v -> v.getName()).toList());
    var secondVolumes = volumes.listVolumes("oss", "a", 1, firstVolumes.getNextPageToken());
    assertEquals(List.of("v2"), secondVolumes.getVolumes().stream().map(v -> v.getName()).toList());
    assertNull(secondVolumes.getNextPageToken(), "the last page");

    volumes.deleteVolume("oss.a.v1");
    assertEquals(
        404, assertThrows(ApiException.class, () -> volumes.getVolume("oss.a.v1")).getCode());
    tables.deleteTable("oss.a.decimals");
    assertEquals(
        404,
        assertThrows(ApiException.class, () -> tables.getTable("oss.a.decimals", false, false))
            .getCode());
    assertTrue(
        java.nio.file.Files.isDirectory(location.resolve("_delta_log")),
        "an external table's data stays");
    schemas.deleteSchema("oss.b", false);
    // Aquifer's DROP CATALOG ... CASCADE refuses a catalog that still holds volumes.
    volumes.deleteVolume("oss.a.v2");
    catalogs.deleteCatalog("oss", true);
    assertEquals(404, assertThrows(ApiException.class, () -> catalogs.getCatalog("oss")).getCode());
  }

  @Test
  void effectivePermissionsIncludeInheritedOnes() throws Exception {
    admin.catalogs().create(new CreateCatalog().setName("eff"));
    admin.schemas().create(new CreateSchema().setCatalogName("eff").setName("s"));
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE eff.s.t AS SELECT 1 AS id");
    }
    changeBob("catalog", "eff", true, List.of(Privilege.USE_CATALOG));
    changeBob("schema", "eff.s", true, List.of(Privilege.USE_SCHEMA, Privilege.SELECT));
    changeBob("table", "eff.s.t", true, List.of(Privilege.MODIFY));

    com.databricks.sdk.service.catalog.EffectivePermissionsList effective =
        admin
            .grants()
            .getEffective(
                new com.databricks.sdk.service.catalog.GetEffectiveRequest()
                    .setSecurableType("table")
                    .setFullName("eff.s.t")
                    .setPrincipal("bob@example.com"));
    List<String> held = new ArrayList<>();
    for (var assignment : effective.getPrivilegeAssignments()) {
      assertEquals("bob@example.com", assignment.getPrincipal());
      for (var p : assignment.getPrivileges()) {
        held.add(
            p.getPrivilege() + " " + p.getInheritedFromType() + " " + p.getInheritedFromName());
      }
    }
    held.sort(null);
    assertEquals(
        List.of(
            "MODIFY null null",
            "SELECT SCHEMA eff.s",
            "USE_CATALOG CATALOG eff",
            "USE_SCHEMA SCHEMA eff.s"),
        held);
    assertEquals(
        List.of("MODIFY"),
        privileges(admin.grants().get("table", "eff.s.t"), "bob@example.com"),
        "the permissions API lists only what was granted on the table itself");
    assertEquals(
        List.of(),
        admin.grants().getEffective("catalog", "eff").getPrivilegeAssignments().stream()
            .filter(a -> !a.getPrincipal().equals("bob@example.com"))
            .toList(),
        "only bob holds privileges on eff");

    DatabricksError missing =
        assertThrows(
            DatabricksError.class, () -> admin.grants().getEffective("table", "eff.s.nope"));
    assertEquals(404, missing.getStatusCode());
  }
}
