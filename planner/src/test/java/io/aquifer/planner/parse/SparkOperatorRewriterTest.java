package io.aquifer.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparkOperatorRewriterTest {
  private static String rewrite(String sql) {
    return SparkOperatorRewriter.rewrite(sql);
  }

  @Test
  void shiftsBecomeCallsWithSparkPrecedence() {
    assertEquals("SELECT shiftright(4, 1)", rewrite("SELECT 4 >> 1"));
    assertEquals("SELECT shiftrightunsigned(4, 1)", rewrite("SELECT 4 >>> 1"));
    // + binds tighter than >>, & less tightly
    assertEquals("SELECT shiftright(a + 1, b * 2) & 3", rewrite("SELECT a + 1 >> b * 2 & 3"));
    // left associative
    assertEquals(
        "SELECT shiftright(shiftright(x, 1), 2) FROM t", rewrite("SELECT x >> 1 >> 2 FROM t"));
    assertEquals("SELECT shiftright(f(x, y), -1) = 0", rewrite("SELECT f(x, y) >> -1 = 0"));
  }

  @Test
  void typeBracketsAreNotShifts() {
    String ddl = "CREATE TABLE t (a ARRAY<ARRAY<INT>>, b MAP<STRING, ARRAY<INT>>)";
    assertEquals(ddl, rewrite(ddl));
    assertEquals(
        "SELECT CAST(NULL AS ARRAY<ARRAY<INT>>), shiftright(1, 2)",
        rewrite("SELECT CAST(NULL AS ARRAY<ARRAY<INT>>), 1 >> 2"));
    assertEquals("SELECT a > b, a >= b", rewrite("SELECT a > b, a >= b"));
  }

  @Test
  void divAndBitwiseNot() {
    assertEquals("SELECT `div`(3, 2)", rewrite("SELECT 3 div 2"));
    assertEquals("SELECT 1 + `div`(7 * 2, 3)", rewrite("SELECT 1 + 7 * 2 div 3"));
    assertEquals("SELECT div(3, 2)", rewrite("SELECT div(3, 2)"));
    assertEquals("SELECT `~`(0)", rewrite("SELECT ~ 0"));
    assertEquals("SELECT `~`(a.b) + 1", rewrite("SELECT ~a.b + 1"));
  }
}
