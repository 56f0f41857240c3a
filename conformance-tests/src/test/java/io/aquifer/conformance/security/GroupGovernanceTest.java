package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.AquiferCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Groups through the Flight SQL JDBC driver, with memberships changed by the {@code aquifer group}
 * command while the server runs: an analyst reads a schema granted to a group two levels above him;
 * removing him from the inner group holds on his next statement; a group owning a table lets its
 * members manage it; the group {@code admins} makes its members admins; cycles are refused.
 */
class GroupGovernanceTest {
  @TempDir Path dataDirectory;

  @Test
  void privilegesFollowNestedGroupMembershipFromStatementToStatement() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA sales");
      execute(admin, "CREATE TABLE sales.orders AS SELECT 1 AS id UNION ALL SELECT 2 AS id");
      execute(admin, "CREATE SCHEMA secret");
      execute(admin, "CREATE TABLE secret.t AS SELECT 42 AS x");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");

      // readers ⊃ finance ⊃ analyst; the grants go to readers only
      assertEquals(0, cli("group", "create", "readers"));
      assertEquals(0, cli("group", "create", "finance"));
      assertEquals(0, cli("group", "add-member", "readers", "finance"));
      assertEquals(0, cli("group", "add-member", "finance", "analyst"));
      execute(admin, "GRANT USE CATALOG ON CATALOG main TO readers");
      execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.sales TO `readers`");

      try (Connection analyst = connect(server.jdbcUrl(), analystToken)) {
        assertEquals(2, single(analyst, "SELECT count(*) FROM sales.orders"));
        assertEquals(List.of("orders"), column(analyst, "SHOW TABLES IN sales", 2));
        assertFails("PERMISSION_DENIED", "42501", () -> single(analyst, "SELECT * FROM secret.t"));
        assertEquals(
            List.of(
                "readers|SELECT|SCHEMA|main.sales",
                "readers|USE SCHEMA|SCHEMA|main.sales",
                "readers|USE CATALOG|CATALOG|main"),
            grants(admin, "SHOW GRANTS ON SCHEMA sales").subList(1, 4));

        // SHOW GROUPS / SHOW USERS, as Databricks writes them; anyone may list
        assertEquals(List.of("admins", "finance", "readers"), column(analyst, "SHOW GROUPS", 1));
        assertEquals(List.of("finance"), column(analyst, "SHOW GROUPS LIKE 'fin*'", 1));
        assertEquals(
            List.of("finance|true", "readers|false"),
            pairs(admin, "SHOW GROUPS WITH USER `analyst`"));
        assertEquals(
            List.of("readers|true"), pairs(admin, "SHOW GROUPS WITH GROUP finance LIKE 're*'"));
        assertEquals(List.of("admin", "analyst"), column(analyst, "SHOW USERS", 1));
        assertEquals(List.of("analyst"), column(analyst, "SHOW USERS 'ana*|nobody'", 1));
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> column(admin, "SHOW GROUPS WITH USER bob", 1));

        // a cycle is refused and changes nothing
        String cycle = cliError("group", "add-member", "finance", "readers");
        assertTrue(cycle.contains("GROUP_MEMBERSHIP_CYCLE"), cycle);
        assertTrue(cycle.contains("finance is already a member of readers"), cycle);
        assertEquals(2, single(analyst, "SELECT count(*) FROM sales.orders"));

        // out of finance: denied on the very next statement, and the schema is gone from SHOW
        assertEquals(0, cli("group", "remove-member", "finance", "analyst"));
        String denied =
            assertFails(
                "PERMISSION_DENIED",
                "42501",
                () -> single(analyst, "SELECT count(*) FROM sales.orders"));
        assertTrue(denied.contains("USE CATALOG on catalog main"), denied);
        assertEquals(List.of(), column(analyst, "SHOW SCHEMAS IN main", 1));

        // the group admins makes its members admins, also through a nested group
        assertEquals(0, cli("group", "create", "ops"));
        assertEquals(0, cli("group", "add-member", "ops", "analyst"));
        assertEquals(0, cli("group", "add-member", "admins", "ops"));
        assertEquals(42, single(analyst, "SELECT x FROM secret.t"));
        assertEquals(0, cli("group", "remove-member", "admins", "ops"));
        assertFails("PERMISSION_DENIED", "42501", () -> single(analyst, "SELECT x FROM secret.t"));

        // granting to a group that does not exist: Databricks' error
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> execute(admin, "GRANT SELECT ON SCHEMA sales TO `no such group`"));

        // a group as owner: its members own the schema (ALTER ... OWNER TO), may grant on it
        execute(admin, "CREATE SCHEMA team");
        execute(admin, "CREATE TABLE team.t AS SELECT 7 AS x");
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(analyst, "ALTER SCHEMA team OWNER TO `analyst`"));
        execute(admin, "ALTER SCHEMA team OWNER TO ops");
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO ops");
        assertEquals(7, single(analyst, "SELECT x FROM team.t"));
        execute(analyst, "GRANT SELECT ON TABLE team.t TO readers");
        assertEquals(
            List.of(
                "ops|OWN|SCHEMA|main.team",
                "ops|USE CATALOG|CATALOG|main",
                "readers|USE CATALOG|CATALOG|main"),
            grants(admin, "SHOW GRANTS ON SCHEMA team"));
        assertEquals(
            List.of("ops|USE CATALOG|CATALOG|main"), grants(analyst, "SHOW GRANTS TO ops"));
        assertEquals(
            List.of(
                "readers|USE CATALOG|CATALOG|main",
                "readers|SELECT|SCHEMA|main.sales",
                "readers|USE SCHEMA|SCHEMA|main.sales",
                "readers|SELECT|TABLE|main.team.t"),
            grants(admin, "SHOW GRANTS TO `readers`"));
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> execute(analyst, "ALTER TABLE team.t OWNER TO nobody"));
        execute(analyst, "ALTER TABLE team.t OWNER TO admin");
        assertEquals(0, cli("group", "remove-member", "ops", "analyst"));
        assertFails("PERMISSION_DENIED", "42501", () -> single(analyst, "SELECT x FROM team.t"));
      }
      String listing = cliOutput("group", "list");
      assertTrue(listing.contains("admins\tadmin\n"), listing);
      assertTrue(listing.contains("readers\tfinance\n"), listing);
    }
  }

  /**
   * CREATE GROUP, ALTER GROUP and DROP GROUP in SQL: admins only (through Flight SQL and Avatica);
   * grants to a group made in SQL hold for the members added in SQL from their next statement, and
   * stop when the member is dropped or the group is; a volume changes owner with ALTER VOLUME.
   */
  @Test
  void groupsAreManagedInSqlByAdminsOnly() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA sales");
      execute(admin, "CREATE TABLE sales.orders AS SELECT 1 AS id UNION ALL SELECT 2 AS id");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String avatica =
          "jdbc:avatica:remote:url=http://127.0.0.1:"
              + server.server().avaticaPort()
              + ";serialization=protobuf";

      try (Connection analyst = connect(server.jdbcUrl(), analystToken);
          Connection analystAvatica = connect(avatica, analystToken)) {
        for (Connection c : List.of(analyst, analystAvatica)) {
          String denied =
              assertFails("PERMISSION_DENIED", "42501", () -> execute(c, "CREATE GROUP mine"));
          assertTrue(denied.contains("only admins may manage groups"), denied);
          assertFails(
              "PERMISSION_DENIED",
              "42501",
              () -> execute(c, "ALTER GROUP admins ADD USER `analyst`"));
          assertFails("PERMISSION_DENIED", "42501", () -> execute(c, "DROP GROUP admins"));
        }
        assertEquals(List.of("admins"), column(analyst, "SHOW GROUPS", 1));

        execute(admin, "CREATE GROUP readers");
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO readers");
        execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.sales TO readers");
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> single(analyst, "SELECT count(*) FROM sales.orders"));
        execute(admin, "ALTER GROUP readers ADD USER `analyst`");
        assertEquals(2, single(analyst, "SELECT count(*) FROM sales.orders"));
        assertEquals(2, single(analystAvatica, "SELECT count(*) FROM sales.orders"));
        assertEquals(List.of("readers"), column(admin, "SHOW GROUPS WITH USER analyst", 1));
        assertFails(
            "PRINCIPAL_ALREADY_EXISTS", "42710", () -> execute(admin, "CREATE GROUP readers"));
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> execute(admin, "ALTER GROUP readers ADD USER `nobody@example.com`"));

        execute(admin, "ALTER GROUP readers DROP USER analyst");
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> single(analyst, "SELECT count(*) FROM sales.orders"));
        execute(admin, "ALTER GROUP readers ADD USER analyst");
        assertEquals(2, single(analyst, "SELECT count(*) FROM sales.orders"));
        execute(admin, "DROP GROUP readers");
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> single(analystAvatica, "SELECT count(*) FROM sales.orders"));
        assertEquals(List.of("admins"), column(admin, "SHOW GROUPS", 1));

        // admins made in SQL: a group nested into admins makes its members admins
        execute(admin, "CREATE GROUP ops WITH USER analyst");
        execute(admin, "ALTER GROUP admins ADD GROUP ops");
        execute(analyst, "CREATE GROUP made_by_analyst");
        execute(admin, "ALTER GROUP admins DROP GROUP ops");
        assertFails(
            "PERMISSION_DENIED", "42501", () -> execute(analyst, "DROP GROUP made_by_analyst"));

        // ALTER VOLUME ... OWNER TO: the new owner (here a group) may then grant on it
        execute(admin, "CREATE VOLUME sales.landing");
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO ops");
        execute(admin, "GRANT USE SCHEMA ON SCHEMA main.sales TO ops");
        // a volume the analyst cannot see is absent; one he can read he may not give away
        assertFails(
            "VOLUME_NOT_FOUND",
            "42704",
            () -> execute(analyst, "ALTER VOLUME sales.landing OWNER TO analyst"));
        execute(admin, "GRANT READ VOLUME ON VOLUME sales.landing TO ops");
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(analyst, "ALTER VOLUME sales.landing OWNER TO analyst"));
        assertFails(
            "PRINCIPAL_DOES_NOT_EXIST",
            "42704",
            () -> execute(admin, "ALTER VOLUME sales.landing OWNER TO nobody"));
        execute(admin, "ALTER VOLUME main.sales.landing OWNER TO ops");
        assertEquals(
            List.of("ops|OWN|VOLUME|main.sales.landing"),
            grants(admin, "SHOW GRANTS ON VOLUME sales.landing").subList(0, 1));
        execute(analyst, "GRANT READ VOLUME ON VOLUME main.sales.landing TO made_by_analyst");
        execute(analyst, "ALTER VOLUME main.sales.landing OWNER TO admin");
        assertEquals(
            List.of("admin|OWN|VOLUME|main.sales.landing"),
            grants(admin, "SHOW GRANTS ON VOLUME sales.landing").subList(0, 1));
      }
    }
  }

  private int cli(String... args) {
    return command().execute(withDataDir(args));
  }

  private String cliOutput(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, command().execute(withDataDir(args)));
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private String cliError(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(1, command().execute(withDataDir(args)));
    } finally {
      System.setErr(old);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  private static CommandLine command() {
    return new CommandLine(new AquiferCommand());
  }

  private String[] withDataDir(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dataDirectory.toString());
    return all.toArray(String[]::new);
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static List<String> column(Connection c, String sql, int column) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(column));
      }
    }
    return values;
  }

  private static List<String> grants(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
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

  /** Two-column rows as {@code a|b}. */
  private static List<String> pairs(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1) + "|" + rs.getString(2));
      }
    }
    return rows;
  }
}
