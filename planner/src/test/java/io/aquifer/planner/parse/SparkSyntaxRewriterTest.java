package io.aquifer.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SparkSyntaxRewriterTest {
  private static String rewrite(String sql) {
    return SparkSyntaxRewriter.rewrite(sql);
  }

  @Test
  void inlineTableWithoutParenthesesIsWrapped() {
    assertEquals(
        "SELECT a FROM (VALUES (1), (2)) AS t(a)",
        rewrite("SELECT a FROM VALUES (1), (2) AS t(a)"));
    assertEquals(
        "SELECT a FROM (VALUES (1, 'x'), (2, 'y')) t(a, b) WHERE a > 1",
        rewrite("SELECT a FROM VALUES (1, 'x'), (2, 'y') t(a, b) WHERE a > 1"));
    assertEquals(
        "SELECT * FROM (SELECT a FROM (VALUES 'a', 'b') AS t(a))",
        rewrite("SELECT * FROM (SELECT a FROM VALUES 'a', 'b' AS t(a))"));
    // Already parenthesised, or an INSERT's rows: unchanged.
    assertEquals("SELECT * FROM (VALUES (1)) t(a)", rewrite("SELECT * FROM (VALUES (1)) t(a)"));
    assertEquals("INSERT INTO t VALUES (1), (2)", rewrite("INSERT INTO t VALUES (1), (2)"));
  }

  @Test
  void typedNumberLiteralsBecomeCasts() {
    assertEquals(
        "SELECT CAST(2 AS BIGINT) / CAST(0.5 AS DOUBLE), CAST(1 AS SMALLINT), 1.5",
        rewrite("SELECT 2L / 0.5D, 1S, 1.5BD"));
    assertEquals("SELECT 1e10, x2L", rewrite("SELECT 1e10, x2L"));
  }

  @Test
  void doubleEqualsIsEquals() {
    assertEquals("SELECT 1 =  1", rewrite("SELECT 1 == 1"));
  }

  @Test
  void groupByAllGroupsByTheItemsWithoutAggregates() {
    assertEquals(
        "SELECT a, count(*), b FROM t GROUP BY 1, 3",
        rewrite("SELECT a, count(*), b FROM t GROUP BY ALL"));
    assertEquals(
        "SELECT upper(a), sum(b) FROM t GROUP BY 1 ORDER BY 1",
        rewrite("SELECT upper(a), sum(b) FROM t GROUP BY ALL ORDER BY 1"));
    assertEquals("SELECT sum(b) FROM t             ", rewrite("SELECT sum(b) FROM t GROUP BY ALL"));
    // A star cannot be expanded here: left for the parser to refuse.
    assertEquals("SELECT * FROM t GROUP BY ALL", rewrite("SELECT * FROM t GROUP BY ALL"));
    assertEquals(
        "SELECT a, count(*) FROM t GROUP BY 1 ORDER BY 1, 2",
        rewrite("SELECT a, count(*) FROM t GROUP BY ALL ORDER BY ALL"));
    assertEquals(
        "SELECT a, f(b, c) AS x FROM t ORDER BY 1 DESC NULLS LAST, 2 DESC NULLS LAST LIMIT 3",
        rewrite("SELECT a, f(b, c) AS x FROM t ORDER BY ALL DESC NULLS LAST LIMIT 3"));
    assertEquals("SELECT 2, 1 ORDER BY 1, 2", rewrite("SELECT 2, 1 ORDER BY ALL"));
    assertEquals(
        "SELECT (SELECT x FROM u ORDER BY 1), b FROM t ORDER BY 1 ASC, 2 ASC",
        rewrite("SELECT (SELECT x FROM u ORDER BY ALL), b FROM t ORDER BY ALL ASC"));
    assertEquals(
        "SELECT `a` FROM `c`.`s`.`my t` WHERE `x` = 1",
        rewrite("SELECT IDENTIFIER('a') FROM IDENTIFIER('c.s.`my t`') WHERE identifier('x') = 1"));
    assertEquals("`we``ird`", SparkSyntaxRewriter.quotedName("`we``ird`"));
    for (String bad : List.of("", "a..b", "`a", ".a", "a.")) {
      assertEquals(null, SparkSyntaxRewriter.quotedName(bad), bad);
    }
    // A star cannot be counted here: left as written (Calcite then names the problem).
    assertEquals("SELECT * FROM t ORDER BY ALL", rewrite("SELECT * FROM t ORDER BY ALL"));
  }

  @Test
  void sparkStyleCallsOfReservedNamesAreQuoted() {
    assertEquals("SELECT `datediff`(a, b)", rewrite("SELECT datediff(a, b)"));
    assertEquals("SELECT datediff(DAY, a, b)", rewrite("SELECT datediff(DAY, a, b)"));
    assertEquals("SELECT `position`('b', s)", rewrite("SELECT position('b', s)"));
    assertEquals("SELECT position('b' IN s)", rewrite("SELECT position('b' IN s)"));
    assertEquals("SELECT `any`(x) FROM t", rewrite("SELECT any(x) FROM t"));
    assertEquals(
        "SELECT 1 FROM t WHERE a = ANY(SELECT b FROM u)",
        rewrite("SELECT 1 FROM t WHERE a = ANY(SELECT b FROM u)"));
  }

  @Test
  void tableValuedRangeBecomesASubQuery() {
    assertEquals(
        "SELECT * FROM (SELECT explode(sequence(CAST(0 AS BIGINT), CAST(4 AS BIGINT) - CASE WHEN"
            + " (2) > 0 THEN 1 ELSE -1 END, CAST(2 AS BIGINT))) AS id) r",
        rewrite("SELECT * FROM range(0, 4, 2) r"));
    assertEquals(
        "SELECT * FROM (SELECT explode(sequence(CAST(0 AS BIGINT), CAST(3 AS BIGINT) - CASE WHEN"
            + " (1) > 0 THEN 1 ELSE -1 END, CAST(1 AS BIGINT))) AS id)",
        rewrite("SELECT * FROM range(3)"));
    // range as a column or another function's argument: unchanged
    assertEquals("SELECT range(1) FROM t", rewrite("SELECT range(1) FROM t"));
  }

  @Test
  void binaryLiteralsWithASpaceOrOddDigits() {
    assertEquals("SELECT X'1010', X'00', X'0A'", rewrite("SELECT X '1010', X '0', X'A'"));
    assertEquals("SELECT x AS X FROM t", rewrite("SELECT x AS X FROM t"));
  }

  @Test
  void substringWithCommasIsSparksSubstr() {
    assertEquals("SELECT substr(s, 0, 6)", rewrite("SELECT substring(s, 0, 6)"));
    assertEquals("SELECT substring(s FROM 2)", rewrite("SELECT substring(s FROM 2)"));
  }

  @Test
  void rewritesInsideInlineTableRowsKeepTheTable() {
    assertEquals(
        "SELECT * FROM (VALUES (CAST(9 AS BIGINT)), (X'10')) AS t(c)",
        rewrite("SELECT * FROM VALUES (9L), (X '10') AS t(c)"));
  }
}
