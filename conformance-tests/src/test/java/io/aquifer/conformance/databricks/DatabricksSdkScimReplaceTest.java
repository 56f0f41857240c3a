package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.iam.ComplexValue;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.iam.ListUsersRequest;
import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.PartialUpdate;
import com.databricks.sdk.service.iam.Patch;
import com.databricks.sdk.service.iam.PatchOp;
import com.databricks.sdk.service.iam.PatchSchema;
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.iam.User;
import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.AquiferServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCIM's PUT and deactivation through Databricks' own Java SDK against a real server, with the
 * deactivated principal's tokens tried on the REST API, Flight SQL and Avatica.
 */
class DatabricksSdkScimReplaceTest {
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
    bob = client(SdkUsers.createUserWithToken(dataDirectory, "bob@example.com", "scim put test"));
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

  /**
   * SCIM PUT replaces users, service principals and groups; {@code active: false} (PUT or PATCH)
   * makes the principal's tokens refused on REST, Flight SQL and Avatica, also in connections
   * opened before; reactivating restores them.
   */
  @Test
  void putReplacesAndADeactivatedPrincipalIsRefusedOnEveryFrontEnd() throws Exception {
    String erinToken =
        SdkUsers.createUserWithToken(dataDirectory, "erin@example.com", "deactivation test");
    WorkspaceClient erin = client(erinToken);
    String avatica =
        "jdbc:avatica:remote:url=http://127.0.0.1:"
            + server.server().avaticaPort()
            + ";serialization=protobuf";
    try (Connection flight = jdbc(server.jdbcUrl(), erinToken);
        Connection viaAvatica = jdbc(avatica, erinToken)) {
      assertEquals(1, selectOne(flight));
      assertEquals(1, selectOne(viaAvatica));

      // PUT with active false: a new display name, and every front end refuses erin
      admin
          .users()
          .update(
              new User()
                  .setId("erin@example.com")
                  .setUserName("erin@example.com")
                  .setDisplayName("Erin E.")
                  .setActive(false));
      User stored = admin.users().get("erin@example.com");
      assertEquals(false, stored.getActive());
      assertEquals("Erin E.", stored.getDisplayName());
      DatabricksError refused =
          assertThrows(DatabricksError.class, () -> erin.currentUser().me(new MeRequest()));
      assertEquals(401, refused.getStatusCode());
      assertTrue(refused.getMessage().contains("deactivated"), refused.getMessage());
      for (Connection open : List.of(flight, viaAvatica)) {
        SQLException e = assertThrows(SQLException.class, () -> selectOne(open));
        assertTrue(String.valueOf(e.getMessage()).contains("deactivated"), e.getMessage());
      }
      for (String url : List.of(server.jdbcUrl(), avatica)) {
        // the Avatica client reports a refused OpenConnection as a RuntimeException
        Exception e = assertThrows(Exception.class, () -> jdbc(url, erinToken).close());
        assertTrue(String.valueOf(e.getMessage()).contains("deactivated"), e.getMessage());
      }
      assertEquals(
          List.of("erin@example.com"),
          all(admin.users().list(new ListUsersRequest().setFilter("active eq \"false\""))).stream()
              .map(User::getUserName)
              .toList());

      // PATCH active true (as Databricks' docs write it): erin is back, on the same connections
      admin
          .users()
          .patch(
              new PartialUpdate()
                  .setId("erin@example.com")
                  .setSchemas(List.of(PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP))
                  .setOperations(
                      List.of(
                          new Patch()
                              .setOp(PatchOp.REPLACE)
                              .setPath("active")
                              .setValue(List.of(Map.of("value", "true"))))));
      assertEquals("erin@example.com", erin.currentUser().me(new MeRequest()).getUserName());
      assertEquals(1, selectOne(flight));
      assertEquals(1, selectOne(viaAvatica));
      assertEquals(true, admin.users().get("erin@example.com").getActive());

      // PATCH active false, then PUT without active (SCIM's default: active)
      admin
          .users()
          .patch(
              new PartialUpdate()
                  .setId("erin@example.com")
                  .setOperations(
                      List.of(
                          new Patch().setOp(PatchOp.REPLACE).setPath("active").setValue(false))));
      assertEquals(
          401,
          assertThrows(DatabricksError.class, () -> erin.currentUser().me(new MeRequest()))
              .getStatusCode());
      admin.users().update(new User().setId("erin@example.com").setUserName("erin@example.com"));
      assertEquals(1, selectOne(flight));
    }

    // only admins replace; the name cannot change; the last active admin stays active
    DatabricksError denied =
        assertThrows(
            DatabricksError.class,
            () ->
                bob.users()
                    .update(
                        new User()
                            .setId("erin@example.com")
                            .setUserName("erin@example.com")
                            .setActive(false)));
    assertEquals(403, denied.getStatusCode());
    assertEquals(
        400,
        assertThrows(
                DatabricksError.class,
                () ->
                    admin
                        .users()
                        .update(new User().setId("erin@example.com").setUserName("other@x.com")))
            .getStatusCode());
    assertEquals(
        404,
        assertThrows(
                DatabricksError.class,
                () ->
                    admin
                        .users()
                        .update(new User().setId("nobody@x.com").setUserName("nobody@x.com")))
            .getStatusCode());
    DatabricksError lastAdmin =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .users()
                    .update(new User().setId("admin").setUserName("admin").setActive(false)));
    assertEquals(403, lastAdmin.getStatusCode());
    assertTrue(lastAdmin.getMessage().contains("last active member"), lastAdmin.getMessage());
    assertEquals("admin", admin.currentUser().me(new MeRequest()).getUserName());

    // a service principal: PUT deactivates its tokens, and reactivates them
    ServicePrincipal job =
        admin.servicePrincipals().create(new ServicePrincipal().setDisplayName("job"));
    String jobToken;
    try (CatalogDatabase database =
        CatalogDatabase.open(dataDirectory.resolve(AquiferServer.CATALOG_FILE))) {
      jobToken =
          new AccessTokenStore(database)
              .createToken(job.getApplicationId(), Optional.empty(), Optional.empty())
              .token();
    }
    admin
        .servicePrincipals()
        .update(
            new ServicePrincipal()
                .setId(job.getApplicationId())
                .setApplicationId(job.getApplicationId())
                .setDisplayName("nightly job")
                .setActive(false));
    assertEquals(
        401,
        assertThrows(
                DatabricksError.class, () -> client(jobToken).currentUser().me(new MeRequest()))
            .getStatusCode());
    assertThrows(SQLException.class, () -> jdbc(server.jdbcUrl(), jobToken).close());
    admin
        .servicePrincipals()
        .update(
            new ServicePrincipal()
                .setId(job.getApplicationId())
                .setApplicationId(job.getApplicationId())
                .setDisplayName("nightly job")
                .setActive(true));
    assertEquals(
        job.getApplicationId(), client(jobToken).currentUser().me(new MeRequest()).getUserName());
    assertEquals(
        "nightly job", admin.servicePrincipals().get(job.getApplicationId()).getDisplayName());

    // a group: PUT replaces its members
    admin
        .groups()
        .create(
            new Group()
                .setDisplayName("auditors")
                .setMembers(List.of(new ComplexValue().setValue("erin@example.com"))));
    admin
        .groups()
        .update(
            new Group()
                .setId("auditors")
                .setDisplayName("auditors")
                .setMembers(
                    List.of(
                        new ComplexValue().setValue("bob@example.com"),
                        new ComplexValue().setValue(job.getApplicationId()))));
    assertEquals(
        java.util.Set.of("bob@example.com", job.getApplicationId()),
        admin.groups().get("auditors").getMembers().stream()
            .map(ComplexValue::getValue)
            .collect(java.util.stream.Collectors.toSet()));
    DatabricksError missingMember =
        assertThrows(
            DatabricksError.class,
            () ->
                admin
                    .groups()
                    .update(
                        new Group()
                            .setId("auditors")
                            .setMembers(
                                List.of(
                                    new ComplexValue().setValue("erin@example.com"),
                                    new ComplexValue().setValue("nobody@x.com")))));
    assertEquals(404, missingMember.getStatusCode());
    assertEquals(2, admin.groups().get("auditors").getMembers().size());
  }

  private static Connection jdbc(String url, String token) throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", token);
    return DriverManager.getConnection(url, p);
  }

  private static int selectOne(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
      return rs.getInt(1);
    }
  }
}
