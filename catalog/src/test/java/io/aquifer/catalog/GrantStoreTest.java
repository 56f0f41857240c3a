package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrantStoreTest {
  @TempDir Path dir;
  private CatalogDatabase database;
  private CatalogStore store;
  private GrantStore grants;

  @BeforeEach
  void open() {
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    store = CatalogStore.open(database, "admin");
    grants = store.grants();
    new PrincipalStore(database).createUser("Bob", false);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private List<String> on(Securable s) {
    return grants.grantsOn(s).stream()
        .map(g -> g.principal() + ":" + g.privilege().sqlName())
        .toList();
  }

  @Test
  void grantsAndRevokesPerPrincipalAndPrivilege() {
    Securable schema = Securable.schema("main", "default");
    grants.grant(schema, "BOB", List.of(Privilege.USE_SCHEMA, Privilege.SELECT), "admin");
    grants.grant(schema, "bob", List.of(Privilege.SELECT), "admin"); // held already: no change
    grants.grant(schema, GrantStore.ACCOUNT_USERS, List.of(Privilege.BROWSE), "admin");
    assertEquals(List.of("account users:BROWSE", "bob:SELECT", "bob:USE SCHEMA"), on(schema));
    assertEquals(3, grants.grantsTo("bob").size());
    grants.revoke(schema, "bob", List.of(Privilege.SELECT));
    assertEquals(List.of("account users:BROWSE", "bob:USE SCHEMA"), on(schema));
    grants.revoke(schema, "bob", List.of(Privilege.ALL_PRIVILEGES));
    assertEquals(List.of("account users:BROWSE"), on(schema));
  }

  @Test
  void metastoreAndVolumeGrantsKeepTheirTypeAndGoWithTheVolume() {
    store.createSchema("main", "s", "admin", Optional.empty(), false);
    store
        .volumes()
        .create(
            "main",
            "s",
            "v",
            VolumeKind.MANAGED,
            "admin",
            Optional.empty(),
            dir.resolve("v").toUri().toString(),
            false);
    // a table of the volume's name keeps its grants apart
    Securable volume = Securable.volume("main", "s", "v");
    Securable table = Securable.table(new TableName("main", "s", "v"));
    grants.grant(Securable.metastore(), "bob", List.of(Privilege.CREATE_CATALOG), "admin");
    grants.grant(volume, "bob", List.of(Privilege.READ_VOLUME), "admin");
    grants.grant(table, "bob", List.of(Privilege.SELECT), "admin");
    assertEquals(List.of("bob:CREATE CATALOG"), on(Securable.metastore()));
    assertEquals(List.of("bob:READ VOLUME"), on(volume));
    assertEquals(List.of("bob:SELECT"), on(table));
    assertEquals(List.of(), on(Securable.catalog("main")));
    assertEquals(
        List.of("metastore:CREATE CATALOG", "table main.s.v:SELECT", "volume main.s.v:READ VOLUME"),
        grants.grantsTo("bob").stream()
            .map(g -> g.securable() + ":" + g.privilege().sqlName())
            .toList());

    store.volumes().drop("main", "s", "v");
    assertEquals(List.of(), on(volume));
    assertEquals(List.of("bob:SELECT"), on(table));
    grants.revoke(Securable.metastore(), "bob", List.of(Privilege.CREATE_CATALOG));
    assertEquals(List.of(), on(Securable.metastore()));
  }

  @Test
  void unknownPrincipalsAreRefused() {
    CatalogException e =
        assertThrows(
            CatalogException.class,
            () -> grants.grant(Securable.catalog("main"), "carol", List.of(Privilege.SELECT), "a"));
    assertEquals(CATALOG_OBJECT_NOT_FOUND, e.code());
    assertTrue(grants.grantsOn(Securable.catalog("main")).isEmpty());
  }

  @Test
  void grantsGoWithTheirObjectAndFollowARename() {
    store.createSchema("main", "s", "admin", Optional.empty(), false);
    TableName v = new TableName("main", "s", "v");
    store.createView(
        new TableDefinition(
            v,
            TableKind.VIEW,
            "admin",
            Optional.empty(),
            Optional.empty(),
            Optional.of(new ViewDefinition("SELECT 1", "main", "s")),
            java.util.Map.of()),
        false);
    grants.grant(Securable.table(v), "bob", List.of(Privilege.SELECT), "admin");
    grants.grant(Securable.schema("main", "s"), "bob", List.of(Privilege.USE_SCHEMA), "admin");
    TableName w = new TableName("main", "s", "w");
    store.renameTable(v, w);
    assertTrue(on(Securable.table(v)).isEmpty());
    assertEquals(List.of("bob:SELECT"), on(Securable.table(w)));
    store.dropSchema("main", "s", false, true);
    assertTrue(grants.grantsTo("bob").isEmpty());
    // a new object of the same name starts with no grants
    store.createSchema("main", "s", "admin", Optional.empty(), false);
    assertTrue(on(Securable.schema("main", "s")).isEmpty());
  }

  @Test
  void functionGrantsAreApartFromTheGrantsOfATableOfTheSameNameAndGoWithTheFunction() {
    store.createSchema("main", "s", "admin", Optional.empty(), false);
    TableName name = new TableName("main", "s", "f");
    store.functions().create(name, List.of(), "INT", "1", "admin", Optional.empty(), false, false);
    Securable function = Securable.function(name);
    Securable table = Securable.table(name);
    grants.grant(function, "bob", List.of(Privilege.EXECUTE, Privilege.ALL_PRIVILEGES), "admin");
    grants.grant(table, "bob", List.of(Privilege.ALL_PRIVILEGES), "admin");
    assertEquals(List.of("bob:ALL PRIVILEGES", "bob:EXECUTE"), on(function));
    assertEquals(List.of("bob:ALL PRIVILEGES"), on(table));
    assertEquals(
        List.of(
            "FUNCTION main.s.f ALL PRIVILEGES",
            "FUNCTION main.s.f EXECUTE",
            "TABLE main.s.f ALL PRIVILEGES"),
        grants.grantsTo("bob").stream()
            .map(
                g ->
                    g.securable().type()
                        + " "
                        + g.securable().fullName()
                        + " "
                        + g.privilege().sqlName())
            .sorted()
            .toList());
    grants.revoke(table, "bob", List.of(Privilege.ALL_PRIVILEGES));
    assertEquals(List.of("bob:ALL PRIVILEGES", "bob:EXECUTE"), on(function));
    assertTrue(on(table).isEmpty());
    assertTrue(store.functions().drop(name));
    assertTrue(on(function).isEmpty());
  }
}
