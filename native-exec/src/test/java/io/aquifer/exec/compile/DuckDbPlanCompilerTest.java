package io.aquifer.exec.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.QueryFragment;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.planner.parse.StatementParser;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQL the compiler generates runs on DuckDB and gives Databricks SQL's answers. Each scan
 * relation is stood in for by a DuckDB table of the same name holding a few rows.
 */
class DuckDbPlanCompilerTest {
  private final InMemoryCatalog catalog =
      new InMemoryCatalog()
          .table(
              "t",
              new TableSchema(
                  List.of(
                      Column.of("k", PrimitiveType.INT),
                      Column.of("v", PrimitiveType.BIGINT),
                      Column.of("price", new DecimalType(15, 2)),
                      Column.of("s", PrimitiveType.STRING))));
  private Connection duckdb;

  @BeforeEach
  void open() throws Exception {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterEach
  void close() throws Exception {
    duckdb.close();
  }

  private List<List<Object>> run(String sql) throws Exception {
    ParsedStatement.Query q = (ParsedStatement.Query) StatementParser.parse(sql);
    QueryPlanner planner = new QueryPlanner(catalog, catalog, "main", "default");
    QueryFragment fragment =
        DuckDbPlanCompiler.compile("q", planner.plan(planner.parse(q.calciteSql())).rel());
    try (Statement s = duckdb.createStatement()) {
      for (int i = 0; i < fragment.scans().size(); i++) {
        String name = fragment.scans().get(i).relationName();
        s.execute(
            "CREATE OR REPLACE TABLE \""
                + name
                + "\" (k INTEGER, v BIGINT, price DECIMAL(15,2), s VARCHAR)");
        s.execute(
            "INSERT INTO \""
                + name
                + "\" VALUES (1, 10, 1.50, 'a'), (1, 20, 2.25, NULL), (2, 5, 0.10, 'b'), (NULL, 7, 3.00, 'c')");
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    try (Statement s = duckdb.createStatement();
        ResultSet rs = s.executeQuery(fragment.engineSql())) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int c = 1; c <= md.getColumnCount(); c++) {
          row.add(rs.getObject(c));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void anAggregateReadsAGeneratorsRowsFromASubQuery() throws Exception {
    assertEquals(
        List.of(List.of(3, 6L, 3L)),
        run("SELECT max(x), sum(x), count(x) FROM (SELECT explode(array(1, 2, 3)) AS x)"));
    assertEquals(List.of(List.of(45L)), run("SELECT sum(id) FROM range(10)"));
    assertEquals(
        List.of(List.of("0", 90L), List.of("1", 100L)),
        run("SELECT CAST(id % 2 AS STRING) AS k, sum(id) FROM range(20) GROUP BY 1 ORDER BY k"));
  }

  @Test
  void integerDivisionIsFractional() throws Exception {
    assertEquals(List.of(List.of(3.5)), run("SELECT 7 / 2"));
  }

  @Test
  void nullsSortFirstAscendingAndLastDescending() throws Exception {
    List<List<Object>> asc = run("SELECT k FROM t ORDER BY k");
    assertEquals(null, asc.get(0).get(0));
    List<List<Object>> desc = run("SELECT k FROM t ORDER BY k DESC");
    assertEquals(null, desc.get(desc.size() - 1).get(0));
  }

  @Test
  void nestedAggregateOverSubqueryRuns() throws Exception {
    // TPC-H Q15's shape: the maximum of per-group sums.
    List<List<Object>> rows =
        run(
            "SELECT k, total FROM (SELECT k, SUM(v) AS total FROM t GROUP BY k) r "
                + "WHERE total = (SELECT MAX(total) FROM (SELECT k, SUM(v) AS total FROM t GROUP BY k) x)");
    assertEquals(1, rows.size());
    assertEquals(30L, ((Number) rows.get(0).get(1)).longValue());
  }

  @Test
  void sumOfBigintIsBigintNotHugeint() throws Exception {
    Object total = run("SELECT SUM(v) FROM t").get(0).get(0);
    assertEquals(Long.class, total.getClass());
    assertEquals(42L, total);
  }

  @Test
  void decimalSumKeepsScale() throws Exception {
    Object total = run("SELECT SUM(price) FROM t").get(0).get(0);
    assertEquals(new java.math.BigDecimal("6.85"), total);
  }

  @Test
  void backquotedIdentifiersAndThreePartNames() throws Exception {
    assertEquals(4, run("SELECT `k` FROM main.`default`.t").size());
  }

  @Test
  void existsSubqueryStaysForTheEngine() throws Exception {
    ParsedStatement.Query q =
        (ParsedStatement.Query)
            StatementParser.parse(
                "SELECT k FROM t a WHERE EXISTS (SELECT 1 FROM t b WHERE b.k = a.k AND b.v > 15)");
    QueryPlanner planner = new QueryPlanner(catalog, catalog, "main", "default");
    String sql =
        DuckDbPlanCompiler.compile("q", planner.plan(planner.parse(q.calciteSql())).rel())
            .engineSql();
    assertTrue(sql.contains("EXISTS"), sql);
    assertEquals(
        2,
        run("SELECT k FROM t a WHERE EXISTS (SELECT 1 FROM t b WHERE b.k = a.k AND b.v > 15)")
            .size());
  }

  @Test
  void namedStructKeepsItsFieldNames() throws Exception {
    Object value = run("SELECT named_struct('a', k, 'Mixed', s) FROM t WHERE k = 2").get(0).get(0);
    assertEquals("{a=2, Mixed=b}", String.valueOf(value));
  }

  @Test
  void constantNamedStructKeepsItsFieldNames() throws Exception {
    Object value = run("SELECT named_struct('a', 5, 'b', 'x')").get(0).get(0);
    assertEquals("{a=5, b=x}", String.valueOf(value));
  }

  @Test
  void correlatedSubqueriesInSelectListAndWhereShareTheirAlias() throws Exception {
    // sqllogictest select1: a correlated scalar subquery in the SELECT list and a correlated
    // EXISTS in WHERE of the same SELECT once referred to two different aliases of t.
    List<List<Object>> rows =
        run(
            "SELECT k, (SELECT count(*) FROM t AS x WHERE x.v < t.v) FROM t"
                + " WHERE EXISTS (SELECT 1 FROM t AS x WHERE x.v < t.v) ORDER BY 2");
    assertEquals(List.of(java.util.Arrays.asList(null, 1L), List.of(1, 2L), List.of(1, 3L)), rows);
  }

  @Test
  void constantNullResultKeepsItsPlannedType() throws Exception {
    // Calcite folds "1 IN (2, 3, NULL)" to NULL; the engine must still return a BOOLEAN column,
    // not an untyped one that JDBC drivers cannot read.
    ParsedStatement.Query q =
        (ParsedStatement.Query) StatementParser.parse("SELECT 1 IN (2, 3, NULL), NULL IN ('a')");
    QueryPlanner planner = new QueryPlanner(catalog, catalog, "main", "default");
    String sql =
        DuckDbPlanCompiler.compile("q", planner.plan(planner.parse(q.calciteSql())).rel())
            .engineSql();
    try (Statement s = duckdb.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertEquals("BOOLEAN", rs.getMetaData().getColumnTypeName(1), sql);
      assertEquals("BOOLEAN", rs.getMetaData().getColumnTypeName(2), sql);
      assertTrue(rs.next());
      assertEquals(null, rs.getObject(1));
    }
  }

  @Test
  void zonedTimestampLiteralsAreUtc() throws Exception {
    Object value =
        run("SELECT CAST(TIMESTAMP '2024-05-01 10:00:00' AS TIMESTAMP_LTZ)").get(0).get(0);
    assertEquals(
        "2024-05-01T10:00Z",
        String.valueOf(value).replace(":00+00:00", "Z").replace("+00:00", "Z"));
  }

  @Test
  void divisionByZeroFailsAsInAnsiMode() throws Exception {
    assertEquals(List.of(List.of(3.5)), run("SELECT 7 / 2"));
    assertEquals(List.of(List.of(2.5)), run("SELECT v / 4 FROM t WHERE v = 10"));
    for (String sql :
        List.of(
            "SELECT 1 / 0", "SELECT 1.0 / 0", "SELECT v / (k - 1) FROM t", "SELECT 2.5 / 0.0")) {
      java.sql.SQLException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.sql.SQLException.class, () -> run(sql), sql);
      assertTrue(e.getMessage().contains("Division by zero"), sql + ": " + e.getMessage());
    }
    // A zero divisor in a row the query does not return is never divided by.
    assertEquals(1, run("SELECT v / k FROM t WHERE k = 2").size());
  }

  @Test
  void bigintLiteralsStayBigint() throws Exception {
    assertEquals(List.of(List.of(10_000_000_000L)), run("SELECT CAST(100000 AS BIGINT) * 100000"));
    assertEquals(4, run("SELECT v * CAST(3000000 AS BIGINT) * 1000 FROM t").size());
  }

  @Test
  void fractionalNumbersCastToIntegersTruncate() throws Exception {
    // v is 10, 20, 5, 7: v / 4 is 2.5, 5.0, 1.25, 1.75; Databricks truncates, DuckDB would round.
    assertEquals(
        List.of(List.of(1, -1), List.of(1, -1), List.of(2, -2), List.of(5, -5)),
        run("SELECT CAST(v / 4 AS INT), CAST(-(v / 4) AS INT) FROM t ORDER BY 1"));
    assertEquals(
        List.of(List.of(1L, 1)), // 1.00 and 1.50: DuckDB would round 1.50 to 2
        run(
            "SELECT CAST(price - 0.5 AS BIGINT), CAST(MAX(price) AS INT) FROM t WHERE v = 10 GROUP BY price"));
  }

  @Test
  void stringsComparedWithNumbersAreCastToThem() throws Exception {
    // s is 'a', NULL, 'b', 'c': none is a number, so comparing them with one is an invalid cast.
    java.sql.SQLException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.sql.SQLException.class, () -> run("SELECT k FROM t WHERE s < 2.5"));
    assertTrue(e.getMessage().contains("Could not convert"), e.getMessage());
    assertEquals(1, run("SELECT k FROM t WHERE CAST(k AS STRING) = 2 AND '2' = k").size());
  }

  @Test
  void longLiteralOutputsHaveShortNames() throws Exception {
    String big = "x".repeat(100_000);
    assertEquals(
        100_000,
        run("SELECT '" + big + "' UNION ALL SELECT s FROM t WHERE k = 2 ORDER BY 1 DESC")
            .get(0)
            .get(0)
            .toString()
            .length());
  }

  @Test
  void sparkArrayFunctionIsADuckDbList() throws Exception {
    assertEquals("[1, 2]", String.valueOf(run("SELECT ARRAY(1, 2)").get(0).get(0)));
    assertEquals(
        "[[1], [2, 3]]", String.valueOf(run("SELECT ARRAY(ARRAY(1), ARRAY(2, 3))").get(0).get(0)));
  }

  @Test
  void leftSemiAndAntiJoinsKeepLeftRowsOnly() throws Exception {
    // k: 1 (v 10), 1 (v 20), 2 (v 5), NULL (v 7); rows with v > 6 have k 1 and NULL.
    assertEquals(
        List.of(List.of(1, 10L), List.of(1, 20L)),
        run(
            "SELECT * FROM (SELECT a.k, a.v FROM t a LEFT SEMI JOIN t b ON a.k = b.k AND b.v > 6)"
                + " ORDER BY v"));
    assertEquals(
        List.of(List.of(2, 5L), List.of(7L)),
        run("SELECT k, v FROM t a LEFT ANTI JOIN t b ON a.k = b.k AND b.v > 6 ORDER BY v").stream()
            .map(r -> r.get(0) == null ? List.<Object>of(r.get(1)) : r)
            .toList());
    // Only the left side's columns remain: SELECT * has four, not eight.
    assertEquals(
        4, run("SELECT * FROM t a LEFT SEMI JOIN t b USING (k) WHERE a.v > 6").get(0).size());
  }

  /** TIMESTAMPADD by milliseconds and microseconds (was an internal error). */
  @Test
  void timestampAddBySubSecondUnits() throws Exception {
    String sql =
        "SELECT CAST(TIMESTAMPADD(MILLISECOND, 1500, CAST('2024-01-01 00:00:00' AS TIMESTAMP_NTZ))"
            + " AS STRING), CAST(TIMESTAMPADD(MICROSECOND, -1,"
            + " CAST('2024-01-01 00:00:00' AS TIMESTAMP_NTZ)) AS STRING)";
    assertEquals(List.of("2024-01-01 00:00:01.5", "2023-12-31 23:59:59.999999"), run(sql).get(0));
  }
}
