package io.aquifer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupStoreTest {
  @TempDir Path dir;
  private CatalogDatabase database;
  private PrincipalStore principals;
  private GroupStore groups;
  private GrantStore grants;

  @BeforeEach
  void open() {
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    grants = CatalogStore.open(database, "admin").grants();
    principals = new PrincipalStore(database);
    groups = new GroupStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void theFirstAdminIsInTheAdminsGroupAndAdminsIsNotAUser() {
    assertFalse(principals.hasUsers(), "the built-in group admins is not a user");
    principals.createUser("admin", true);
    principals.createUser("bob", false);
    assertTrue(principals.hasUsers());
    assertEquals(
        List.of("admin", "bob"), principals.listUsers().stream().map(UserInfo::name).toList());
    assertTrue(principals.getUser("admin").orElseThrow().admin());
    assertFalse(principals.getUser("bob").orElseThrow().admin());
    assertEquals(
        List.of("admin"), groups.members("admins").stream().map(PrincipalInfo::name).toList());
    // admin rights follow membership, also through a nested group
    groups.createGroup("ops");
    groups.addMember("ops", "bob");
    groups.addMember("admins", "ops");
    assertTrue(principals.getUser("bob").orElseThrow().admin());
    assertTrue(grants.isAdmin("bob"));
    groups.removeMember("admins", "ops");
    assertFalse(principals.getUser("bob").orElseThrow().admin());
    CatalogException last =
        assertThrows(CatalogException.class, () -> groups.removeMember("admins", "admin"));
    assertEquals(CatalogErrorCode.PERMISSION_DENIED, last.code());
  }

  @Test
  void nestedGroupsPassGrantsOnAndRefuseCycles() {
    principals.createUser("analyst", false);
    groups.createGroup("Readers");
    groups.createGroup("finance");
    groups.createGroup("all-staff");
    groups.addMember("readers", "finance");
    groups.addMember("finance", "analyst");
    groups.addMember("finance", "analyst"); // twice: no change
    groups.addMember("all-staff", "readers");
    assertEquals(Set.of("finance", "readers", "all-staff"), groups.groupsOf("analyst"));
    assertEquals(List.of("finance"), groups.directGroups("analyst"));

    Securable schema = Securable.schema("main", "default");
    grants.grant(schema, "readers", List.of(Privilege.SELECT), "admin");
    assertEquals(
        List.of("readers:SELECT"),
        grants.grantsTo("analyst").stream()
            .map(g -> g.principal() + ":" + g.privilege().sqlName())
            .toList());
    assertTrue(grants.principalExists("READERS"));

    CatalogException cycle =
        assertThrows(CatalogException.class, () -> groups.addMember("finance", "all-staff"));
    assertEquals(CatalogErrorCode.GROUP_MEMBERSHIP_CYCLE, cycle.code());
    assertTrue(
        cycle.getMessage().contains("finance is already a member of all-staff"),
        cycle.getMessage());
    assertEquals(
        CatalogErrorCode.GROUP_MEMBERSHIP_CYCLE,
        assertThrows(CatalogException.class, () -> groups.addMember("finance", "finance")).code());
    assertEquals(
        CatalogErrorCode.CATALOG_OBJECT_WRONG_KIND,
        assertThrows(CatalogException.class, () -> groups.addMember("analyst", "finance")).code());
    assertEquals(
        CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND,
        assertThrows(CatalogException.class, () -> groups.addMember("finance", "nobody")).code());
    assertEquals(
        CatalogErrorCode.CATALOG_OBJECT_ALREADY_EXISTS,
        assertThrows(CatalogException.class, () -> groups.createGroup("analyst")).code());

    groups.removeMember("finance", "analyst");
    assertEquals(Set.of(), groups.groupsOf("analyst"));
    assertEquals(List.of(), grants.grantsTo("analyst"));
  }

  @Test
  void servicePrincipalsAreNamedByApplicationIdAndCanHoldTokens() {
    PrincipalInfo etl = principals.createServicePrincipal("nightly etl");
    assertTrue(etl.name().matches("[0-9a-f-]{36}"), etl.name());
    assertEquals("nightly etl", etl.displayNameOrName());
    assertEquals(List.of(etl), principals.list(PrincipalKind.SERVICE_PRINCIPAL));
    assertEquals(List.of(), principals.listUsers());
    String token =
        new AccessTokenStore(database)
            .createToken(etl.name(), java.util.Optional.empty(), java.util.Optional.empty())
            .token();
    assertEquals(
        etl.name(), new AccessTokenStore(database).authenticate(token).orElseThrow().name());
  }

  @Test
  void creatingAUserOrServicePrincipalIsAuditedInItsTransaction() {
    GroupStore fromClient = groups.from(java.util.Optional.of("10.0.0.7"));
    fromClient.createPrincipal("Ivy@Example.com", PrincipalKind.USER, null, "admin");
    fromClient.createPrincipal("app-1", PrincipalKind.SERVICE_PRINCIPAL, "loader", "admin");
    CatalogException duplicate =
        assertThrows(
            CatalogException.class,
            () -> fromClient.createPrincipal("ivy@example.com", PrincipalKind.USER, null, "admin"));
    assertEquals(CatalogErrorCode.CATALOG_OBJECT_ALREADY_EXISTS, duplicate.code());
    assertThrows(
        CatalogException.class,
        () -> fromClient.createPrincipal("app-2", PrincipalKind.SERVICE_PRINCIPAL, " ", "admin"));
    assertTrue(principals.getPrincipal("app-2").isEmpty());

    List<AuditStore.AuditEvent> events =
        new AuditStore(database).events(java.util.Optional.of("admin"), 10);
    assertEquals(2, events.size(), events.toString());
    assertEquals("add", events.get(1).actionName());
    assertEquals(
        "{\"target_name\":\"ivy@example.com\",\"target_type\":\"USER\"}",
        events.get(1).requestParams());
    assertEquals(
        "{\"target_name\":\"app-1\",\"target_type\":\"SERVICE_PRINCIPAL\","
            + "\"display_name\":\"loader\"}",
        events.get(0).requestParams());
    assertEquals("10.0.0.7", events.get(0).sourceIpAddress());
    assertEquals(
        java.util.Optional.of("loader"),
        principals.getPrincipal("app-1").orElseThrow().displayName());
  }
}
