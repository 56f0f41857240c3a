package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.AquiferCommand;
import io.aquifer.server.ServerConfig;
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
import picocli.CommandLine;

/**
 * Row filters and column masks (SQL functions set on a table) through the Flight SQL JDBC driver
 * (and Avatica's remote driver), with the result cache on: each reader sees the rows and values the
 * functions give for him (is_account_group_member and current_user() answer for the caller), also
 * through joins, time travel and a cached result of another user; bad functions and calls fail and
 * change nothing; dropping the filter and mask shows everything again.
 */
class RowFilterColumnMaskTest {
  @TempDir Path dataDirectory;

  private static final String ALL = "SELECT id, region, email FROM hr.emp ORDER BY id";

  @Test
  void filtersAndMasksHoldForEveryReaderAndDropShowsAll() throws Exception {
    try (ConformanceServer server =
            ConformanceServer.start(dataDirectory, Map.of(ServerConfig.RESULT_CACHE, "true"));
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA hr");
      execute(
          admin,
          "CREATE TABLE hr.emp AS SELECT 1 AS id, 'eu' AS region, 'ann@x.org' AS email"
              + " UNION ALL SELECT 2, 'us', 'bob@x.org'"
              + " UNION ALL SELECT 3, 'eu', 'cid@x.org'");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      assertEquals(0, cli("group", "create", "eu_readers"));
      assertEquals(0, cli("group", "add-member", "eu_readers", "analyst"));
      for (String user : List.of("analyst", "outsider")) {
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO " + user);
        execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.hr TO " + user);
      }

      execute(
          admin,
          "CREATE FUNCTION hr.region_filter(r STRING) RETURNS BOOLEAN"
              + " COMMENT 'admins see all; eu_readers see eu'"
              + " RETURN is_account_group_member('admins')"
              + " OR (is_account_group_member('eu_readers') AND r = 'eu')");
      execute(
          admin,
          "CREATE FUNCTION hr.mask_email(e STRING, r STRING) RETURNS STRING"
              + " RETURN CASE WHEN is_account_group_member('admins') THEN e"
              + " WHEN current_user() = 'analyst' THEN concat('***@', r) ELSE NULL END");
      execute(admin, "ALTER TABLE hr.emp SET ROW FILTER hr.region_filter ON (region)");
      execute(
          admin,
          "ALTER TABLE hr.emp ALTER COLUMN email SET MASK hr.mask_email USING COLUMNS (region)");
      // DESCRIBE TABLE EXTENDED shows them after the table's details
      List<String> described = rows(admin, "DESCRIBE TABLE EXTENDED hr.emp");
      int masks = described.indexOf("# Column Masks||");
      assertTrue(masks > 0, described.toString());
      assertEquals(
          List.of(
              "# Column Masks||",
              "Column Name|Mask Function|Using Columns",
              "email|main.hr.mask_email|[region]",
              "||",
              "# Row Filter||",
              "Filter Function|main.hr.region_filter|",
              "Filter Columns|[region]|"),
          described.subList(masks, described.size()));

      try (Connection analyst = connect(server.jdbcUrl(), analystToken);
          Connection outsider = connect(server.jdbcUrl(), outsiderToken)) {
        List<String> everything = List.of("1|eu|ann@x.org", "2|us|bob@x.org", "3|eu|cid@x.org");
        // the admin's result is cached (asked twice); the others get their own
        assertEquals(everything, rows(admin, ALL));
        assertEquals(everything, rows(admin, ALL));
        assertEquals(List.of("1|eu|***@eu", "3|eu|***@eu"), rows(analyst, ALL));
        assertEquals(List.of("1|eu|***@eu", "3|eu|***@eu"), rows(analyst, ALL));
        assertEquals(List.of(), rows(outsider, ALL));
        assertEquals(everything, rows(admin, ALL));
        // the same through Avatica's remote driver: the filter and mask live in the planner
        String avatica =
            "jdbc:avatica:remote:url=http://127.0.0.1:"
                + server.server().avaticaPort()
                + ";serialization=protobuf";
        try (Connection viaAvatica = connect(avatica, analystToken)) {
          assertEquals(List.of("1|eu|***@eu", "3|eu|***@eu"), rows(viaAvatica, ALL));
        }
        try (Connection viaAvatica = connect(avatica, outsiderToken)) {
          assertEquals(List.of(), rows(viaAvatica, ALL));
          // a denied statement through Avatica: its audit row names the client's address
          assertFails(
              "PERMISSION_DENIED",
              "42501",
              () -> rows(viaAvatica, "SHOW GRANTS ON SCHEMA main.default"));
        }
        List<String> audited = List.of();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (audited.isEmpty() && System.nanoTime() < deadline) {
          audited =
              rows(
                  admin,
                  "SELECT DISTINCT source_ip_address FROM system.access.audit WHERE action_name ="
                      + " 'executeStatement' AND user_identity_email = 'outsider'");
        }
        assertEquals(List.of("127.0.0.1"), audited);

        // joins, aggregates, subqueries and time travel read through the filter and masks
        assertEquals(
            List.of("1|***@eu", "3|***@eu"),
            rows(
                analyst,
                "SELECT a.id, b.email FROM hr.emp a JOIN hr.emp b ON a.id = b.id ORDER BY a.id"));
        assertEquals(List.of("2"), rows(analyst, "SELECT count(*) FROM hr.emp"));
        assertEquals(List.of("3"), rows(admin, "SELECT count(*) FROM hr.emp"));
        assertEquals(
            List.of("1|eu|***@eu", "3|eu|***@eu"),
            rows(analyst, "SELECT id, region, email FROM hr.emp VERSION AS OF 0 ORDER BY id"));
        assertEquals(
            List.of("0"),
            rows(outsider, "SELECT count(*) FROM (SELECT * FROM main.hr.emp WHERE id > 0) t"));
        // a view owned by the admin: the filter still answers for the caller
        execute(admin, "CREATE VIEW hr.emp_view AS SELECT id, email FROM hr.emp");
        assertEquals(
            List.of("1|***@eu", "3|***@eu"),
            rows(analyst, "SELECT * FROM hr.emp_view ORDER BY id"));

        // writes that would remove rows the filter hides are refused, as Databricks does
        String refused =
            assertFails(
                "ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED",
                "0A000",
                () -> execute(admin, "TRUNCATE TABLE hr.emp"));
        assertTrue(refused.contains("row filter"), refused);
        assertFails(
            "ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED",
            "0A000",
            () -> execute(admin, "INSERT OVERWRITE hr.emp SELECT * FROM hr.emp"));
        assertEquals(everything, rows(admin, ALL));
        assertFails(
            "UNSUPPORTED_FEATURE",
            "0A000",
            () -> execute(admin, "ALTER TABLE hr.emp RENAME COLUMN email TO mail"));
        assertFails(
            "UNSUPPORTED_FEATURE",
            "0A000",
            () -> execute(admin, "ALTER TABLE hr.emp DROP COLUMN region"));
        // INSERT works; the new row is filtered like the others
        execute(admin, "INSERT INTO hr.emp VALUES (4, 'us', 'dee@x.org')");
        assertEquals(List.of("1|eu|***@eu", "3|eu|***@eu"), rows(analyst, ALL));
        assertEquals(List.of("4"), rows(admin, "SELECT count(*) FROM hr.emp"));
        // OPTIMIZE would rewrite the rows as the caller reads them: masked, or filtered
        String optimize =
            assertFails("UNSUPPORTED_FEATURE", "0A000", () -> execute(admin, "OPTIMIZE hr.emp"));
        assertTrue(optimize.contains("row filter or column mask"), optimize);

        // bad input: clear errors, and nothing changes
        assertFails(
            "ROUTINE_NOT_FOUND",
            "42883",
            () -> execute(admin, "ALTER TABLE hr.emp SET ROW FILTER hr.nope ON (region)"));
        String arity =
            assertFails(
                "WRONG_NUM_ARGS",
                "42605",
                () ->
                    execute(
                        admin,
                        "ALTER TABLE hr.emp SET ROW FILTER hr.region_filter ON (region, id)"));
        assertTrue(arity.contains("takes 1 argument(s)"), arity);
        assertFails(
            "UNRESOLVED_COLUMN",
            "42703",
            () -> execute(admin, "ALTER TABLE hr.emp SET ROW FILTER hr.region_filter ON (nope)"));
        assertFails(
            "UNRESOLVED_COLUMN",
            "42703",
            () -> execute(admin, "CREATE FUNCTION hr.bad(x INT) RETURNS INT RETURN y + 1"));
        assertFails("ROUTINE_NOT_FOUND", "42883", () -> execute(admin, "DROP FUNCTION hr.bad"));
        assertFails(
            "ROUTINE_ALREADY_EXISTS",
            "42723",
            () ->
                execute(
                    admin,
                    "CREATE FUNCTION hr.region_filter(r STRING) RETURNS BOOLEAN RETURN true"));
        // a function a table uses cannot be dropped
        assertFails(
            "CATALOG_OBJECT_NOT_EMPTY",
            "2BP01",
            () -> execute(admin, "DROP FUNCTION hr.region_filter"));
        // only the table's owner (or MANAGE, or an admin) sets or drops them
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(analyst, "ALTER TABLE hr.emp DROP ROW FILTER"));
        assertFails(
            "PERMISSION_DENIED",
            "42501",
            () -> execute(analyst, "CREATE FUNCTION hr.mine(x INT) RETURNS INT RETURN x"));
        assertEquals(List.of("1|eu|***@eu", "3|eu|***@eu"), rows(analyst, ALL));
        assertEquals(List.of(), rows(outsider, ALL));

        // SQL functions called by name: inlined, with the caller's group memberships
        execute(
            admin,
            "CREATE OR REPLACE FUNCTION hr.greet(name STRING, n INT) RETURNS STRING"
                + " RETURN concat(upper(name), repeat('!', n))");
        assertEquals(
            List.of("ANN@X.ORG!!", "BOB@X.ORG!!"),
            rows(admin, "SELECT hr.greet(email, 2) FROM hr.emp WHERE id < 3 ORDER BY id"));
        execute(admin, "USE SCHEMA hr");
        assertEquals(List.of("HI!"), rows(admin, "SELECT greet('hi', 1)"));
        // calling needs EXECUTE (reading through a filter does not)
        assertFails(
            "PERMISSION_DENIED", "42501", () -> rows(analyst, "SELECT hr.region_filter('eu')"));
        execute(admin, "GRANT EXECUTE ON SCHEMA hr TO analyst");
        execute(admin, "GRANT EXECUTE ON SCHEMA hr TO outsider");
        // names in a function's body resolve in the function's schema: a caller's own function
        // of the same name in his current schema does not take its place
        execute(admin, "CREATE FUNCTION hr.is_eu(r STRING) RETURNS BOOLEAN RETURN r = 'eu'");
        execute(admin, "CREATE FUNCTION hr.eu_only(r STRING) RETURNS BOOLEAN RETURN is_eu(r)");
        execute(admin, "CREATE SCHEMA scratch");
        execute(admin, "GRANT ALL PRIVILEGES ON SCHEMA scratch TO analyst");
        execute(analyst, "USE SCHEMA scratch");
        execute(analyst, "CREATE FUNCTION is_eu(r STRING) RETURNS BOOLEAN RETURN true");
        assertEquals(List.of("true|false"), rows(analyst, "SELECT is_eu('us'), hr.eu_only('us')"));
        execute(analyst, "USE SCHEMA hr");
        assertEquals(
            List.of("true|false"),
            rows(analyst, "SELECT hr.region_filter('eu'), main.hr.region_filter('us')"));
        assertEquals(List.of("false"), rows(outsider, "SELECT hr.region_filter('eu')"));
        assertFails("WRONG_NUM_ARGS", "42605", () -> rows(admin, "SELECT hr.greet('x')"));
        // SHOW and DESCRIBE FUNCTION
        assertEquals(
            List.of(
                "main.hr.eu_only",
                "main.hr.greet",
                "main.hr.is_eu",
                "main.hr.mask_email",
                "main.hr.region_filter"),
            rows(admin, "SHOW FUNCTIONS IN hr LIKE '*e*'").subList(0, 5));
        assertEquals(
            List.of(
                "Function: main.hr.greet",
                "Type: SCALAR",
                "Input: name STRING, n INT",
                "Returns: STRING"),
            rows(admin, "DESCRIBE FUNCTION hr.greet"));

        // DROP: everything visible again, for the same cached text too
        execute(admin, "ALTER TABLE hr.emp DROP ROW FILTER");
        assertEquals(
            List.of("1|eu|***@eu", "2|us|***@us", "3|eu|***@eu", "4|us|***@us"),
            rows(analyst, ALL));
        execute(admin, "ALTER TABLE hr.emp ALTER COLUMN email DROP MASK");
        List<String> now = new ArrayList<>(everything);
        now.add("4|us|dee@x.org");
        assertEquals(now, rows(analyst, ALL));
        assertEquals(now, rows(outsider, ALL));
        execute(admin, "DROP FUNCTION hr.region_filter");
        execute(admin, "DROP FUNCTION IF EXISTS hr.region_filter");
      }
    }
  }

  private static final String STORED = "SELECT id, region, email, salary FROM hr.pay ORDER BY id";

  /**
   * UPDATE, DELETE and MERGE of a filtered and masked table (Databricks' semantics): the analyst's
   * statements see and change only the rows the filter shows him, read masked values in their
   * conditions and expressions, and never write a masked value over a column they do not assign;
   * the admin checks the stored rows after each. A failed statement changes nothing.
   */
  @Test
  void updateDeleteAndMergeChangeOnlyVisibleRowsAndKeepStoredValues() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory, Map.of());
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA hr");
      execute(
          admin,
          "CREATE TABLE hr.pay AS SELECT * FROM VALUES (1, 'eu', 'ann@x.org', 100),"
              + " (2, 'us', 'bob@x.org', 200), (3, 'eu', 'cid@x.org', 300),"
              + " (4, 'us', 'dee@x.org', 400) AS v(id, region, email, salary)");
      String analystToken = SecurityServer.userToken(dataDirectory, "analyst");
      String outsiderToken = SecurityServer.userToken(dataDirectory, "outsider");
      assertEquals(0, cli("group", "create", "eu_readers"));
      assertEquals(0, cli("group", "add-member", "eu_readers", "analyst"));
      for (String user : List.of("analyst", "outsider")) {
        execute(admin, "GRANT USE CATALOG ON CATALOG main TO " + user);
        execute(admin, "GRANT USE SCHEMA, SELECT ON SCHEMA main.hr TO " + user);
      }
      execute(admin, "GRANT MODIFY ON SCHEMA main.hr TO analyst");
      execute(
          admin,
          "CREATE FUNCTION hr.eu_only(r STRING) RETURNS BOOLEAN"
              + " RETURN is_account_group_member('admins')"
              + " OR (is_account_group_member('eu_readers') AND r = 'eu')");
      execute(
          admin,
          "CREATE FUNCTION hr.hide_email(e STRING, r STRING) RETURNS STRING"
              + " RETURN CASE WHEN is_account_group_member('admins') THEN e"
              + " ELSE concat('***@', r) END");
      execute(admin, "ALTER TABLE hr.pay SET ROW FILTER hr.eu_only ON (region)");
      execute(
          admin,
          "ALTER TABLE hr.pay ALTER COLUMN email SET MASK hr.hide_email USING COLUMNS (region)");
      List<String> stored =
          new ArrayList<>(
              List.of(
                  "1|eu|ann@x.org|100",
                  "2|us|bob@x.org|200",
                  "3|eu|cid@x.org|300",
                  "4|us|dee@x.org|400"));
      assertEquals(stored, rows(admin, STORED));

      try (Connection analyst = connect(server.jdbcUrl(), analystToken);
          Connection outsider = connect(server.jdbcUrl(), outsiderToken)) {
        assertEquals(List.of("1|eu|***@eu|100", "3|eu|***@eu|300"), rows(analyst, STORED));

        // UPDATE without WHERE: the two rows he sees; the masked email he does not assign keeps
        // its stored value, the hidden rows are untouched
        assertEquals(2, update(analyst, "UPDATE hr.pay SET salary = salary + 1"));
        stored.set(0, "1|eu|ann@x.org|101");
        stored.set(2, "3|eu|cid@x.org|301");
        assertEquals(stored, rows(admin, STORED));

        // conditions read the masked value (and a hidden row's id matches nothing); a column
        // named through its schema and catalog resolves without an alias
        assertEquals(0, update(analyst, "UPDATE hr.pay SET salary = 0 WHERE email = 'ann@x.org'"));
        assertEquals(0, update(analyst, "UPDATE hr.pay SET salary = 0 WHERE id = 2"));
        assertEquals(
            1,
            update(
                analyst,
                "UPDATE hr.pay SET salary = 0 WHERE main.hr.pay.email = '***@eu'"
                    + " AND hr.pay.id = 1"));
        stored.set(0, "1|eu|ann@x.org|0");
        assertEquals(stored, rows(admin, STORED));
        // an assigned masked column is written from what the statement reads
        assertEquals(
            1, update(analyst, "UPDATE hr.pay p SET email = upper(p.email) WHERE p.id = 3"));
        stored.set(2, "3|eu|***@EU|301");
        assertEquals(stored, rows(admin, STORED));

        // MERGE: a hidden row never matches; a matched row keeps its unassigned stored values;
        // the ON condition reads the masked value
        assertEquals(
            1,
            update(
                analyst,
                "MERGE INTO hr.pay t USING (SELECT * FROM VALUES (2, 9), (3, 333) AS v(id, s)) s"
                    + " ON t.id = s.id WHEN MATCHED THEN UPDATE SET salary = s.s"));
        stored.set(2, "3|eu|***@EU|333");
        assertEquals(stored, rows(admin, STORED));
        assertEquals(
            2,
            update(
                analyst,
                "MERGE INTO hr.pay USING (SELECT 'ann' AS who) s ON main.hr.pay.email = '***@eu'"
                    + " WHEN MATCHED THEN UPDATE SET salary = 5"
                    + " WHEN NOT MATCHED THEN INSERT (id, region, email, salary)"
                    + " VALUES (9, 'eu', 'new@x.org', 9)"));
        stored.set(0, "1|eu|ann@x.org|5");
        stored.set(2, "3|eu|***@EU|5");
        assertEquals(stored, rows(admin, STORED));
        assertEquals(
            1,
            update(
                analyst,
                "MERGE INTO hr.pay t USING (SELECT 5 AS id) s ON t.id = s.id"
                    + " WHEN MATCHED THEN UPDATE SET salary = 1"
                    + " WHEN NOT MATCHED THEN INSERT (id, region, email, salary)"
                    + " VALUES (s.id, 'eu', 'eve@x.org', 500)"));
        stored.add("5|eu|eve@x.org|500");
        assertEquals(stored, rows(admin, STORED));
        // the same through Avatica's remote driver
        String avatica =
            "jdbc:avatica:remote:url=http://127.0.0.1:"
                + server.server().avaticaPort()
                + ";serialization=protobuf";
        try (Connection viaAvatica = connect(avatica, analystToken)) {
          assertEquals(
              1, update(viaAvatica, "UPDATE hr.pay SET salary = salary + 10 WHERE id IN (4, 5)"));
          assertEquals(0, update(viaAvatica, "DELETE FROM hr.pay WHERE region = 'us'"));
        }
        stored.set(4, "5|eu|eve@x.org|510");
        assertEquals(stored, rows(admin, STORED));
        // WHEN NOT MATCHED BY SOURCE acts only on rows the filter shows: hidden row 2 stays
        assertEquals(
            1,
            update(
                analyst,
                "MERGE INTO hr.pay t USING (SELECT 1 AS id) s ON t.id = s.id"
                    + " WHEN NOT MATCHED BY SOURCE AND t.id = 2 THEN DELETE"
                    + " WHEN NOT MATCHED BY SOURCE AND t.id = 5 THEN UPDATE SET salary = 511"));
        stored.set(4, "5|eu|eve@x.org|511");
        assertEquals(stored, rows(admin, STORED));

        // failed statements change nothing
        assertFails(
            "UNRESOLVED_COLUMN", "42703", () -> update(analyst, "UPDATE hr.pay SET nope = 1"));
        assertThrows(
            SQLException.class,
            () -> update(analyst, "UPDATE hr.pay SET salary = CAST(email AS INT)"));
        assertFails("PERMISSION_DENIED", "42501", () -> update(outsider, "DELETE FROM hr.pay"));
        // the planner's own names of a write (stored values, visibility) cannot be named
        for (String internal :
            List.of(
                "UPDATE hr.pay SET salary = 1 WHERE `\u0002visible`",
                "UPDATE hr.pay p SET email = p.`\u0002email`",
                "SELECT * FROM hr.`pay\u0002write`",
                "SELECT * FROM hr.`pay\u0001raw`")) {
          String message =
              assertFails("INVALID_STATEMENT", "42000", () -> update(analyst, internal));
          assertTrue(message.contains("control character"), message);
        }
        assertFails(
            "ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED",
            "0A000",
            () -> update(analyst, "INSERT OVERWRITE hr.pay SELECT * FROM hr.pay"));
        assertFails(
            "ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED",
            "0A000",
            () -> update(analyst, "TRUNCATE TABLE hr.pay"));
        assertEquals(stored, rows(admin, STORED));

        // DELETE: only visible rows go
        assertEquals(1, update(analyst, "DELETE FROM hr.pay WHERE id IN (1, 2)"));
        stored.remove(0);
        assertEquals(stored, rows(admin, STORED));
        assertEquals(2, update(analyst, "DELETE FROM hr.pay"));
        assertEquals(List.of("2|us|bob@x.org|200", "4|us|dee@x.org|400"), rows(admin, STORED));
        assertEquals(List.of(), rows(analyst, STORED));

        // with the filter dropped and only the mask left, INSERT OVERWRITE and UPDATE work for
        // him; the masked column keeps its stored values
        execute(admin, "ALTER TABLE hr.pay DROP ROW FILTER");
        assertEquals(2, update(analyst, "UPDATE hr.pay SET salary = salary * 2"));
        assertEquals(List.of("2|us|bob@x.org|400", "4|us|dee@x.org|800"), rows(admin, STORED));
        update(analyst, "INSERT OVERWRITE hr.pay SELECT 7, 'eu', 'x@y.org', 70");
        assertEquals(List.of("7|eu|x@y.org|70"), rows(admin, STORED));
      }
    }
  }

  private static long update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  private int cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dataDirectory.toString());
    return new CommandLine(new AquiferCommand()).execute(all.toArray(String[]::new));
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
