package io.aquifer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogDatabaseTest {
  @TempDir Path dir;

  @Test
  void opensWithWalFullSyncAndForeignKeys() throws Exception {
    Path file = dir.resolve("nested/catalog.db");
    try (CatalogDatabase database = CatalogDatabase.open(file)) {
      assertEquals(16, database.schemaVersion());
      List<String> settings =
          database.read(
              connection -> {
                try (var statement = connection.createStatement()) {
                  return List.of(
                      pragma(statement, "journal_mode"),
                      pragma(statement, "synchronous"),
                      pragma(statement, "foreign_keys"),
                      pragma(statement, "busy_timeout"));
                }
              });
      assertEquals(List.of("wal", "2", "1", "10000"), settings);
    }
    assertTrue(Files.exists(file));
  }

  private static String pragma(java.sql.Statement statement, String name)
      throws java.sql.SQLException {
    try (var rows = statement.executeQuery("PRAGMA " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }

  @Test
  void migrationsApplyOnceAndReopenChangesNothing() throws Exception {
    Path file = dir.resolve("catalog.db");
    CatalogDatabase.open(file).close();
    List<String> first = SqliteFiles.query(file, "SELECT * FROM schema_version ORDER BY version");
    assertEquals(16, first.size());
    assertTrue(first.get(0).startsWith("1|init|"), first.get(0));
    assertTrue(first.get(1).startsWith("2|query_history|"), first.get(1));
    assertTrue(first.get(2).startsWith("3|warehouses|"), first.get(2));
    assertTrue(first.get(3).startsWith("4|query_history_cache_origin|"), first.get(3));
    assertTrue(first.get(4).startsWith("5|query_history_planning_time|"), first.get(4));
    assertTrue(first.get(5).startsWith("6|grants|"), first.get(5));
    assertTrue(first.get(6).startsWith("7|query_history_queue_time|"), first.get(6));
    assertTrue(first.get(7).startsWith("8|volumes|"), first.get(7));
    assertTrue(first.get(8).startsWith("9|groups|"), first.get(8));
    assertTrue(first.get(9).startsWith("10|audit|"), first.get(9));
    assertTrue(first.get(10).startsWith("11|functions_and_row_filters|"), first.get(10));
    assertTrue(first.get(11).startsWith("12|warehouse_engine|"), first.get(11));
    assertTrue(first.get(12).startsWith("13|query_history_disk_cache|"), first.get(12));
    assertTrue(first.get(13).startsWith("14|principal_active_and_grant_types|"), first.get(13));
    assertTrue(first.get(14).startsWith("15|lineage_paths|"), first.get(14));
    assertTrue(first.get(15).startsWith("16|query_history_engine_profile|"), first.get(15));

    CatalogDatabase.open(file).close();
    CatalogDatabase.open(file).close();
    assertEquals(first, SqliteFiles.query(file, "SELECT * FROM schema_version ORDER BY version"));
  }

  @Test
  void laterMigrationAppliesToAnOlderFileOnce() throws Exception {
    Path file = dir.resolve("catalog.db");
    CatalogDatabase.open(file, new MigrationRunner(List.of("db/migration/V1__init.sql"))).close();
    MigrationRunner withV2 =
        new MigrationRunner(
            List.of("db/migration/V1__init.sql", "db/test-migration/V2__add_note.sql"));
    try (CatalogDatabase database = CatalogDatabase.open(file, withV2)) {
      assertEquals(2, database.schemaVersion());
    }
    try (CatalogDatabase database = CatalogDatabase.open(file, withV2)) {
      assertEquals(2, database.schemaVersion());
    }
    assertEquals(
        List.of("1", "2"),
        SqliteFiles.query(file, "SELECT version FROM schema_version ORDER BY 1"));
    assertEquals(
        List.of("applied"),
        SqliteFiles.query(file, "SELECT value FROM store_metadata WHERE key = 'test_migration'"));
    // The new column exists (the query fails otherwise).
    SqliteFiles.query(file, "SELECT note FROM catalogs");
  }

  @Test
  void v14GivesGrantsTheirSecurableTypeAndPrincipalsAnActiveFlag() throws Exception {
    Path file = dir.resolve("catalog.db");
    CatalogDatabase.open(
            file, new MigrationRunner(MigrationRunner.CATALOG_MIGRATIONS.subList(0, 13)))
        .close();
    SqliteFiles.execute(
        file,
        "INSERT INTO grants (securable_type, catalog_name, schema_name, table_name, principal,"
            + " privilege, granted_by, created_at) VALUES"
            + " ('TABLE', 'main', 's', 'function.f', 'bob', 'EXECUTE', 'admin', 1),"
            + " ('TABLE', 'main', 's', 'volume.v', 'bob', 'READ VOLUME', 'admin', 2),"
            + " ('TABLE', 'main', 's', 'f', 'bob', 'SELECT', 'admin', 3),"
            + " ('CATALOG', '', '', '', 'bob', 'CREATE CATALOG', 'admin', 4),"
            + " ('CATALOG', 'main', '', '', 'bob', 'USE CATALOG', 'admin', 5),"
            + " ('SCHEMA', 'main', 's', '', 'bob', 'USE SCHEMA', 'admin', 6)");
    CatalogDatabase.open(file).close();
    assertEquals(
        List.of(
            "FUNCTION|main|s|f|bob|EXECUTE",
            "VOLUME|main|s|v|bob|READ VOLUME",
            "TABLE|main|s|f|bob|SELECT",
            "METASTORE||||bob|CREATE CATALOG",
            "CATALOG|main|||bob|USE CATALOG",
            "SCHEMA|main|s||bob|USE SCHEMA"),
        SqliteFiles.query(
            file,
            "SELECT securable_type, catalog_name, schema_name, table_name, principal, privilege"
                + " FROM grants ORDER BY created_at"));
    assertEquals(
        List.of("admins|1"),
        SqliteFiles.query(file, "SELECT name, active FROM principals ORDER BY name"));
  }

  @Test
  void refusesADatabaseNewerThanTheCode() throws Exception {
    Path file = dir.resolve("catalog.db");
    CatalogDatabase.open(file).close();
    SqliteFiles.execute(
        file,
        "INSERT INTO schema_version (version, description, checksum, applied_at)"
            + " VALUES (99, 'from_the_future', 'x', 0)");
    CatalogException e = assertThrows(CatalogException.class, () -> CatalogDatabase.open(file));
    assertEquals(CatalogErrorCode.CATALOG_STORE_ERROR, e.code());
    assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
  }

  @Test
  void refusesAMigrationChangedAfterItWasApplied() throws Exception {
    Path file = dir.resolve("catalog.db");
    CatalogDatabase.open(file).close();
    SqliteFiles.execute(file, "UPDATE schema_version SET checksum = 'edited' WHERE version = 1");
    CatalogException e = assertThrows(CatalogException.class, () -> CatalogDatabase.open(file));
    assertTrue(e.getMessage().contains("changed after it was applied"), e.getMessage());
  }

  @Test
  void everyMigrationResourceIsListed() throws Exception {
    Path directory =
        Paths.get(MigrationRunner.class.getClassLoader().getResource("db/migration").toURI());
    try (Stream<Path> files = Files.list(directory)) {
      List<String> resources = files.map(f -> "db/migration/" + f.getFileName()).sorted().toList();
      assertEquals(resources, MigrationRunner.CATALOG_MIGRATIONS.stream().sorted().toList());
    }
  }

  @Test
  void splitsStatementsAtLineEndSemicolonsAndDropsComments() {
    assertEquals(
        List.of("CREATE TABLE a (x TEXT DEFAULT ';')", "INSERT INTO a VALUES ('b')"),
        MigrationRunner.statements(
            "-- comment; with semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');\n\n"
                + "INSERT INTO a VALUES ('b');  \n-- end\n"));
  }

  @Test
  void closedDatabaseSaysSo() {
    CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"));
    database.close();
    CatalogException e =
        assertThrows(CatalogException.class, () -> database.read(connection -> null));
    assertEquals(CatalogErrorCode.CATALOG_STORE_ERROR, e.code());
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }
}
