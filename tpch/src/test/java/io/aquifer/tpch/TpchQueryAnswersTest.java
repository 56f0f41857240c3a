package io.aquifer.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 22 queries, the answer sets and the comparator together, on SF 0.01: first on in-process
 * DuckDB over the loaded Parquet files, then through Aquifer's own planner, compiler and DuckDB
 * engine (everything a statement goes through but the wire).
 */
class TpchQueryAnswersTest {
  private static final TpchSchemaName SCHEMA = TpchSchemaName.defaultFor(SampleWarehouse.SF_001);

  private static TpchAnswers answers() {
    return TpchAnswers.forScaleFactor(TpchAnswers.defaultFixturesRoot(), SampleWarehouse.SF_001);
  }

  @Test
  void theQueryFilesAreTheTwentyTwoQueries() {
    List<TpchQuery> queries = TpchQueries.all();
    assertEquals(22, queries.size());
    for (TpchQuery query : queries) {
      String statement = query.statement();
      assertTrue(statement.startsWith("SELECT") || statement.startsWith("WITH"), query.name());
      assertFalse(statement.contains(";"), query.name() + " is one statement");
      assertTrue(query.sql().contains("derived from TPC-H"), query.name());
    }
    assertEquals(
        List.of(TpchQueries.query(1), TpchQueries.query(3), TpchQueries.query(4)),
        TpchQueries.select("1, q3-4"));
  }

  @Test
  void allQueriesMatchTheAnswersOnInProcessDuckDb() throws Exception {
    SampleWarehouse warehouse = SampleWarehouse.sf001();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CheckReport report;
    try (Connection duckDb =
        InProcessDuckDb.open(
            warehouse.tables, TpchTableLocations.resolve(warehouse.catalog, SCHEMA), 2)) {
      report =
          new TpchChecker(answers(), new PrintStream(printed, true, StandardCharsets.UTF_8))
              .check(duckDb, TpchQueries.all(), "in-process DuckDB");
    }
    String table = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, report.failures(), table);
    assertEquals(22, report.passed(), table);
    assertTrue(table.contains("22 queries: 22 passed, 0 failed"), table);
  }

  @Test
  void allQueriesMatchTheAnswersThroughAquifersPlannerAndEngine(@TempDir Path engineTemp)
      throws Exception {
    SampleWarehouse warehouse = SampleWarehouse.sf001();
    assertEquals(List.of(), AquiferQueryPath.check(warehouse, SCHEMA, answers(), engineTemp));
  }
}
