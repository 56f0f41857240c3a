package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.iam.ComplexValue;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.iam.ListGroupsRequest;
import com.databricks.sdk.service.iam.ListServicePrincipalsRequest;
import com.databricks.sdk.service.iam.ListUsersRequest;
import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.PartialUpdate;
import com.databricks.sdk.service.iam.Patch;
import com.databricks.sdk.service.iam.PatchOp;
import com.databricks.sdk.service.iam.PatchSchema;
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.settings.CreateTokenRequest;
import com.databricks.sdk.service.settings.CreateTokenResponse;
import com.databricks.sdk.service.settings.PublicTokenInfo;
import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.AuditStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.AquiferServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Principals and tokens through Databricks' own Java SDK against a real server: {@code
 * currentUser().me()}, listing and creating users, groups and service principals over SCIM (admins
 * only for creating), and the Token API: create, list, delete, with a deleted token refused with
 * 401 on the next call.
 */
class DatabricksSdkIdentityTest {
  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static String host;
  private static WorkspaceClient admin;
  private static WorkspaceClient bob;

  @BeforeAll
  static void start() throws Exception {
    server = ConformanceServer.start(dataDirectory);
    host = server.server().databricksRest().baseUrl();
    admin = client(server.token());
    bob = client(SdkUsers.createUserWithToken(dataDirectory, "bob@example.com", "identity test"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static WorkspaceClient client(String token) {
    return new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(token));
  }

  private static <T> List<T> all(Iterable<T> items) {
    return StreamSupport.stream(items.spliterator(), false).toList();
  }

  @Test
  void meUsersGroupsAndServicePrincipals() {
    User me = admin.currentUser().me(new MeRequest());
    assertEquals("admin", me.getUserName());
    assertEquals(List.of("admins"), me.getGroups().stream().map(ComplexValue::getDisplay).toList());
    User bobMe = bob.currentUser().me(new MeRequest());
    assertEquals("bob@example.com", bobMe.getUserName());
    assertEquals("bob@example.com", bobMe.getEmails().iterator().next().getValue());
    assertEquals(List.of(), List.copyOf(bobMe.getGroups()));

    // admins create; the SDK reads back what it made
    Group analysts =
        admin
            .groups()
            .create(
                new Group()
                    .setDisplayName("analysts")
                    .setMembers(List.of(new ComplexValue().setValue("bob@example.com"))));
    assertEquals("analysts", analysts.getDisplayName());
    assertEquals(
        List.of("bob@example.com"),
        analysts.getMembers().stream().map(ComplexValue::getValue).toList());
    ServicePrincipal etl =
        admin.servicePrincipals().create(new ServicePrincipal().setDisplayName("nightly etl"));
    assertTrue(etl.getApplicationId().matches("[0-9a-f-]{36}"), etl.getApplicationId());
    String etlToken;
    try (CatalogDatabase database =
        CatalogDatabase.open(dataDirectory.resolve(AquiferServer.CATALOG_FILE))) {
      etlToken =
          new AccessTokenStore(database)
              .createToken(etl.getApplicationId(), Optional.empty(), Optional.empty())
              .token();
    }
    assertEquals(
        etl.getApplicationId(), client(etlToken).currentUser().me(new MeRequest()).getUserName());
    User carol = admin.users().create(new User().setUserName("Carol@example.com"));
    assertEquals("carol@example.com", carol.getUserName());

    // everyone may list (the SDK pages by startIndex until an empty page)
    assertEquals(
        List.of("admin", "bob@example.com", "carol@example.com"),
        all(bob.users().list(new ListUsersRequest())).stream().map(User::getUserName).toList());
    List<Group> groups = all(bob.groups().list(new ListGroupsRequest()));
    assertEquals(
        List.of("admins", "analysts"), groups.stream().map(Group::getDisplayName).toList());
    assertEquals(
        List.of("admin"), groups.get(0).getMembers().stream().map(ComplexValue::getValue).toList());
    assertEquals(
        List.of("nightly etl"),
        all(bob.servicePrincipals().list(new ListServicePrincipalsRequest())).stream()
            .map(ServicePrincipal::getDisplayName)
            .toList());
    assertEquals(
        List.of("bob@example.com"),
        all(admin.users().list(new ListUsersRequest().setFilter("userName eq \"bob@example.com\"")))
            .stream()
            .map(User::getUserName)
            .toList());
    assertEquals("analysts", admin.groups().get("analysts").getDisplayName());
    assertEquals(
        List.of("analysts"),
        bob.currentUser().me(new MeRequest()).getGroups().stream()
            .map(ComplexValue::getDisplay)
            .toList());

    // others may not create; unknown ids are not found
    DatabricksError denied =
        assertThrows(
            DatabricksError.class, () -> bob.groups().create(new Group().setDisplayName("mine")));
    assertEquals(403, denied.getStatusCode());
    assertEquals("PERMISSION_DENIED", denied.getErrorCode());
    assertTrue(denied.getMessage().contains("only admins may"), denied.getMessage());
    DatabricksError missing =
        assertThrows(DatabricksError.class, () -> admin.users().get("nobody@example.com"));
    assertEquals(404, missing.getStatusCode());
    DatabricksError duplicate =
        assertThrows(
            DatabricksError.class,
            () -> admin.groups().create(new Group().setDisplayName("bob@example.com")));
    assertEquals(409, duplicate.getStatusCode());
  }

  @Test
  void groupMembersArePatchedAndPrincipalsDeletedByAdminsOnlyAndAudited() {
    admin.users().create(new User().setUserName("dave@example.com"));
    Group readers = admin.groups().create(new Group().setDisplayName("readers"));
    ServicePrincipal loader =
        admin.servicePrincipals().create(new ServicePrincipal().setDisplayName("loader"));
    admin
        .groups()
        .patch(
            new PartialUpdate()
                .setId(readers.getId())
                .setSchemas(List.of(PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP))
                .setOperations(
                    List.of(
                        new Patch()
                            .setOp(PatchOp.ADD)
                            .setPath("members")
                            .setValue(
                                List.of(
                                    Map.of("value", "dave@example.com"),
                                    Map.of("value", loader.getApplicationId()))))));
    assertEquals(
        java.util.Set.of("dave@example.com", loader.getApplicationId()),
        admin.groups().get("readers").getMembers().stream()
            .map(ComplexValue::getValue)
            .collect(java.util.stream.Collectors.toSet()));
    admin
        .groups()
        .patch(
            new PartialUpdate()
                .setId("readers")
                .setOperations(
                    List.of(
                        new Patch()
                            .setOp(PatchOp.REMOVE)
                            .setPath("members[value eq \"dave@example.com\"]"))));
    assertEquals(
        List.of(loader.getApplicationId()),
        admin.groups().get("readers").getMembers().stream().map(ComplexValue::getValue).toList());

    // others may not change members nor delete; nothing changes
    PartialUpdate addBob =
        new PartialUpdate()
            .setId("readers")
            .setOperations(
                List.of(
                    new Patch()
                        .setOp(PatchOp.ADD)
                        .setPath("members")
                        .setValue(List.of(Map.of("value", "bob@example.com")))));
    DatabricksError denied = assertThrows(DatabricksError.class, () -> bob.groups().patch(addBob));
    assertEquals(403, denied.getStatusCode());
    assertEquals("PERMISSION_DENIED", denied.getErrorCode());
    assertEquals(
        403,
        assertThrows(DatabricksError.class, () -> bob.users().delete("dave@example.com"))
            .getStatusCode());
    assertEquals(1, admin.groups().get("readers").getMembers().size());
    // an attribute Aquifer cannot change, the group admins, unknown ids
    DatabricksError entitlements =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .users()
                    .patch(
                        new PartialUpdate()
                            .setId("dave@example.com")
                            .setOperations(
                                List.of(
                                    new Patch()
                                        .setOp(PatchOp.ADD)
                                        .setPath("entitlements")
                                        .setValue(
                                            List.of(Map.of("value", "allow-cluster-create")))))));
    assertEquals(400, entitlements.getStatusCode());
    assertEquals(
        403,
        assertThrows(DatabricksError.class, () -> admin.groups().delete("admins")).getStatusCode());
    assertEquals(
        404,
        assertThrows(DatabricksError.class, () -> admin.users().delete("nobody@example.com"))
            .getStatusCode());

    // DELETE: gone from the listings, its memberships with it
    admin.servicePrincipals().delete(loader.getApplicationId());
    admin.users().delete("dave@example.com");
    assertEquals(List.of(), List.copyOf(admin.groups().get("readers").getMembers()));
    admin.groups().delete("readers");
    assertEquals(
        404,
        assertThrows(DatabricksError.class, () -> admin.users().get("dave@example.com"))
            .getStatusCode());
    assertEquals(
        404,
        assertThrows(DatabricksError.class, () -> admin.groups().get("readers")).getStatusCode());
    assertTrue(
        all(admin.users().list(new ListUsersRequest())).stream()
            .noneMatch(u -> u.getUserName().equals("dave@example.com")));

    // each change is in the audit log, by the admin who made it
    try (CatalogDatabase database =
        CatalogDatabase.open(dataDirectory.resolve(AquiferServer.CATALOG_FILE))) {
      List<String> actions =
          new AuditStore(database)
              .events(Optional.of("admin"), 1000).stream()
                  .filter(e -> e.serviceName().equals("accounts"))
                  .map(e -> e.actionName() + " " + e.requestParams())
                  .toList();
      for (String expected :
          List.of(
              "addPrincipalToGroup {\"target_group_name\":\"readers\",\"target_name\":\"dave@example.com\"}",
              "removePrincipalFromGroup {\"target_group_name\":\"readers\",\"target_name\":\"dave@example.com\"}",
              "delete {\"target_name\":\"dave@example.com\",\"target_type\":\"USER\"}",
              "removeGroup {\"target_group_name\":\"readers\",\"target_type\":\"GROUP\"}")) {
        assertTrue(actions.contains(expected), expected + " not in " + actions);
      }
    }
  }

  @Test
  void tokensAreCreatedListedAndDeletedAndADeletedTokenIsRefused() {
    CreateTokenResponse created =
        bob.tokens()
            .create(new CreateTokenRequest().setComment("ci job").setLifetimeSeconds(3600L));
    String id = created.getTokenInfo().getTokenId();
    long lifetime =
        created.getTokenInfo().getExpiryTime() - created.getTokenInfo().getCreationTime();
    assertEquals(3_600_000L, lifetime);
    WorkspaceClient ci = client(created.getTokenValue());
    assertEquals("bob@example.com", ci.currentUser().me(new MeRequest()).getUserName());

    List<PublicTokenInfo> listed = all(bob.tokens().list());
    assertTrue(
        listed.stream().anyMatch(t -> t.getTokenId().equals(id) && t.getComment().equals("ci job")),
        listed.toString());
    // bob's token is not in the admin's list
    assertTrue(all(admin.tokens().list()).stream().noneMatch(t -> t.getTokenId().equals(id)));

    bob.tokens().delete(id);
    assertTrue(all(bob.tokens().list()).stream().noneMatch(t -> t.getTokenId().equals(id)));
    DatabricksError refused =
        assertThrows(DatabricksError.class, () -> ci.currentUser().me(new MeRequest()));
    assertEquals(401, refused.getStatusCode());
    assertTrue(refused.getMessage().contains("was revoked"), refused.getMessage());
    DatabricksError gone = assertThrows(DatabricksError.class, () -> bob.tokens().delete("0123"));
    assertEquals(404, gone.getStatusCode());
  }
}
