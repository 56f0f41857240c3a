package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ArrowRows;
import io.aquifer.exec.EngineTimeZones;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.TestParquet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.vector.ipc.ArrowReader;
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
    assertTrue(fixture.engine.awaitConfigurationLocked(Duration.ofSeconds(60)));
    assertEquals(
        List.of(List.of("false", "true", "UTC")),
        fixture.rows(
            "SELECT current_setting('enable_external_access')::VARCHAR,"
                + " current_setting('lock_configuration')::VARCHAR,"
                + " current_setting('TimeZone')"));
  }

  /**
   * The time zone templates are made after start: a fragment in the zone made last runs in it at
   * once (it makes its template itself), and the configuration is locked afterwards all the same.
   */
  @Test
  void aFreshEngineRunsAnyZoneAtOnceAndLocksAfterwards(@TempDir Path fresh) throws Exception {
    List<String> zones = EngineTimeZones.all();
    String last = zones.get(zones.size() - 1);
    try (DuckDbEngineFixture engine = new DuckDbEngineFixture(fresh)) {
      QueryFragment fragment =
          DuckDbEngineFixture.fragment("SELECT current_setting('TimeZone')").withTimeZone(last);
      try (ArrowReader reader = engine.engine.execute(fragment, engine.allocator)) {
        assertEquals(List.of(List.of(last)), ArrowRows.readAll(reader));
      }
      assertTrue(engine.engine.awaitConfigurationLocked(Duration.ofSeconds(60)));
      QueryFragment paris =
          DuckDbEngineFixture.fragment(
                  "SELECT current_setting('lock_configuration')::VARCHAR,"
                      + " current_setting('TimeZone')")
              .withTimeZone("Europe/Paris");
      try (ArrowReader reader = engine.engine.execute(paris, engine.allocator)) {
        assertEquals(List.of(List.of("true", "Europe/Paris")), ArrowRows.readAll(reader));
      }
      ExecException unknown =
          assertThrows(
              ExecException.class,
              () ->
                  engine.engine.execute(
                      DuckDbEngineFixture.fragment("SELECT 1").withTimeZone("Mars/Olympus"),
                      engine.allocator));
      assertEquals(ExecErrorCode.INVALID_REQUEST, unknown.code());
    }
  }

  @Test
  void aSyntaxErrorInEngineSqlIsAnEngineErrorWithoutPosition() {
    ExecException e = assertThrows(ExecException.class, () -> fixture.rows("SELEC 1"));
    assertEquals(ExecErrorCode.ENGINE_ERROR, e.code());
    assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    assertFalse(e.getMessage().contains("LINE"), e.getMessage());
  }
}
