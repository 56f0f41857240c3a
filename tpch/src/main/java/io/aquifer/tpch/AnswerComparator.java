package io.aquifer.tpch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compares a query's result with its TPC-H answer set row by row, in order, with the TPC-H
 * tolerances. The rule for a column is chosen from its name in the answer set, then from the type
 * of the values the query returned:
 *
 * <ol>
 *   <li>averages and ratios, {@link ColumnTolerance#RELATIVE} (within 1%): names starting {@code
 *       avg_} (Q1's {@code avg_qty}, {@code avg_price}, {@code avg_disc}, Q17's {@code avg_yearly})
 *       and the ratios {@code mkt_share} (Q8) and {@code promo_revenue} (Q14);
 *   <li>sums, {@link ColumnTolerance#SUM} (within 100): names starting {@code sum_} or equal to
 *       {@code sum} (Q1, Q9, Q18) and the sums {@code revenue} (Q3, Q5, Q6, Q7, Q10, Q19), {@code
 *       total_revenue} (Q15), {@code value} (Q11) and {@code totacctbal} (Q22);
 *   <li>any other column holding integers (keys, counts such as {@code count_order}, {@code
 *       custdist}, {@code numwait}, years, {@code p_size}, Q12's line counts), strings or dates:
 *       {@link ColumnTolerance#EXACT};
 *   <li>any other column holding DECIMAL or floating point values (plain decimals such as {@code
 *       s_acctbal}, {@code c_acctbal}, {@code o_totalprice}): {@link ColumnTolerance#CENTS}, equal
 *       after rounding both to 0.01.
 * </ol>
 *
 * <p>Every column of every row is compared. A row or column count that differs is one difference;
 * cell differences are reported up to {@value #MAX_DIFFERENCES} per query. Columns are matched by
 * position (drivers name unaliased expressions differently, e.g. Q18's {@code sum(l_quantity)});
 * differences carry the answer set's column name.
 */
public final class AnswerComparator {
  public static final int MAX_DIFFERENCES = 20;

  private static final BigDecimal SUM_TOLERANCE = new BigDecimal("100");
  private static final BigDecimal RELATIVE_TOLERANCE = new BigDecimal("0.01");
  private static final Set<String> RATIOS = Set.of("mkt_share", "promo_revenue");
  private static final Set<String> SUMS =
      Set.of("sum", "revenue", "total_revenue", "value", "totacctbal");

  public List<AnswerDifference> compare(ExpectedResult expected, ResultSet actual)
      throws SQLException {
    return compare(expected, ActualResult.read(actual));
  }

  public List<AnswerDifference> compare(ExpectedResult expected, ActualResult actual) {
    String query = expected.query();
    List<AnswerDifference> differences = new ArrayList<>();
    if (actual.columns().size() != expected.columns().size()) {
      differences.add(
          new AnswerDifference(
              query,
              0,
              "(columns)",
              expected.columns().size() + " " + expected.columns(),
              actual.columns().size() + " " + actual.columns(),
              ColumnTolerance.EXACT));
      return differences;
    }
    List<ColumnTolerance> tolerances = new ArrayList<>();
    for (int c = 0; c < expected.columns().size(); c++) {
      tolerances.add(toleranceFor(expected.columns().get(c), firstValue(actual, c)));
    }
    if (actual.rows().size() != expected.rows().size()) {
      differences.add(
          new AnswerDifference(
              query,
              0,
              "(rows)",
              Integer.toString(expected.rows().size()),
              Integer.toString(actual.rows().size()),
              ColumnTolerance.EXACT));
    }
    int rows = Math.min(actual.rows().size(), expected.rows().size());
    for (int r = 0; r < rows && differences.size() < MAX_DIFFERENCES; r++) {
      List<String> expectedRow = expected.rows().get(r);
      List<Object> actualRow = actual.rows().get(r);
      for (int c = 0; c < expectedRow.size() && differences.size() < MAX_DIFFERENCES; c++) {
        ColumnTolerance tolerance = tolerances.get(c);
        Object value = actualRow.get(c);
        if (!matches(expectedRow.get(c), value, tolerance)) {
          differences.add(
              new AnswerDifference(
                  query,
                  r + 1,
                  expected.columns().get(c),
                  expectedRow.get(c),
                  text(value),
                  tolerance));
        }
      }
    }
    return differences;
  }

  /** The rule for a column, from its answer-set name and a value the query returned for it. */
  public static ColumnTolerance toleranceFor(String column, Object sampleValue) {
    String name = column.toLowerCase(Locale.ROOT);
    if (name.startsWith("avg_") || RATIOS.contains(name)) {
      return ColumnTolerance.RELATIVE;
    }
    if (name.startsWith("sum_") || SUMS.contains(name)) {
      return ColumnTolerance.SUM;
    }
    if (sampleValue instanceof BigDecimal || sampleValue instanceof Double) {
      return ColumnTolerance.CENTS;
    }
    return ColumnTolerance.EXACT;
  }

  /** Whether {@code actual} (a value as {@link ActualResult} holds it) matches the answer text. */
  public static boolean matches(String expected, Object actual, ColumnTolerance tolerance) {
    if (actual == null) {
      return expected.isEmpty() || expected.equalsIgnoreCase("null");
    }
    if (actual instanceof LocalDate || actual instanceof String) {
      return expected.equals(actual.toString());
    }
    BigDecimal a = number(actual);
    BigDecimal e = parse(expected);
    if (a == null || e == null) {
      return expected.equals(text(actual));
    }
    return switch (tolerance) {
      case EXACT -> a.compareTo(e) == 0;
      case CENTS -> cents(a).compareTo(cents(e)) == 0;
      case SUM -> a.subtract(e).abs().compareTo(SUM_TOLERANCE) <= 0;
      case RELATIVE ->
          a.subtract(e).abs().compareTo(e.abs().multiply(RELATIVE_TOLERANCE)) <= 0
              || cents(a).compareTo(cents(e)) == 0;
    };
  }

  private static Object firstValue(ActualResult actual, int column) {
    for (List<Object> row : actual.rows()) {
      if (row.get(column) != null) {
        return row.get(column);
      }
    }
    return null;
  }

  private static BigDecimal number(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (value instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
    }
    if (value instanceof Number n) {
      return parse(n.toString());
    }
    return null;
  }

  private static BigDecimal parse(String text) {
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static BigDecimal cents(BigDecimal value) {
    return value.setScale(2, RoundingMode.HALF_UP);
  }

  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return value.toString();
  }
}
