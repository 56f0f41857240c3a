package io.aquifer.storage.types;

/** A type without parameters. */
public enum PrimitiveType implements DataType {
  BOOLEAN("BOOLEAN"),
  TINYINT("TINYINT"),
  SMALLINT("SMALLINT"),
  INT("INT"),
  BIGINT("BIGINT"),
  FLOAT("FLOAT"),
  DOUBLE("DOUBLE"),
  STRING("STRING"),
  BINARY("BINARY"),
  DATE("DATE"),
  /** Instant in time, shown in the session time zone (Delta {@code timestamp}). */
  TIMESTAMP("TIMESTAMP"),
  /** Wall-clock date and time without a zone (Delta {@code timestamp_ntz}). */
  TIMESTAMP_NTZ("TIMESTAMP_NTZ");

  private final String sql;

  PrimitiveType(String sql) {
    this.sql = sql;
  }

  @Override
  public String sql() {
    return sql;
  }
}
