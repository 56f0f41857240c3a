package io.aquifer.conformance.security;

import static io.aquifer.conformance.security.SecurityServer.assertFails;
import static io.aquifer.conformance.security.SecurityServer.connect;
import static io.aquifer.conformance.security.SecurityServer.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-admin user (made as {@code aquifer token create --user bob} makes one) may not create or
 * drop catalogs, nor drop schemas, tables or views others own (without MANAGE); a user may drop
 * what they own, and an admin may drop anything.
 */
class AdminOnlyOperationsTest {
  @TempDir Path dataDirectory;

  @Test
  void nonAdminsMayDropOnlyWhatTheyOwn() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory);
        Connection admin = server.connect()) {
      execute(admin, "CREATE SCHEMA admins");
      execute(admin, "CREATE TABLE admins.t AS SELECT 1 AS id");
      execute(admin, "CREATE VIEW admins.v AS SELECT 1 AS id");
      String bobToken = SecurityServer.userToken(dataDirectory, "bob");
      // to make schemas of his own in main (see GovernanceTest for the privileges)
      execute(admin, "GRANT USE CATALOG, CREATE SCHEMA ON CATALOG main TO bob");
      try (Connection bob = connect(server.jdbcUrl(), bobToken)) {
        for (String sql :
            new String[] {
              "CREATE CATALOG bobs",
              "DROP CATALOG main CASCADE",
              "DROP SCHEMA admins CASCADE",
              "DROP TABLE admins.t",
              "DROP VIEW admins.v",
            }) {
          assertFails("PERMISSION_DENIED", "42501", () -> execute(bob, sql));
        }
        // nothing was dropped
        try (Statement s = admin.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM admins.t")) {
          rs.next();
          assertEquals(1, rs.getLong(1));
        }
        // bob's own objects are bob's to drop
        execute(bob, "CREATE SCHEMA bobs");
        execute(bob, "CREATE TABLE bobs.t AS SELECT 2 AS id");
        execute(bob, "CREATE VIEW bobs.v AS SELECT 2 AS id");
        execute(bob, "DROP VIEW bobs.v");
        execute(bob, "DROP TABLE bobs.t");
        execute(bob, "CREATE TABLE bobs.u AS SELECT 3 AS id");
        execute(bob, "DROP SCHEMA bobs CASCADE");
        // and an admin may drop anything
        execute(bob, "CREATE SCHEMA bobs2");
        execute(bob, "CREATE TABLE bobs2.t AS SELECT 2 AS id");
        execute(admin, "DROP TABLE bobs2.t");
        execute(admin, "DROP SCHEMA bobs2");
        execute(admin, "CREATE CATALOG admins_catalog");
        execute(admin, "DROP CATALOG admins_catalog");
      }
    }
  }
}
