package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the memory limits bound: the node limit is DuckDB's memory_limit (hard, all queries); the
 * per-query limit is a hard limit on the Arrow batch in the JVM and DuckDB's per-connection spill
 * threshold. A query over a limit fails clearly and the engine serves the next query.
 */
class DuckDbMemoryLimitTest {
  @TempDir static Path root;
  static DuckDbEngineFixture fixture;

  @BeforeAll
  static void start() {
    fixture =
        new DuckDbEngineFixture(
            root,
            config -> config.withMemoryLimits(256L << 20, 8L << 20).withArrowBatchRows(16_384));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @AfterEach
  void theEngineServesTheNextQuery() throws Exception {
    assertEquals(List.of(List.of(42)), fixture.rows("SELECT 42"));
    assertEquals(0, fixture.engine.runningQueries());
    assertEquals(0, fixture.allocator.getAllocatedMemory());
  }

  @Test
  void aResultBatchOverThePerQueryLimitFailsTheQuery() {
    ExecException e =
        assertThrows(
            ExecException.class,
            () -> fixture.rows("SELECT repeat('x', 1000) AS wide FROM range(100000)"));
    assertEquals(ExecErrorCode.OUT_OF_MEMORY, e.code());
    assertEquals("53200", e.sqlState());
    assertTrue(e.getMessage().contains("per-query memory limit of 8.0 MiB"), e.getMessage());
  }

  @Test
  void aQueryOverTheNodeLimitFailsTheQuery() {
    ExecException e =
        assertThrows(
            ExecException.class, () -> fixture.rows("SELECT list(range) FROM range(200000000)"));
    assertEquals(ExecErrorCode.OUT_OF_MEMORY, e.code());
    assertTrue(e.getMessage().contains("node memory limit of 256.0 MiB"), e.getMessage());
    assertTrue(!e.getMessage().contains("Possible solutions"), e.getMessage());
  }

  @Test
  void aLargeHashTableSpillsAtThePerQueryThresholdInsteadOfFailing() throws Exception {
    assertEquals(
        List.of(List.of("8.0 MiB", 3_000_000L)),
        fixture.rows(
            "SELECT current_setting('operator_memory_limit'), count(*)"
                + " FROM (SELECT DISTINCT range FROM range(3000000))"));
  }
}
