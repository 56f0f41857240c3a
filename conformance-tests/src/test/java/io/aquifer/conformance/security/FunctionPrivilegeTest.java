package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FUNCTION securable through the Flight SQL JDBC driver: EXECUTE granted on one function, shown
 * by SHOW GRANTS and revoked; calling needs it (owners and admins do not), a row filter's functions
 * run with the table owner's rights and a view's with its owner's; functions one may not see are
 * absent from SHOW FUNCTIONS, DESCRIBE FUNCTION and information_schema.routines; ALTER FUNCTION ...
 * OWNER TO; privileges that do not apply to a function or to a table are refused.
 */
class FunctionPrivilegeTest {
  @TempDir Path dataDirectory;

  @Test
  void executeOnOneFunctionIsGrantedShownRevokedAndEnforced() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory, Map.of());
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA hr");
      execute(
          admin, "CREATE TABLE hr.emp AS SELECT 1 AS id, 'eu' AS region UNION ALL SELECT 2, 'us'");
      execute(admin, "CREATE FUNCTION hr.is_eu(r STRING) RETURNS BOOLEAN RETURN r = 'eu'");
      execute(admin, "CREATE FUNCTION hr.eu_filter(r STRING) RETURNS BOOLEAN RETURN hr.is_eu(r)");
      execute(admin, "CREATE FUNCTION hr.twice(x INT) RETURNS INT RETURN x * 2");
      execute(admin, "ALTER TABLE hr.emp SET ROW FILTER hr.eu_filter ON (region)");
      execute(admin, "CREATE VIEW hr.emp_eu AS SELECT id, hr.is_eu(region) AS eu FROM hr.emp");
      // a table and a function of the same name keep their grants apart
      execute(admin, "CREATE TABLE hr.same AS SELECT 1 AS x");
      execute(admin, "CREATE FUNCTION hr.same() RETURNS INT RETURN 7");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      execute(admin, "GRANT USE CATALOG ON CATALOG main TO analyst");
      execute(admin, "GRANT USE SCHEMA ON SCHEMA main.hr TO analyst");
      execute(admin, "GRANT SELECT ON TABLE hr.emp TO analyst");
      execute(admin, "GRANT SELECT ON VIEW hr.emp_eu TO analyst");

      try (Connection analyst = connect(server.jdbcUrl(), analystToken);
          Connection outsider = connect(server.jdbcUrl(), outsiderToken)) {
        // nothing on the functions: not callable, not listed
        String denied =
            assertFails("PERMISSION_DENIED", "42501", () -> rows(analyst, "SELECT hr.twice(2)"));
        assertTrue(denied.contains("EXECUTE on function main.hr.twice"), denied);
        assertEquals(List.of(), userFunctions(analyst));
        assertEquals(List.of(), routines(analyst));
        assertFails(
            "UNRESOLVED_ROUTINE", "42883", () -> rows(analyst, "DESCRIBE FUNCTION hr.twice"));
        // a row filter's functions (and those they call) run with the table owner's rights
        assertEquals(List.of("1"), rows(analyst, "SELECT id FROM hr.emp"));
        // a view's with its owner's
        assertEquals(List.of("1|true"), rows(analyst, "SELECT * FROM hr.emp_eu"));

        execute(admin, "GRANT EXECUTE ON FUNCTION hr.twice TO analyst");
        execute(admin, "GRANT EXECUTE ON FUNCTION main.hr.same TO analyst");
        assertEquals(List.of("4"), rows(analyst, "SELECT hr.twice(2)"));
        assertEquals(List.of("main.hr.same", "main.hr.twice"), userFunctions(analyst));
        assertEquals(List.of("main.hr.same", "main.hr.twice"), routines(analyst));
        assertEquals(
            List.of("Function: main.hr.twice", "Type: SCALAR", "Input: x INT", "Returns: INT"),
            rows(analyst, "DESCRIBE FUNCTION hr.twice"));
        // the grant is on that function only
        assertFails("PERMISSION_DENIED", "42501", () -> rows(analyst, "SELECT hr.is_eu('eu')"));
        assertFails("PERMISSION_DENIED", "42501", () -> rows(outsider, "SELECT hr.twice(2)"));
        assertEquals(
            List.of(
                "admin|OWN|FUNCTION|main.hr.twice",
                "analyst|EXECUTE|FUNCTION|main.hr.twice",
                "analyst|USE SCHEMA|SCHEMA|main.hr",
                "analyst|USE CATALOG|CATALOG|main"),
            rows(admin, "SHOW GRANTS ON FUNCTION hr.twice"));
        assertEquals(
            List.of(
                "admin|OWN|TABLE|main.hr.same",
                "analyst|USE SCHEMA|SCHEMA|main.hr",
                "analyst|USE CATALOG|CATALOG|main"),
            rows(admin, "SHOW GRANTS ON TABLE hr.same"));
        assertEquals(
            List.of("analyst|EXECUTE|FUNCTION|main.hr.same"),
            rows(admin, "SHOW GRANTS analyst ON FUNCTION hr.same").subList(0, 1));
        assertTrue(
            rows(admin, "SHOW GRANTS TO analyst")
                .contains("analyst|EXECUTE|FUNCTION|main.hr.twice"));
        assertFails("PERMISSION_DENIED", "42501", () -> rows(analyst, "SELECT * FROM hr.same"));
        assertEquals(List.of("7"), rows(analyst, "SELECT hr.same()"));

        // privileges that do not apply, unknown functions, non-owners: refused, nothing changes
        String notApplicable =
            assertFails(
                "PRIVILEGE_NOT_APPLICABLE",
                "42000",
                () -> execute(admin, "GRANT SELECT ON FUNCTION hr.twice TO outsider"));
        assertTrue(notApplicable.contains("[main.hr.twice:FUNCTION]"), notApplicable);
        assertFails(
            "PRIVILEGE_NOT_APPLICABLE",
            "42000",
            () -> execute(admin, "GRANT EXECUTE ON TABLE hr.emp TO outsider"));
        assertFails(
            "ROUTINE_NOT_FOUND",
            "42883",
            () -> execute(admin, "GRANT EXECUTE ON FUNCTION hr.nope TO outsider"));
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(analyst, "GRANT EXECUTE ON FUNCTION hr.twice TO outsider"));
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> execute(admin, "GRANT EXECUTE ON FUNCTION hr.twice TO nobody"));
        assertFails("PERMISSION_DENIED", "42501", () -> rows(outsider, "SELECT hr.twice(2)"));

        // revoke holds on the next statement
        execute(admin, "REVOKE EXECUTE ON FUNCTION hr.twice FROM analyst");
        assertFails("PERMISSION_DENIED", "42501", () -> rows(analyst, "SELECT hr.twice(2)"));
        assertEquals(List.of("main.hr.same"), userFunctions(analyst));

        // a new owner may call, grant and drop it without grants
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(outsider, "ALTER FUNCTION hr.twice OWNER TO outsider"));
        execute(admin, "ALTER FUNCTION hr.twice OWNER TO analyst");
        assertEquals(
            List.of("analyst|OWN|FUNCTION|main.hr.twice"),
            rows(admin, "SHOW GRANTS analyst ON FUNCTION hr.twice").subList(0, 1));
        assertEquals(List.of("6"), rows(analyst, "SELECT hr.twice(3)"));
        execute(analyst, "GRANT EXECUTE ON FUNCTION hr.twice TO outsider");
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO outsider");
        execute(admin, "GRANT USE SCHEMA ON SCHEMA hr TO outsider");
        assertEquals(List.of("8"), rows(outsider, "SELECT hr.twice(4)"));
        // EXECUTE on the schema covers its functions
        execute(admin, "GRANT EXECUTE ON SCHEMA hr TO outsider");
        assertEquals(List.of("true"), rows(outsider, "SELECT hr.is_eu('eu')"));
        execute(admin, "REVOKE EXECUTE ON SCHEMA hr FROM outsider");

        // a dropped function takes its grants along
        execute(analyst, "DROP FUNCTION hr.twice");
        execute(admin, "CREATE FUNCTION hr.twice(x INT) RETURNS INT RETURN x + x");
        assertFails("PERMISSION_DENIED", "42501", () -> rows(outsider, "SELECT hr.twice(2)"));
        assertEquals(
            List.of("admin|OWN|FUNCTION|main.hr.twice"),
            rows(admin, "SHOW GRANTS ON FUNCTION hr.twice").subList(0, 1));
        assertEquals(List.of("4"), rows(admin, "SELECT hr.twice(2)"));

        // the audit log names the client's address, which the Flight SQL front end saw
        List<String> denials = List.of();
        String audit =
            "SELECT DISTINCT source_ip_address FROM system.access.audit"
                + " WHERE action_name = 'executeStatement' AND user_identity_email = 'outsider'";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (denials.isEmpty() && System.nanoTime() < deadline) {
          denials = rows(admin, audit);
        }
        assertEquals(List.of("127.0.0.1"), denials);
      }
    }
  }

  private static List<String> userFunctions(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    for (String f : rows(c, "SHOW FUNCTIONS IN main.hr")) {
      if (f.startsWith("main.hr.")) {
        names.add(f);
      }
    }
    return names;
  }

  private static List<String> routines(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    for (String r :
        rows(
            c,
            "SELECT routine_catalog, routine_schema, routine_name FROM main.information_schema.routines"
                + " ORDER BY routine_name")) {
      names.add(r.replace('|', '.'));
    }
    return names;
  }

  /** The rows, each as its values joined with '|'. */
  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          values.add(String.valueOf(rs.getString(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }
}
