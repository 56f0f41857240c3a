package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unity Catalog's privileges through the Flight SQL JDBC driver, with two tokens: the admin, and
 * bob, a user with nothing until granted. Grants take effect on the next statement, revokes too;
 * what bob may not see is absent from SHOW and the driver's metadata calls; a view reads with its
 * owner's rights; the result cache never answers bob with a result he could not compute.
 */
class GovernanceTest {
  @TempDir Path dataDirectory;

  @Test
  void grantQueryRevokeDenied() throws Exception {
    try (ConformanceServer server =
            ConformanceServer.start(dataDirectory, Map.of(ServerConfig.RESULT_CACHE, "true"));
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA sales");
      execute(admin, "CREATE TABLE sales.orders AS SELECT 1 AS id UNION ALL SELECT 2 AS id");
      execute(admin, "CREATE SCHEMA secret");
      execute(admin, "CREATE TABLE secret.t AS SELECT 42 AS x");
      execute(admin, "CREATE VIEW sales.answer AS SELECT x FROM secret.t");
      String bobToken = SecurityServer.userToken(dataDirectory, "bob");
      try (Connection bob = connect(server.jdbcUrl(), bobToken)) {
        // nothing granted: denied, naming the privilege and the object; nothing listed
        String message =
            assertFails(
                "PERMISSION_DENIED",
                "42501",
                () -> single(bob, "SELECT count(*) FROM sales.orders"));
        assertTrue(message.contains("USE CATALOG on catalog main"), message);
        assertEquals(List.of(), column(bob, "SHOW CATALOGS", 1));
        assertEquals(List.of(), column(bob, "SHOW SCHEMAS IN main", 1));
        assertEquals(List.of(), tables(bob, "%"));

        execute(admin, "GRANT USE CATALOG ON CATALOG main TO `bob`");
        execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.sales TO bob");

        assertEquals(2, single(bob, "SELECT count(*) FROM sales.orders"));
        assertEquals(List.of("main"), column(bob, "SHOW CATALOGS", 1));
        assertEquals(List.of("sales"), column(bob, "SHOW SCHEMAS IN main", 1));
        assertEquals(List.of("answer", "orders"), column(bob, "SHOW TABLES IN sales", 2));
        assertEquals(List.of("answer", "orders"), tables(bob, "%"));
        assertEquals(
            List.of("orders"),
            column(
                bob,
                "SELECT table_name FROM main.information_schema.tables"
                    + " WHERE table_schema <> 'information_schema' AND table_type <> 'VIEW'",
                1));
        // the view reads secret.t with its owner's (the admin's) rights; bob cannot read it himself
        assertEquals(42, single(bob, "SELECT x FROM sales.answer"));
        message =
            assertFails("PERMISSION_DENIED", "42501", () -> single(bob, "SELECT * FROM secret.t"));
        assertTrue(message.contains("USE SCHEMA on schema main.secret"), message);
        assertFails("PERMISSION_DENIED", "42501", () -> execute(bob, "DESCRIBE secret.t"));

        // writing needs MODIFY
        message =
            assertFails(
                "PERMISSION_DENIED",
                "42501",
                () -> execute(bob, "INSERT INTO sales.orders VALUES (3)"));
        assertTrue(message.contains("MODIFY on table main.sales.orders"), message);
        execute(admin, "GRANT MODIFY ON TABLE sales.orders TO bob");
        execute(bob, "INSERT INTO sales.orders VALUES (3)");
        assertEquals(3, single(admin, "SELECT count(*) FROM sales.orders"));
        assertFails(
            "PERMISSION_DENIED", "42501", () -> execute(bob, "CREATE TABLE sales.mine (x INT)"));

        // SHOW GRANTS: the object's own grants, its owner and what it inherits
        assertEquals(
            List.of(
                "admin|OWN|TABLE|main.sales.orders",
                "bob|MODIFY|TABLE|main.sales.orders",
                "bob|SELECT|SCHEMA|main.sales",
                "bob|USE SCHEMA|SCHEMA|main.sales",
                "bob|USE CATALOG|CATALOG|main"),
            grants(admin, "SHOW GRANTS ON TABLE sales.orders"));
        assertEquals(
            List.of(
                "bob|SELECT|SCHEMA|main.sales",
                "bob|USE SCHEMA|SCHEMA|main.sales",
                "bob|USE CATALOG|CATALOG|main"),
            grants(bob, "SHOW GRANTS `bob` ON SCHEMA sales"));

        // bad input: Databricks' errors, nothing changed
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(bob, "GRANT SELECT ON SCHEMA secret TO bob"));
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> execute(admin, "GRANT SELECT ON TABLE sales.orders TO `nobody@example.com`"));
        assertFails(
            "PRIVILEGE_NOT_APPLICABLE",
            "42000",
            () -> execute(admin, "GRANT CREATE SCHEMA ON TABLE sales.orders TO bob"));
        assertFails(
            "ROUTINE_NOT_FOUND",
            "42883",
            () -> execute(admin, "GRANT EXECUTE ON FUNCTION f TO bob"));
        assertFails(
            "UNSUPPORTED_FEATURE", "0A000", () -> execute(admin, "GRANT SELECT ON SHARE s TO bob"));
        assertFails(
            "VOLUME_NOT_FOUND",
            "42704",
            () -> execute(admin, "GRANT READ VOLUME ON VOLUME sales.v TO bob"));
        assertFails(
            "TABLE_OR_VIEW_NOT_FOUND",
            "42P01",
            () -> execute(admin, "GRANT SELECT ON TABLE sales.missing TO bob"));

        // a result the admin cached is not served to bob once he lost SELECT: revoke holds on the
        // next statement
        String query = "SELECT sum(id) FROM sales.orders";
        assertEquals(6, single(admin, query));
        assertEquals(6, single(admin, query));
        assertEquals(6, single(bob, query));
        execute(admin, "REVOKE SELECT ON SCHEMA sales FROM bob");
        assertFails("PERMISSION_DENIED", "42501", () -> single(bob, query));
        assertFails("PERMISSION_DENIED", "42501", () -> single(bob, "SELECT * FROM sales.answer"));
        // what he still holds keeps the schema visible; REVOKE ALL PRIVILEGES empties it
        assertEquals(List.of("sales"), column(bob, "SHOW SCHEMAS IN main", 1));
        execute(admin, "REVOKE ALL PRIVILEGES ON SCHEMA sales FROM bob");
        execute(admin, "REVOKE MODIFY ON TABLE sales.orders FROM bob");
        assertEquals(List.of(), column(bob, "SHOW SCHEMAS IN main", 1));
        assertEquals(6, single(admin, query));
      }
    }
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      long value = rs.getLong(1);
      assertFalse(rs.next());
      return value;
    }
  }

  /**
   * The METASTORE securable: CREATE CATALOG granted, shown and revoked; creating a catalog needs it
   * (or admin), and the creator owns the catalog; privileges that do not apply are refused.
   */
  @Test
  void createCatalogOnTheMetastore() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      try (Connection analyst = connect(server.jdbcUrl(), analystToken);
          Connection outsider = connect(server.jdbcUrl(), outsiderToken)) {
        String denied =
            assertFails("PERMISSION_DENIED", "42501", () -> execute(analyst, "CREATE CATALOG lab"));
        assertTrue(denied.contains("CREATE CATALOG on the metastore"), denied);
        assertEquals(List.of(), grants(admin, "SHOW GRANTS ON METASTORE"));

        execute(admin, "GRANT CREATE CATALOG ON METASTORE TO analyst");
        assertEquals(
            List.of("analyst|CREATE CATALOG|METASTORE|"),
            grants(analyst, "SHOW GRANTS ON METASTORE"));
        assertTrue(
            grants(admin, "SHOW GRANTS TO analyst").contains("analyst|CREATE CATALOG|METASTORE|"));
        // CREATE CATALOG on the metastore shows no catalog
        assertEquals(List.of(), column(analyst, "SHOW CATALOGS", 1));
        execute(analyst, "CREATE CATALOG lab");
        // the creator owns it: uses it, creates in it, grants on it
        execute(analyst, "CREATE SCHEMA lab.s");
        execute(analyst, "CREATE TABLE lab.s.t AS SELECT 5 AS x");
        assertEquals(5, single(analyst, "SELECT x FROM lab.s.t"));
        assertEquals(
            List.of("analyst|OWN|CATALOG|lab"), grants(admin, "SHOW GRANTS ON CATALOG lab"));
        assertEquals(List.of("lab"), column(analyst, "SHOW CATALOGS", 1));
        assertFails("PERMISSION_DENIED", "42501", () -> execute(outsider, "CREATE CATALOG lab2"));
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(analyst, "GRANT CREATE CATALOG ON METASTORE TO outsider"));
        assertFails("PERMISSION_DENIED", "42501", () -> single(outsider, "SELECT x FROM lab.s.t"));

        // privileges that do not apply to the metastore, or CREATE CATALOG elsewhere
        String notApplicable =
            assertFails(
                "PRIVILEGE_NOT_APPLICABLE",
                "42000",
                () -> execute(admin, "GRANT SELECT ON METASTORE TO outsider"));
        assertTrue(notApplicable.contains("[metastore:METASTORE]"), notApplicable);
        assertFails(
            "PRIVILEGE_NOT_APPLICABLE",
            "42000",
            () -> execute(admin, "GRANT ALL PRIVILEGES ON METASTORE TO outsider"));
        assertFails(
            "PRIVILEGE_NOT_APPLICABLE",
            "42000",
            () -> execute(admin, "GRANT CREATE CATALOG ON CATALOG main TO outsider"));
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> execute(admin, "GRANT CREATE CATALOG ON METASTORE TO nobody"));
        assertEquals(
            List.of("analyst|CREATE CATALOG|METASTORE|"),
            grants(admin, "SHOW GRANTS ON METASTORE"));

        execute(admin, "REVOKE CREATE CATALOG ON METASTORE FROM analyst");
        assertEquals(List.of(), grants(admin, "SHOW GRANTS ON METASTORE"));
        assertFails("PERMISSION_DENIED", "42501", () -> execute(analyst, "CREATE CATALOG lab3"));
        // what analyst created stays analyst's
        assertEquals(5, single(analyst, "SELECT x FROM lab.s.t"));
      }
    }
  }

  /**
   * READ VOLUME and WRITE VOLUME granted on one volume (not its schema): the Files API, LIST and
   * COPY INTO honour them; SHOW GRANTS ON VOLUME; ALL PRIVILEGES on a volume; REVOKE.
   */
  @Test
  void privilegesOnOneVolume() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA land");
      execute(admin, "CREATE VOLUME land.raw");
      execute(admin, "CREATE VOLUME land.other");
      execute(admin, "CREATE TABLE land.people (id BIGINT, name STRING)");
      String raw = "/api/2.0/fs/files/Volumes/main/land/raw/";
      String other = "/api/2.0/fs/files/Volumes/main/land/other/";
      assertEquals(204, call(server, server.token(), "PUT", raw + "in/p.csv", "id,name\n1,a\n"));
      assertEquals(204, call(server, server.token(), "PUT", other + "o.csv", "id,name\n9,z\n"));
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      execute(admin, "GRANT USE CATALOG ON CATALOG main TO analyst");
      execute(admin, "GRANT USE SCHEMA ON SCHEMA main.land TO analyst");
      execute(admin, "GRANT MODIFY ON TABLE land.people TO analyst");
      try (Connection analyst = connect(server.jdbcUrl(), analystToken);
          Connection outsider = connect(server.jdbcUrl(), outsiderToken)) {
        String copy =
            "COPY INTO land.people FROM '/Volumes/main/land/raw/in' FILEFORMAT = CSV"
                + " FORMAT_OPTIONS ('header' = 'true')";
        assertFails(
            "PERMISSION_DENIED", "42501", () -> execute(analyst, "LIST '/Volumes/main/land/raw'"));
        assertEquals(403, call(server, analystToken, "GET", raw + "in/p.csv", null));
        assertFails("PERMISSION_DENIED", "42501", () -> execute(analyst, copy));

        execute(admin, "GRANT READ VOLUME ON VOLUME main.land.raw TO analyst");
        assertEquals(List.of("p.csv"), column(analyst, "LIST '/Volumes/main/land/raw/in'", 2));
        assertEquals(200, call(server, analystToken, "GET", raw + "in/p.csv", null));
        execute(analyst, copy);
        assertEquals(1, single(admin, "SELECT count(*) FROM land.people"));
        // on that volume only, and reading only
        assertEquals(403, call(server, analystToken, "GET", other + "o.csv", null));
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(analyst, "LIST '/Volumes/main/land/other'"));
        assertEquals(403, call(server, analystToken, "PUT", raw + "b.csv", "x"));
        // outsider: nothing, the volume does not exist for it
        assertEquals(404, call(server, outsiderToken, "GET", raw + "in/p.csv", null));
        assertFails(
            "VOLUME_NOT_FOUND", "42704", () -> execute(outsider, "LIST '/Volumes/main/land/raw'"));

        execute(admin, "GRANT WRITE VOLUME ON VOLUME land.raw TO analyst");
        assertEquals(204, call(server, analystToken, "PUT", raw + "b.csv", "x"));
        assertEquals(
            List.of(
                "admin|OWN|VOLUME|main.land.raw",
                "analyst|READ VOLUME|VOLUME|main.land.raw",
                "analyst|WRITE VOLUME|VOLUME|main.land.raw",
                "analyst|USE SCHEMA|SCHEMA|main.land",
                "analyst|USE CATALOG|CATALOG|main"),
            grants(admin, "SHOW GRANTS ON VOLUME land.raw"));
        assertEquals(
            List.of("analyst|WRITE VOLUME|VOLUME|main.land.raw"),
            grants(admin, "SHOW GRANTS analyst ON VOLUME land.raw").subList(1, 2));

        // privileges that do not apply to a volume; non-owners may not grant
        assertFails(
            "PRIVILEGE_NOT_APPLICABLE",
            "42000",
            () -> execute(admin, "GRANT SELECT ON VOLUME land.raw TO outsider"));
        assertFails(
            "PRIVILEGE_NOT_APPLICABLE",
            "42000",
            () -> execute(admin, "GRANT READ VOLUME ON TABLE land.people TO outsider"));
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(analyst, "GRANT READ VOLUME ON VOLUME land.raw TO outsider"));

        execute(admin, "REVOKE READ VOLUME, WRITE VOLUME ON VOLUME land.raw FROM analyst");
        assertEquals(403, call(server, analystToken, "GET", raw + "in/p.csv", null));
        assertEquals(403, call(server, analystToken, "PUT", raw + "c.csv", "x"));

        // ALL PRIVILEGES on the volume: reading and writing its files
        execute(admin, "GRANT ALL PRIVILEGES ON VOLUME land.other TO analyst");
        assertEquals(200, call(server, analystToken, "GET", other + "o.csv", null));
        assertEquals(204, call(server, analystToken, "PUT", other + "p.csv", "x"));
        assertEquals(403, call(server, analystToken, "GET", raw + "in/p.csv", null));
        // a dropped volume takes its grants with it
        execute(admin, "DROP VOLUME land.other");
        execute(admin, "CREATE VOLUME land.other");
        assertEquals(403, call(server, analystToken, "GET", other + "o.csv", null));
      }
    }
  }

  /**
   * USE CATALOG and USE SCHEMA statements: a catalog or schema the caller may not see does not
   * exist for it; one it sees needs USE CATALOG / USE SCHEMA.
   */
  @Test
  void useStatementsCheckPrivileges() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE CATALOG other");
      execute(admin, "CREATE SCHEMA other.s");
      execute(admin, "CREATE SCHEMA main.seen");
      execute(admin, "CREATE TABLE main.seen.t AS SELECT 3 AS x");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      execute(admin, "GRANT SELECT ON SCHEMA main.seen TO analyst");
      try (Connection analyst = connect(server.jdbcUrl(), analystToken);
          Connection outsider = connect(server.jdbcUrl(), outsiderToken)) {
        // not visible: does not exist
        assertFails("CATALOG_NOT_FOUND", "42704", () -> execute(outsider, "USE CATALOG other"));
        assertFails("CATALOG_NOT_FOUND", "42704", () -> execute(analyst, "USE CATALOG other"));
        assertFails("CATALOG_NOT_FOUND", "42704", () -> execute(outsider, "USE main.seen"));
        // visible but no USE CATALOG / USE SCHEMA: denied, naming the privilege
        String noCatalog =
            assertFails("PERMISSION_DENIED", "42501", () -> execute(analyst, "USE CATALOG main"));
        assertTrue(noCatalog.contains("USE CATALOG on catalog main"), noCatalog);
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO analyst");
        execute(analyst, "USE CATALOG main");
        assertFails("SCHEMA_NOT_FOUND", "3F000", () -> execute(analyst, "USE SCHEMA main.s2"));
        String noSchema =
            assertFails("PERMISSION_DENIED", "42501", () -> execute(analyst, "USE SCHEMA seen"));
        assertTrue(noSchema.contains("USE SCHEMA on schema main.seen"), noSchema);
        execute(admin, "GRANT USE SCHEMA ON SCHEMA main.seen TO analyst");
        execute(analyst, "USE SCHEMA seen");
        assertEquals(3, single(analyst, "SELECT x FROM t"));
        // revoked: refused on the next statement
        execute(admin, "REVOKE USE SCHEMA ON SCHEMA main.seen FROM analyst");
        assertFails("PERMISSION_DENIED", "42501", () -> execute(analyst, "USE main.seen"));
        // the admin may use anything
        execute(admin, "USE other.s");
      }
    }
  }

  private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

  /** A Files API call; its HTTP status. */
  private int call(ConformanceServer server, String token, String method, String path, String body)
      throws Exception {
    java.net.http.HttpRequest.BodyPublisher publisher =
        body == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body);
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.server().databricksRest().baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, publisher)
            .build();
    return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static List<String> column(Connection c, String sql, int column) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(column));
      }
    }
    return values.stream().sorted().toList();
  }

  private static List<String> grants(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertEquals("principal", rs.getMetaData().getColumnName(1));
      assertEquals("ActionType", rs.getMetaData().getColumnName(2));
      assertEquals("ObjectType", rs.getMetaData().getColumnName(3));
      assertEquals("ObjectKey", rs.getMetaData().getColumnName(4));
      while (rs.next()) {
        rows.add(
            rs.getString(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getString(3)
                + "|"
                + rs.getString(4));
      }
    }
    return rows;
  }

  /** The driver's getTables: names of the tables and views bob's metadata call lists in main. */
  private static List<String> tables(Connection c, String pattern) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getTables("main", null, pattern, null)) {
      while (rs.next()) {
        if (!"information_schema".equals(rs.getString("TABLE_SCHEM"))) {
          names.add(rs.getString("TABLE_NAME"));
        }
      }
    }
    return names.stream().sorted().toList();
  }
}
