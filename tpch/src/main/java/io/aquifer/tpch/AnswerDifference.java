package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

/**
 * One way a result differs from its answer set.
 *
 * @param query {@code q01} … {@code q22}
 * @param row 1-based row number; 0 when the difference is about the whole result (row or column
 *     count)
 * @param column the answer set's column name, or {@code (rows)} / {@code (columns)}
 * @param tolerance the rule the values were compared under
 */
public record AnswerDifference(
    String query,
    int row,
    String column,
    String expected,
    String actual,
    ColumnTolerance tolerance) {
  public AnswerDifference {
    requireNonNull(query, "query");
    requireNonNull(column, "column");
    requireNonNull(tolerance, "tolerance");
  }

  @Override
  public String toString() {
    return query
        + (row > 0 ? " row " + row : "")
        + " "
        + column
        + ": expected "
        + show(expected)
        + ", actual "
        + show(actual)
        + (row > 0 ? " (" + tolerance.description() + ")" : "");
  }

  private static String show(String value) {
    return value == null ? "NULL" : "'" + value + "'";
  }
}
