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
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.settings.CreateTokenRequest;
import com.databricks.sdk.service.settings.CreateTokenResponse;
import com.databricks.sdk.service.settings.PublicTokenInfo;
import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.AquiferServer;
import java.nio.file.Path;
import java.util.List;
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
    try (CatalogDatabase database =
        CatalogDatabase.open(dataDirectory.resolve(AquiferServer.CATALOG_FILE))) {
      new PrincipalStore(database).createUser("bob@example.com", false);
      bob =
          client(
              new AccessTokenStore(database)
                  .createToken("bob@example.com", Optional.of("identity test"), Optional.empty())
                  .token());
    }
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
