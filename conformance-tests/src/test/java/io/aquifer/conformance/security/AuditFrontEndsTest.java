package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.AuditRows.awaitRow;
import static io.aquifer.conformance.security.AuditRows.rows;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.files.UploadRequest;
import com.databricks.sdk.service.iam.ComplexValue;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.iam.ListGroupsRequest;
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.settings.CreateTokenRequest;
import com.databricks.sdk.service.sql.CreateWarehouseRequest;
import io.aquifer.conformance.ConformanceServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log over the front ends besides SQL: REST calls refused for want of a right (Files API,
 * warehouses, Unity Catalog, SCIM; through the Databricks SDK) are each audited once with the
 * caller and the client's address; SCIM changes and token checks over Arrow Flight SQL and Avatica
 * record the client's address, as do tokens and principals created over REST; COPY INTO and
 * read_files leave table lineage rows naming the path they read.
 */
class AuditFrontEndsTest {
  private static final String LOOPBACK = "127.0.0.1";

  @TempDir Path dataDirectory;

  @Test
  void restRefusalsAreAuditedOnceWithTheCallerAndAddress() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA main.s");
      execute(admin, "CREATE VOLUME main.s.v");
      String host = server.server().databricksRest().baseUrl();
      WorkspaceClient frank =
          new WorkspaceClient(
              new DatabricksConfig()
                  .setHost(host)
                  .setToken(SecurityServer.userToken(dataDirectory, "frank")));
      execute(admin, "GRANT USE CATALOG ON CATALOG main TO frank");
      execute(admin, "GRANT USE SCHEMA, READ VOLUME ON SCHEMA main.s TO frank");
      String file = "/Volumes/main/s/v/a.txt";
      WorkspaceClient adminClient =
          new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(server.token()));
      adminClient.files().upload(upload(file));

      // Files API: may read the volume, not write it
      assertEquals(
          403,
          assertThrows(DatabricksError.class, () -> frank.files().upload(upload(file)))
              .getStatusCode());
      // warehouses: admins only
      assertEquals(
          403,
          assertThrows(
                  DatabricksError.class,
                  () ->
                      frank
                          .warehouses()
                          .create(
                              new CreateWarehouseRequest()
                                  .setName("mine")
                                  .setClusterSize("2X-Small")))
              .getStatusCode());
      // Unity Catalog: runs CREATE CATALOG, whose refusal the statement's end audits
      assertEquals(
          403,
          assertThrows(
                  DatabricksError.class,
                  () -> frank.catalogs().create(new CreateCatalog().setName("mine")))
              .getStatusCode());
      // SCIM: admins only
      assertEquals(
          403,
          assertThrows(
                  DatabricksError.class,
                  () -> frank.groups().create(new Group().setDisplayName("mine")))
              .getStatusCode());
      // the last refusal: the audit is written in order, so once it is there, all are
      assertEquals(
          403,
          assertThrows(DatabricksError.class, () -> frank.files().delete(file)).getStatusCode());
      awaitRow(
          admin,
          "SELECT * FROM system.access.audit WHERE user_identity_email = 'frank'",
          r -> r.get("request_params").contains("\"http_method\":\"DELETE\""));

      List<Map<String, String>> refused =
          rows(
              admin,
              "SELECT * FROM system.access.audit WHERE user_identity_email = 'frank'"
                  + " AND response_status_code = 403 ORDER BY event_time");
      assertEquals(5, refused.size(), "each refusal once: " + refused);
      for (Map<String, String> row : refused) {
        assertEquals(LOOPBACK, row.get("source_ip_address"), row.toString());
      }
      Map<String, String> put = refused.get(0);
      assertEquals("filesystem", put.get("service_name"));
      assertEquals("permissionDenied", put.get("action_name"));
      assertEquals(
          "{\"http_method\":\"PUT\",\"path\":\"/api/2.0/fs/files"
              + file
              + "\","
              + "\"error_code\":\"PERMISSION_DENIED\"}",
          put.get("request_params"));
      assertTrue(
          put.get("response_error_message").contains("WRITE VOLUME"),
          put.get("response_error_message"));
      assertEquals("databrickssql", refused.get(1).get("service_name"));
      assertTrue(
          refused.get(1).get("request_params").contains("/api/2.0/sql/warehouses"),
          refused.get(1).get("request_params"));
      assertEquals("executeStatement", refused.get(2).get("action_name"));
      assertTrue(
          refused.get(2).get("request_params").contains("CREATE CATALOG"),
          refused.get(2).get("request_params"));
      assertEquals("accounts", refused.get(3).get("service_name"));
      assertTrue(
          refused.get(3).get("response_error_message").contains("may not create groups"),
          refused.get(3).get("response_error_message"));
      assertEquals("filesystem", refused.get(4).get("service_name"));

      // a SCIM change records the admin's address too
      String id = adminClient.groups().create(new Group().setDisplayName("temporary")).getId();
      adminClient.groups().delete(id);
      Map<String, String> removed =
          awaitRow(
              admin,
              "SELECT * FROM system.access.audit WHERE action_name = 'removeGroup'",
              r -> r.get("request_params").contains("temporary"));
      assertEquals("admin", removed.get("user_identity_email"));
      assertEquals(LOOPBACK, removed.get("source_ip_address"));
    }
  }

  @Test
  void tokenChecksOverFlightSqlAndAvaticaRecordTheClientsAddress() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      String gina = SecurityServer.userToken(dataDirectory, "gina");
      try (Connection viaFlight = connect(server.jdbcUrl(), gina)) {
        rows(viaFlight, "SELECT 1");
      }
      String hank = SecurityServer.userToken(dataDirectory, "hank");
      String avatica =
          "jdbc:avatica:remote:url=http://127.0.0.1:"
              + server.server().avaticaPort()
              + ";serialization=protobuf";
      try (Connection viaAvatica = connect(avatica, hank)) {
        rows(viaAvatica, "SELECT 1");
      }
      for (String user : List.of("gina", "hank")) {
        Map<String, String> login =
            awaitRow(
                admin,
                "SELECT * FROM system.access.audit WHERE action_name = 'tokenLogin'",
                r -> user.equals(r.get("user_identity_email")));
        assertEquals("200", login.get("response_status_code"), user);
        assertEquals(LOOPBACK, login.get("source_ip_address"), user);
      }
    }
  }

  @Test
  void tokenAndPrincipalCreationOverRestRecordTheClientsAddress() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      WorkspaceClient client =
          new WorkspaceClient(
              new DatabricksConfig()
                  .setHost(server.server().databricksRest().baseUrl())
                  .setToken(server.token()));
      String tokenId =
          client
              .tokens()
              .create(new CreateTokenRequest().setComment("ci").setLifetimeSeconds(3600L))
              .getTokenInfo()
              .getTokenId();
      client.tokens().delete(tokenId);
      client.users().create(new User().setUserName("ivy@example.com"));
      String loader =
          client
              .servicePrincipals()
              .create(new ServicePrincipal().setDisplayName("loader"))
              .getApplicationId();
      client
          .groups()
          .create(
              new Group()
                  .setDisplayName("readers")
                  .setMembers(List.of(new ComplexValue().setValue("ivy@example.com"))));

      Map<String, Predicate<Map<String, String>>> expected = new LinkedHashMap<>();
      expected.put(
          "generateDbToken",
          r ->
              "generateDbToken".equals(r.get("action_name"))
                  && r.get("request_params").contains(tokenId));
      expected.put(
          "revokeDbToken",
          r ->
              "revokeDbToken".equals(r.get("action_name"))
                  && r.get("request_params").contains(tokenId));
      expected.put(
          "add user",
          r ->
              "add".equals(r.get("action_name"))
                  && r.get("request_params")
                      .equals("{\"target_name\":\"ivy@example.com\",\"target_type\":\"USER\"}"));
      expected.put(
          "add service principal",
          r ->
              "add".equals(r.get("action_name"))
                  && r.get("request_params")
                      .equals(
                          "{\"target_name\":\""
                              + loader
                              + "\",\"target_type\":\"SERVICE_PRINCIPAL\","
                              + "\"display_name\":\"loader\"}"));
      expected.put(
          "createGroup",
          r ->
              "createGroup".equals(r.get("action_name"))
                  && r.get("request_params").contains("readers"));
      expected.put(
          "addPrincipalToGroup",
          r ->
              "addPrincipalToGroup".equals(r.get("action_name"))
                  && r.get("request_params").contains("ivy@example.com"));
      for (Map.Entry<String, Predicate<Map<String, String>>> e : expected.entrySet()) {
        Map<String, String> row =
            awaitRow(admin, "SELECT * FROM system.access.audit", e.getValue());
        assertEquals("accounts", row.get("service_name"), e.getKey());
        assertEquals("admin", row.get("user_identity_email"), e.getKey());
        assertEquals("200", row.get("response_status_code"), e.getKey());
        assertEquals(LOOPBACK, row.get("source_ip_address"), e.getKey() + ": " + row);
      }

      // a group with a missing member is not created, nor audited
      assertThrows(
          DatabricksError.class,
          () ->
              client
                  .groups()
                  .create(
                      new Group()
                          .setDisplayName("ghosts")
                          .setMembers(List.of(new ComplexValue().setValue("nobody@example.com")))));
      List<String> groups = new ArrayList<>();
      client.groups().list(new ListGroupsRequest()).forEach(g -> groups.add(g.getDisplayName()));
      assertTrue(groups.contains("readers") && !groups.contains("ghosts"), groups.toString());
      assertEquals(
          List.of(),
          rows(admin, "SELECT * FROM system.access.audit WHERE request_params LIKE '%ghosts%'"));
    }
  }

  @Test
  void copyIntoAndReadFilesLeaveLineageRowsNamingTheirPaths() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA main.landing");
      execute(admin, "CREATE VOLUME main.landing.raw");
      WorkspaceClient client =
          new WorkspaceClient(
              new DatabricksConfig()
                  .setHost(server.server().databricksRest().baseUrl())
                  .setToken(server.token()));
      client
          .files()
          .upload(
              new UploadRequest()
                  .setFilePath("/Volumes/main/landing/raw/in/people.csv")
                  .setContents(
                      new ByteArrayInputStream(
                          "id,name\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8)))
                  .setOverwrite(true));
      execute(admin, "CREATE TABLE main.landing.people (id BIGINT, name STRING)");
      execute(
          admin,
          "COPY INTO main.landing.people FROM '/Volumes/main/landing/raw/in' FILEFORMAT = CSV"
              + " FORMAT_OPTIONS ('header' = 'true')");
      Map<String, String> lineage =
          awaitRow(
              admin,
              "SELECT * FROM system.access.table_lineage",
              r -> "main.landing.people".equals(r.get("target_table_full_name")));
      assertNull(lineage.get("source_table_full_name"), lineage.toString());
      assertEquals("/Volumes/main/landing/raw/in", lineage.get("source_path"), lineage.toString());
      assertEquals("PATH", lineage.get("source_type"));
      assertEquals("TABLE", lineage.get("target_type"));
      assertEquals(AuditLogTest.location(admin, "main.landing.people"), lineage.get("target_path"));
      assertEquals("admin", lineage.get("created_by"));
      // CREATE TABLE without AS SELECT writes no lineage: this row is the COPY's
      assertTrue(lineage.get("statement_id").matches("[0-9a-f-]{36}"), lineage.get("statement_id"));

      // read_files: CTAS and INSERT record the path with their target, a query with none
      String file = "/Volumes/main/landing/raw/in/people.csv";
      String readFiles = "read_files('" + file + "', format => 'csv', header => true)";
      execute(admin, "CREATE TABLE main.landing.copy AS SELECT * FROM " + readFiles);
      execute(admin, "INSERT INTO main.landing.people SELECT id, name FROM " + readFiles);
      rows(admin, "SELECT count(*) FROM " + readFiles);
      Map<String, String> ctas =
          awaitRow(
              admin,
              "SELECT * FROM system.access.table_lineage",
              r -> "main.landing.copy".equals(r.get("target_table_full_name")));
      assertEquals(file, ctas.get("source_path"), ctas.toString());
      assertEquals("PATH", ctas.get("source_type"));
      assertNull(ctas.get("source_table_full_name"));
      Map<String, String> insert =
          awaitRow(
              admin,
              "SELECT * FROM system.access.table_lineage",
              r ->
                  file.equals(r.get("source_path"))
                      && "main.landing.people".equals(r.get("target_table_full_name")));
      assertEquals("PATH", insert.get("source_type"));
      Map<String, String> read =
          awaitRow(
              admin,
              "SELECT * FROM system.access.table_lineage",
              r -> file.equals(r.get("source_path")) && r.get("target_table_full_name") == null);
      assertNull(read.get("target_type"), read.toString());
    }
  }

  private static UploadRequest upload(String path) {
    return new UploadRequest()
        .setFilePath(path)
        .setContents(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)))
        .setOverwrite(true);
  }
}
