package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.AuditRows.awaitRow;
import static io.aquifer.conformance.security.AuditRows.rows;
import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.settings.CreateTokenRequest;
import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code system.access.audit} and {@code system.access.table_lineage} through the Flight SQL JDBC
 * driver: a GRANT, a SELECT refused for a missing privilege, a token revoked with {@code aquifer
 * token revoke} and the refused login with it are audited with the right action and user; only
 * admins read the audit; an INSERT ... SELECT leaves a lineage row from its source to its target,
 * with the tables' storage locations as paths; a non-admin reads the system tables only with grants
 * (and then every row). Over the REST API (Databricks SDK): a SCIM change refused to a non-admin,
 * and a token an admin revokes, audited under the caller's name.
 */
class AuditLogTest {

  @TempDir Path dataDirectory;

  @Test
  void grantsDenialsTokensAndLineageAreRecorded() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA sales");
      execute(admin, "CREATE TABLE sales.orders AS SELECT 1 AS id UNION ALL SELECT 2 AS id");
      execute(admin, "CREATE TABLE sales.summary AS SELECT 0 AS id");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");

      // a GRANT: unityCatalog.updatePermissions by admin, naming the grantee and the privilege
      execute(admin, "GRANT USE CATALOG ON CATALOG main TO `analyst`");
      Map<String, String> grant =
          awaitRow(
              admin,
              "SELECT * FROM system.access.audit",
              r -> "updatePermissions".equals(r.get("action_name")));
      assertEquals("unityCatalog", grant.get("service_name"));
      assertEquals("admin", grant.get("user_identity_email"));
      assertEquals("200", grant.get("response_status_code"));
      assertTrue(
          grant.get("request_params").contains("\"principal\":\"analyst\""),
          grant.get("request_params"));
      assertTrue(
          grant.get("request_params").contains("\"add\":\"USE CATALOG\""),
          grant.get("request_params"));
      assertTrue(
          grant.get("request_params").contains("\"securable_full_name\":\"main\""),
          grant.get("request_params"));

      try (Connection analyst = connect(server.jdbcUrl(), analystToken)) {
        // a denied SELECT: executeStatement with 403, by analyst, saying what was missing
        assertFails(
            "PERMISSION_DENIED", "42501", () -> rows(analyst, "SELECT * FROM sales.orders"));
        Map<String, String> denied =
            awaitRow(
                admin,
                "SELECT * FROM system.access.audit",
                r ->
                    "analyst".equals(r.get("user_identity_email"))
                        && "403".equals(r.get("response_status_code"))
                        && r.get("request_params").contains("sales.orders"));
        assertEquals("executeStatement", denied.get("action_name"));
        assertTrue(
            denied.get("response_error_message").contains("USE SCHEMA on schema main.sales"),
            denied.get("response_error_message"));

        // a non-admin without grants on the system catalog cannot read the audit (and the
        // refusal is audited too)
        String refusal =
            assertFails(
                "PERMISSION_DENIED",
                "42501",
                () -> rows(analyst, "SELECT * FROM system.access.audit"));
        assertTrue(refusal.contains("USE CATALOG on catalog system"), refusal);
        awaitRow(
            admin,
            "SELECT * FROM system.access.audit WHERE response_status_code = 403",
            r -> r.get("request_params").contains("system.access.audit"));
      }

      // a token revoked with the command line, then refused at login
      cli("token", "create", "--user", "analyst", "--comment", "to revoke");
      String tokenId = AdminCli.tokenId(cli("token", "list", "--user", "analyst"), "to revoke");
      cli("token", "revoke", tokenId);
      Map<String, String> revoke =
          awaitRow(
              admin,
              "SELECT * FROM system.access.audit",
              r -> "revokeDbToken".equals(r.get("action_name")));
      assertEquals("accounts", revoke.get("service_name"));
      assertEquals("analyst", revoke.get("user_identity_email"));
      assertTrue(revoke.get("request_params").contains(tokenId), revoke.get("request_params"));
      awaitRow(
          admin,
          "SELECT * FROM system.access.audit",
          r ->
              "generateDbToken".equals(r.get("action_name"))
                  && r.get("request_params").contains(tokenId));

      // a membership change with the command line
      cli("group", "create", "readers");
      cli("group", "add-member", "readers", "analyst");
      Map<String, String> member =
          awaitRow(
              admin,
              "SELECT * FROM system.access.audit",
              r -> "addPrincipalToGroup".equals(r.get("action_name")));
      assertEquals(
          "{\"target_group_name\":\"readers\",\"target_name\":\"analyst\"}",
          member.get("request_params"));

      // INSERT ... SELECT: lineage from the source to the target, by its author
      execute(admin, "INSERT INTO sales.summary SELECT id FROM sales.orders");
      Map<String, String> lineage =
          awaitRow(
              admin,
              "SELECT * FROM system.access.table_lineage",
              r ->
                  "main.sales.summary".equals(r.get("target_table_full_name"))
                      && "main.sales.orders".equals(r.get("source_table_full_name")));
      assertEquals("admin", lineage.get("created_by"));
      assertEquals("TABLE", lineage.get("source_type"));
      assertEquals("TABLE", lineage.get("target_type"));
      // a table's storage location is its path, as Databricks records it
      assertEquals(location(admin, "sales.orders"), lineage.get("source_path"));
      assertEquals(location(admin, "sales.summary"), lineage.get("target_path"));
      assertTrue(lineage.get("source_path").startsWith("file:"), lineage.get("source_path"));
      assertTrue(lineage.get("statement_id").matches("[0-9a-f-]{36}"), lineage.get("statement_id"));
      // a plain SELECT reads without a target
      execute(admin, "SELECT count(*) FROM sales.orders WHERE id > 1");
      awaitRow(
          admin,
          "SELECT * FROM system.access.table_lineage WHERE target_table_full_name IS NULL",
          r -> "main.sales.orders".equals(r.get("source_table_full_name")));
      try (Connection analyst = connect(server.jdbcUrl(), analystToken)) {
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> rows(analyst, "SELECT * FROM system.access.table_lineage"));
        // granted by an admin, as in Databricks: every row, not only the analyst's own
        execute(admin, "GRANT USE CATALOG ON CATALOG system TO analyst");
        execute(admin, "GRANT USE SCHEMA ON SCHEMA system.access TO analyst");
        execute(admin, "GRANT SELECT ON TABLE system.access.table_lineage TO analyst");
        assertTrue(
            rows(analyst, "SELECT * FROM system.access.table_lineage").stream()
                .anyMatch(r -> "main.sales.summary".equals(r.get("target_table_full_name"))));
        assertFails(
            "PERMISSION_DENIED", "42501", () -> rows(analyst, "SELECT * FROM system.access.audit"));
        execute(admin, "REVOKE USE SCHEMA ON SCHEMA system.access FROM analyst");
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> rows(analyst, "SELECT * FROM system.access.table_lineage"));
      }

      // an owner change: unityCatalog.updateOwner
      execute(admin, "ALTER TABLE sales.summary OWNER TO `analyst`");
      Map<String, String> owner =
          awaitRow(
              admin,
              "SELECT * FROM system.access.audit WHERE action_name = 'updateOwner'",
              r -> true);
      assertEquals("admin", owner.get("user_identity_email"));
      assertTrue(
          owner
              .get("request_params")
              .startsWith(
                  "{\"securable_type\":\"TABLE\",\"securable_full_name\":\"main.sales.summary\","
                      + "\"owner\":\"analyst\",\"statement_id\":"),
          owner.get("request_params"));
    }
  }

  @Test
  void aRefusedLoginWithARevokedTokenIsAudited() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      String token = SecurityServer.userToken(dataDirectory, "dora");
      String tokenId = AdminCli.tokenId(cli("token", "list", "--user", "dora"), "security test");
      cli("token", "revoke", tokenId);
      try (Connection dora = connect(server.jdbcUrl(), token)) {
        rows(dora, "SELECT 1");
        fail("a revoked token connected");
      } catch (SQLException expected) {
        // refused: UNAUTHENTICATED
      }
      Map<String, String> login =
          awaitRow(
              admin,
              "SELECT * FROM system.access.audit",
              r ->
                  "tokenLogin".equals(r.get("action_name"))
                      && "401".equals(r.get("response_status_code")));
      assertEquals("accounts", login.get("service_name"));
      assertTrue(
          login.get("response_error_message").contains("was revoked at"),
          login.get("response_error_message"));
    }
  }

  @Test
  void restRefusalsAndRevocationsNameTheCaller() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      String host = server.server().databricksRest().baseUrl();
      WorkspaceClient erin =
          new WorkspaceClient(
              new DatabricksConfig()
                  .setHost(host)
                  .setToken(SecurityServer.userToken(dataDirectory, "erin")));
      DatabricksError refused =
          assertThrows(
              DatabricksError.class,
              () -> erin.groups().create(new Group().setDisplayName("mine")));
      assertEquals(403, refused.getStatusCode());
      Map<String, String> denied =
          awaitRow(
              admin,
              "SELECT * FROM system.access.audit",
              r -> "permissionDenied".equals(r.get("action_name")));
      assertEquals("erin", denied.get("user_identity_email"));
      assertEquals("403", denied.get("response_status_code"));
      assertEquals(
          "{\"http_method\":\"POST\",\"path\":\"/api/2.0/preview/scim/v2/Groups\","
              + "\"error_code\":\"PERMISSION_DENIED\"}",
          denied.get("request_params"));
      assertEquals("accounts", denied.get("service_name"));
      assertEquals("127.0.0.1", denied.get("source_ip_address"));
      assertTrue(
          denied.get("response_error_message").contains("may not create groups"),
          denied.get("response_error_message"));

      // an admin revokes erin's token over REST: the admin is who revoked it, erin its owner
      String id =
          erin.tokens()
              .create(new CreateTokenRequest().setComment("short"))
              .getTokenInfo()
              .getTokenId();
      WorkspaceClient adminClient =
          new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(server.token()));
      adminClient.tokens().delete(id);
      Map<String, String> revoke =
          awaitRow(
              admin,
              "SELECT * FROM system.access.audit",
              r -> "revokeDbToken".equals(r.get("action_name")));
      assertEquals("admin", revoke.get("user_identity_email"));
      assertEquals(
          "{\"token_id\":\"" + id + "\",\"token_owner\":\"erin\"}", revoke.get("request_params"));
    }
  }

  /** A table's storage location, from DESCRIBE TABLE EXTENDED. */
  static String location(Connection c, String table) throws SQLException {
    for (Map<String, String> row : rows(c, "DESCRIBE TABLE EXTENDED " + table)) {
      if ("Location".equals(row.get("col_name"))) {
        return row.get("data_type");
      }
    }
    return fail("no Location for " + table);
  }

  private String cli(String... args) {
    return AdminCli.run(dataDirectory, args);
  }
}
