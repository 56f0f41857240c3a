package io.aquifer.storage.types;

/** {@code DECIMAL(precision, scale)}, precision 1 to 38. */
public record DecimalType(int precision, int scale) implements DataType {
  public static final int MAX_PRECISION = 38;

  public DecimalType {
    if (precision < 1 || precision > MAX_PRECISION) {
      throw new IllegalArgumentException("DECIMAL precision must be 1 to 38: " + precision);
    }
    if (scale < 0 || scale > precision) {
      throw new IllegalArgumentException(
          "DECIMAL scale must be 0 to precision " + precision + ": " + scale);
    }
  }

  @Override
  public String sql() {
    return "DECIMAL(" + precision + "," + scale + ")";
  }
}
