package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.TestParquet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After start-up the engine reads and writes only its data and temp directories, loads nothing,
 * keeps its configuration, and runs one SELECT per fragment.
 */
class DuckDbLockDownTest {
  @TempDir static Path root;
  static DuckDbEngineFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new DuckDbEngineFixture(root);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_parquet('/etc/*.parquet')",
      })
  void filesOutsideTheDataDirectoriesCannotBeRead(String sql) {
    ExecException e = assertThrows(ExecException.class, () -> fixture.rows(sql));
    assertEquals(ExecErrorCode.ACCESS_DENIED, e.code(), e.getMessage());
    assertEquals("42501", e.sqlState());
  }

  @Test
  void pathsEscapingTheDataDirectoryAreRefused() throws Exception {
    Path outside = root.resolve("outside.parquet");
    TestParquet.write(outside, "SELECT 1 AS x");
    String sneaky = fixture.dataDirectory + "/../outside.parquet";
    ExecException e =
        assertThrows(
            ExecException.class,
            () -> fixture.rows("SELECT * FROM read_parquet('" + sneaky + "')"));
    assertEquals(ExecErrorCode.ACCESS_DENIED, e.code());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSTALL httpfs",
        "LOAD httpfs",
        "LOAD parquet",
        "ATTACH ':memory:' AS other",
        "ATTACH 'DATA/other.duckdb' AS other",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "RESET memory_limit",
        "PRAGMA threads = 64",
        "PRAGMA database_list",
        "CALL pragma_database_list()",
        "CREATE TABLE t AS SELECT 1",
        "CREATE TEMP VIEW v AS SELECT 1",
        "SET VARIABLE x = 1",
        "EXPLAIN SELECT 1",
        "SELECT 1; ATTACH ':memory:' AS other",
        "SELECT 1; SELECT 2",
        "COPY (SELECT 1) TO 'DATA/x.csv'",
      })
  void onlyOneSelectStatementMayRun(String sql) {
    String statement = sql.replace("DATA", fixture.dataDirectory.toString());
    ExecException e = assertThrows(ExecException.class, () -> fixture.rows(statement));
    assertEquals(ExecErrorCode.ACCESS_DENIED, e.code(), e.getMessage());
    assertFalse(Files.exists(fixture.dataDirectory.resolve("other.duckdb")));
    assertFalse(Files.exists(fixture.dataDirectory.resolve("x.csv")));
  }

  @Test
  void copyToTmpIsRefusedAndWritesNothing() {
    Path target = Path.of("/tmp/aquifer-lockdown-" + UUID.randomUUID());
    ExecException e =
        assertThrows(
            ExecException.class, () -> fixture.rows("COPY (SELECT 1) TO '" + target + "'"));
    assertEquals(ExecErrorCode.ACCESS_DENIED, e.code());
    assertFalse(Files.exists(target));
  }

  @Test
  void theConfigurationStaysLockedAndQueriesStillRun() throws Exception {
    assertEquals(
        List.of(List.of("false", "true", "UTC")),
        fixture.rows(
            "SELECT current_setting('enable_external_access')::VARCHAR,"
                + " current_setting('lock_configuration')::VARCHAR,"
                + " current_setting('TimeZone')"));
  }

  @Test
  void aSyntaxErrorInEngineSqlIsAnEngineErrorWithoutPosition() {
    ExecException e = assertThrows(ExecException.class, () -> fixture.rows("SELEC 1"));
    assertEquals(ExecErrorCode.ENGINE_ERROR, e.code());
    assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    assertFalse(e.getMessage().contains("LINE"), e.getMessage());
  }
}
