package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.settings.CreateOboTokenRequest;
import com.databricks.sdk.service.settings.CreateOboTokenResponse;
import com.databricks.sdk.service.settings.ListTokenManagementRequest;
import com.databricks.sdk.service.settings.TokenInfo;
import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Token Management API through Databricks' Java SDK (databricks-sdk-java 0.141.0): an admin
 * makes a token on behalf of a service principal, which then calls the API as itself; admins list,
 * read and revoke anyone's tokens; others may not.
 */
class DatabricksSdkTokenManagementTest {
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
    bob = client(SdkUsers.createUserWithToken(dataDirectory, "bob@example.com", "bob's"));
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

  private static List<String> ids(Iterable<TokenInfo> tokens) {
    List<String> out = new ArrayList<>();
    tokens.forEach(t -> out.add(t.getTokenId()));
    return out;
  }

  @Test
  void anAdminMakesListsAndRevokesAServicePrincipalsToken() {
    ServicePrincipal etl =
        admin.servicePrincipals().create(new ServicePrincipal().setDisplayName("loader"));
    CreateOboTokenResponse created =
        admin
            .tokenManagement()
            .createOboToken(
                new CreateOboTokenRequest()
                    .setApplicationId(etl.getApplicationId())
                    .setComment("nightly")
                    .setLifetimeSeconds(3600L));
    String id = created.getTokenInfo().getTokenId();
    assertEquals(etl.getApplicationId(), created.getTokenInfo().getCreatedByUsername());
    assertTrue(created.getTokenInfo().getExpiryTime() > created.getTokenInfo().getCreationTime());

    WorkspaceClient loader = client(created.getTokenValue());
    assertEquals(etl.getApplicationId(), loader.currentUser().me(new MeRequest()).getUserName());

    assertTrue(ids(admin.tokenManagement().list(new ListTokenManagementRequest())).contains(id));
    List<String> bobs =
        ids(
            admin
                .tokenManagement()
                .list(new ListTokenManagementRequest().setCreatedByUsername("bob@example.com")));
    assertEquals(1, bobs.size(), "only bob's token: " + bobs);
    assertEquals("nightly", admin.tokenManagement().get(id).getTokenInfo().getComment());

    DatabricksError denied =
        assertThrows(
            DatabricksError.class,
            () -> bob.tokenManagement().list(new ListTokenManagementRequest()).iterator().next());
    assertEquals(403, denied.getStatusCode());
    DatabricksError notForBob =
        assertThrows(
            DatabricksError.class,
            () ->
                bob.tokenManagement()
                    .createOboToken(
                        new CreateOboTokenRequest().setApplicationId(etl.getApplicationId())));
    assertEquals(403, notForBob.getStatusCode());

    admin.tokenManagement().delete(id);
    assertFalse(ids(admin.tokenManagement().list(new ListTokenManagementRequest())).contains(id));
    DatabricksError revoked =
        assertThrows(DatabricksError.class, () -> loader.currentUser().me(new MeRequest()));
    assertEquals(401, revoked.getStatusCode());
  }

  @Test
  void aTokenForAUserOrAnUnknownPrincipalIsRefused() {
    DatabricksError user =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .tokenManagement()
                    .createOboToken(
                        new CreateOboTokenRequest().setApplicationId("bob@example.com")));
    assertEquals(404, user.getStatusCode());
    DatabricksError missing =
        assertThrows(DatabricksError.class, () -> admin.tokenManagement().get("no-such-token"));
    assertEquals(404, missing.getStatusCode());
  }
}
