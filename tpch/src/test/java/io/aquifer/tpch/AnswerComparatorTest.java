package io.aquifer.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerComparatorTest {
  private final AnswerComparator comparator = new AnswerComparator();

  private static ExpectedResult answer(String text) {
    return TpchAnswers.parse("q99", text, "test");
  }

  private static ActualResult actual(List<String> columns, Object[]... rows) {
    return new ActualResult(columns, Arrays.stream(rows).map(Arrays::asList).toList());
  }

  @Test
  void equalResultsHaveNoDifferences() {
    ExpectedResult expected = answer("l_returnflag|count_order|o_orderdate\nA|14876|1995-03-15\n");
    ActualResult actual =
        actual(
            List.of("l_returnflag", "count_order", "o_orderdate"),
            new Object[] {"A", BigInteger.valueOf(14876), LocalDate.of(1995, 3, 15)});
    assertEquals(List.of(), comparator.compare(expected, actual));
  }

  @Test
  void aWrongValueIsReportedWithQueryRowColumnAndValues() {
    ExpectedResult expected = answer("n_name|revenue\nCHINA|10.00\nINDIA|55.50\n");
    ActualResult actual =
        actual(
            List.of("n_name", "revenue"),
            new Object[] {"CHINA", new BigDecimal("10.00")},
            new Object[] {"INDIA", new BigDecimal("255.51")});
    List<AnswerDifference> differences = comparator.compare(expected, actual);
    assertEquals(
        List.of(new AnswerDifference("q99", 2, "revenue", "55.50", "255.51", ColumnTolerance.SUM)),
        differences);
    assertEquals(
        "q99 row 2 revenue: expected '55.50', actual '255.51' (sum within 100)",
        differences.get(0).toString());
  }

  @Test
  void stringsIntegersAndDatesMustBeExact() {
    assertTrue(AnswerComparator.matches("BRAZIL", "BRAZIL", ColumnTolerance.EXACT));
    assertFalse(AnswerComparator.matches("BRAZIL", "BRAZIL ", ColumnTolerance.EXACT));
    assertFalse(AnswerComparator.matches("abc ", "abc", ColumnTolerance.EXACT));
    assertTrue(AnswerComparator.matches("500", BigInteger.valueOf(500), ColumnTolerance.EXACT));
    assertFalse(AnswerComparator.matches("500", BigInteger.valueOf(501), ColumnTolerance.EXACT));
    assertTrue(AnswerComparator.matches("1995", new BigDecimal("1995.0"), ColumnTolerance.EXACT));
    assertTrue(
        AnswerComparator.matches("1996-01-02", LocalDate.of(1996, 1, 2), ColumnTolerance.EXACT));
    assertFalse(
        AnswerComparator.matches("1996-01-02", LocalDate.of(1996, 1, 3), ColumnTolerance.EXACT));
    assertFalse(AnswerComparator.matches("7", null, ColumnTolerance.EXACT));
  }

  @Test
  void plainDecimalsMatchAfterRoundingToCents() {
    assertTrue(
        AnswerComparator.matches("4186.95", new BigDecimal("4186.95"), ColumnTolerance.CENTS));
    assertTrue(AnswerComparator.matches("4186.95", 4186.9500001, ColumnTolerance.CENTS));
    assertTrue(
        AnswerComparator.matches("4186.954", new BigDecimal("4186.95"), ColumnTolerance.CENTS));
    assertFalse(
        AnswerComparator.matches("4186.95", new BigDecimal("4186.96"), ColumnTolerance.CENTS));
    assertFalse(
        AnswerComparator.matches("4186.955", new BigDecimal("4186.95"), ColumnTolerance.CENTS));
  }

  @Test
  void sumsMayBeOffByOneHundred() {
    assertTrue(
        AnswerComparator.matches(
            "532348211.65", new BigDecimal("532348311.65"), ColumnTolerance.SUM));
    assertTrue(AnswerComparator.matches("532348211.65", 532348111.65, ColumnTolerance.SUM));
    assertFalse(
        AnswerComparator.matches(
            "532348211.65", new BigDecimal("532348311.66"), ColumnTolerance.SUM));
    assertFalse(AnswerComparator.matches("10", new BigDecimal("-91"), ColumnTolerance.SUM));
  }

  @Test
  void averagesAndRatiosMayBeOffByOnePercent() {
    assertTrue(AnswerComparator.matches("25.575154611454693", 25.58, ColumnTolerance.RELATIVE));
    assertTrue(AnswerComparator.matches("100", 100.99, ColumnTolerance.RELATIVE));
    assertFalse(AnswerComparator.matches("100", 101.01, ColumnTolerance.RELATIVE));
    assertFalse(AnswerComparator.matches("100", 98.99, ColumnTolerance.RELATIVE));
    assertTrue(
        AnswerComparator.matches("0.0", new BigDecimal("0.000000"), ColumnTolerance.RELATIVE));
    assertTrue(AnswerComparator.matches("0.0012", 0.0010, ColumnTolerance.RELATIVE)); // both 0.00
    assertFalse(AnswerComparator.matches("0.05", 0.0449, ColumnTolerance.RELATIVE));
  }

  @Test
  void theRuleOfAColumnComesFromItsNameThenItsValues() {
    assertEquals(ColumnTolerance.RELATIVE, AnswerComparator.toleranceFor("avg_qty", 25.5));
    assertEquals(
        ColumnTolerance.RELATIVE, AnswerComparator.toleranceFor("avg_yearly", BigDecimal.ONE));
    assertEquals(
        ColumnTolerance.RELATIVE, AnswerComparator.toleranceFor("mkt_share", BigDecimal.ONE));
    assertEquals(ColumnTolerance.RELATIVE, AnswerComparator.toleranceFor("promo_revenue", 15.4));
    assertEquals(ColumnTolerance.SUM, AnswerComparator.toleranceFor("sum_charge", BigDecimal.ONE));
    assertEquals(ColumnTolerance.SUM, AnswerComparator.toleranceFor("revenue", BigDecimal.ONE));
    assertEquals(ColumnTolerance.SUM, AnswerComparator.toleranceFor("sum", BigDecimal.ONE));
    assertEquals(ColumnTolerance.SUM, AnswerComparator.toleranceFor("value", BigDecimal.ONE));
    assertEquals(ColumnTolerance.SUM, AnswerComparator.toleranceFor("totacctbal", BigDecimal.ONE));
    assertEquals(
        ColumnTolerance.EXACT, AnswerComparator.toleranceFor("count_order", BigInteger.ONE));
    assertEquals(
        ColumnTolerance.EXACT, AnswerComparator.toleranceFor("high_line_count", BigInteger.ONE));
    assertEquals(ColumnTolerance.EXACT, AnswerComparator.toleranceFor("s_name", "Supplier#1"));
    assertEquals(ColumnTolerance.CENTS, AnswerComparator.toleranceFor("s_acctbal", BigDecimal.ONE));
    assertEquals(ColumnTolerance.CENTS, AnswerComparator.toleranceFor("o_totalprice", 1.5));
  }

  @Test
  void missingRowsAndColumnsAreDifferences() {
    ExpectedResult expected = answer("a|b\n1|2\n3|4\n");
    List<AnswerDifference> rows =
        comparator.compare(
            expected, actual(List.of("a", "b"), new Object[] {BigInteger.ONE, BigInteger.TWO}));
    assertEquals("(rows)", rows.get(0).column());
    assertEquals("2", rows.get(0).expected());
    assertEquals("1", rows.get(0).actual());
    List<AnswerDifference> columns =
        comparator.compare(expected, actual(List.of("a"), new Object[] {BigInteger.ONE}));
    assertEquals("(columns)", columns.get(0).column());
  }

  @Test
  void textColumnsAreComparedLikeTheRest() {
    ExpectedResult expected = answer("s_name|s_address\nSupplier#1|tpc text\n");
    List<AnswerDifference> differences =
        comparator.compare(
            expected,
            actual(List.of("s_name", "s_address"), new Object[] {"Supplier#1", "other text"}));
    assertEquals(1, differences.size());
    assertEquals("s_address", differences.get(0).column());
  }

  @Test
  void answerFilesKeepSpacesAndEmptyFields() {
    ExpectedResult expected = answer("a|b|c\n x | |\n");
    assertEquals(List.of(List.of(" x ", " ", "")), expected.rows());
  }
}
