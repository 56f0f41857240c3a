package io.aquifer.tpch;

/**
 * How a column of a TPC-H answer is compared (the TPC-H rules for query validation, clause 2.1.3.5
 * of the specification, as the issue words them).
 */
public enum ColumnTolerance {
  /**
   * Strings, dates, integers and counts: equal (numbers compared by value, {@code 7} = {@code
   * 7.0}).
   */
  EXACT("exact"),
  /** Plain decimals (balances, prices): equal after rounding both to 0.01, half up. */
  CENTS("equal rounded to 0.01"),
  /** Results of SUM: within 100 of the answer. */
  SUM("sum within 100"),
  /**
   * Averages and ratios: within 1% of the answer, or equal after rounding both to 0.01 (so that a
   * ratio of 0 or nearly 0 is not held to a tolerance of nothing).
   */
  RELATIVE("within 1%");

  private final String description;

  ColumnTolerance(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
