package io.aquifer.gateway.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.GrantStore;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.catalog.Privilege;
import io.aquifer.catalog.Securable;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.GatewayException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The privilege rules over a real catalog database. */
class AccessControlTest {
  @TempDir Path dir;
  private CatalogDatabase database;
  private CatalogStore catalog;
  private GrantStore grants;
  private final TableName orders = new TableName("main", "sales", "orders");

  @BeforeEach
  void open() {
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    catalog = CatalogStore.open(database, "admin");
    grants = catalog.grants();
    PrincipalStore principals = new PrincipalStore(database);
    principals.createUser("bob", false);
    principals.createUser("carol", false);
    catalog.createSchema("main", "sales", "admin", Optional.empty(), false);
    catalog.createSchema("main", "carols", "carol", Optional.empty(), false);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private AccessControl as(String user) {
    return new AccessControl(catalog, new Principal(user, false));
  }

  @Test
  void privilegesAreInheritedAndNeedUse() {
    Securable table = Securable.table(orders);
    assertFalse(as("bob").holds(table, Privilege.SELECT));
    grants.grant(Securable.schema("main", "sales"), "bob", List.of(Privilege.SELECT), "admin");
    assertTrue(as("bob").holds(table, Privilege.SELECT));
    // SELECT alone is not enough: USE CATALOG and USE SCHEMA too
    GatewayException e =
        assertThrows(GatewayException.class, () -> as("bob").requireSelect(orders));
    assertEquals("PERMISSION_DENIED", e.errorClass());
    assertTrue(e.getMessage().contains("USE CATALOG on catalog main"), e.getMessage());
    grants.grant(Securable.catalog("main"), "bob", List.of(Privilege.USE_CATALOG), "admin");
    grants.grant(
        Securable.catalog("main"), GrantStore.ACCOUNT_USERS, List.of(Privilege.USE_SCHEMA), "a");
    as("bob").requireSelect(orders);
    assertThrows(GatewayException.class, () -> as("bob").requireModify(orders));
  }

  @Test
  void allPrivilegesIsNotManageButOwnershipIs() {
    Securable sales = Securable.schema("main", "sales");
    grants.grant(sales, "bob", List.of(Privilege.ALL_PRIVILEGES), "admin");
    assertTrue(as("bob").holds(sales, Privilege.MODIFY));
    assertFalse(as("bob").holds(sales, Privilege.MANAGE));
    assertThrows(GatewayException.class, () -> as("bob").requireManage(sales, "drop it"));
    grants.grant(sales, "bob", List.of(Privilege.MANAGE), "admin");
    as("bob").requireManage(sales, "drop it");
    // carol owns her schema and so everything in it
    Securable inCarols = Securable.table(new TableName("main", "carols", "t"));
    assertTrue(as("carol").holds(inCarols, Privilege.MODIFY));
    as("carol").requireManage(inCarols, "drop it");
    assertFalse(as("carol").holds(Securable.catalog("main"), Privilege.USE_CATALOG));
    // admins bypass everything
    assertTrue(
        new AccessControl(catalog, new Principal("root", true)).holds(inCarols, Privilege.MANAGE));
  }

  @Test
  void visibilityFollowsGrantsBelowAndAbove() {
    assertFalse(as("bob").canSeeCatalog("main"));
    grants.grant(Securable.catalog("main"), "bob", List.of(Privilege.USE_CATALOG), "admin");
    assertTrue(as("bob").canSeeCatalog("main"));
    // USE CATALOG alone shows the catalog, not what is in it
    assertFalse(as("bob").canSeeSchema("main", "sales"));
    grants.grant(Securable.table(orders), "bob", List.of(Privilege.BROWSE), "admin");
    assertTrue(as("bob").canSeeSchema("main", "sales"));
    assertTrue(as("bob").canSeeTable(orders));
    assertFalse(as("bob").canSeeTable(new TableName("main", "sales", "other")));
    grants.grant(Securable.schema("main", "sales"), "bob", List.of(Privilege.SELECT), "admin");
    assertTrue(as("bob").canSeeTable(new TableName("main", "sales", "other")));
    assertFalse(as("bob").canSeeSchema("main", "carols"));
    assertTrue(as("carol").canSeeSchema("main", "carols"));
  }
}
