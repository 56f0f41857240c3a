package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * A TPC-H scale factor (SF 1 is about 1 GB of raw data, 6 million lineitem rows), kept as the exact
 * decimal the user typed so that names derived from it are stable: {@code 0.01} gives the schema
 * {@code tpch_sf0_01} and the answer directory {@code sf0.01}.
 */
public record TpchScaleFactor(BigDecimal value) {
  /** The smallest scale factor the kit supports: 1,500 orders, 60,175 lineitems. */
  public static final BigDecimal MIN = new BigDecimal("0.01");

  public TpchScaleFactor {
    requireNonNull(value, "value");
    if (value.compareTo(MIN) < 0) {
      throw new IllegalArgumentException(
          "TPC-H scale factor must be 0.01 or more: " + value.toPlainString());
    }
    value = value.stripTrailingZeros();
    if (value.scale() < 0) {
      value = value.setScale(0);
    }
  }

  /** Parses {@code 1}, {@code 0.1}, {@code 10}, ... */
  public static TpchScaleFactor parse(String text) {
    requireNonNull(text, "text");
    try {
      return new TpchScaleFactor(new BigDecimal(text.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a TPC-H scale factor: '" + text + "'", e);
    }
  }

  public static TpchScaleFactor of(double value) {
    return new TpchScaleFactor(BigDecimal.valueOf(value));
  }

  public double asDouble() {
    return value.doubleValue();
  }

  /** {@code 0.01}, {@code 1}, {@code 10}. */
  @Override
  public String toString() {
    return value.toPlainString();
  }

  /** The schema name the loader uses by default: {@code tpch_sf0_01}, {@code tpch_sf1}. */
  public String defaultSchemaName() {
    return "tpch_sf" + toString().replace('.', '_');
  }

  /** The folder of the answer sets in the fixtures: {@code sf0.01}, {@code sf1}. */
  public String answerDirectoryName() {
    return "sf" + toString();
  }
}
