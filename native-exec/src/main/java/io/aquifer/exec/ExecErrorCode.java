package io.aquifer.exec;

/** Errors of query execution on a warehouse node, each with its SQLSTATE. */
public enum ExecErrorCode {
  /** The query was canceled by its user or by the gateway. */
  QUERY_CANCELED("57014"),
  /** The node's or the query's memory limit (or spill space) was exhausted. */
  OUT_OF_MEMORY("53200"),
  /** The node ran out of disk space while writing or spilling. */
  DISK_FULL("53100"),
  /** Division (or modulo) by zero. */
  DIVISION_BY_ZERO("22012"),
  /** A numeric value does not fit its type (overflow, out-of-range cast). */
  NUMERIC_OUT_OF_RANGE("22003"),
  /** Text that does not read as the type it is cast to (Databricks' class of that name). */
  CAST_INVALID_INPUT("22018"),
  /** The compiled query nests deeper than the engine allows (its max_expression_depth). */
  STATEMENT_TOO_COMPLEX("54001"),
  /** A function was called with an invalid argument value. */
  INVALID_ARGUMENT("22023"),
  /**
   * A regular expression argument (of rlike, regexp_extract, regexp_replace ...) that does not
   * compile; Databricks' class INVALID_PARAMETER_VALUE.PATTERN.
   */
  INVALID_PATTERN("22023", "INVALID_PARAMETER_VALUE.PATTERN"),
  /**
   * The engine cannot type an expression the planner let through (a function or comparison over
   * types it does not combine).
   */
  DATATYPE_MISMATCH("42804"),
  /** A NULL was written into a column declared NOT NULL (Databricks' class of Delta's check). */
  NOT_NULL_VIOLATION("23502", "DELTA_NOT_NULL_CONSTRAINT_VIOLATED"),
  /** A written row makes a CHECK constraint of the table false (Databricks' class of Delta's). */
  CHECK_VIOLATION("23001", "DELTA_VIOLATE_CONSTRAINT_WITH_VALUES"),
  /** The fragment tried something the locked-down engine does not allow. */
  ACCESS_DENIED("42501"),
  /** A data file of the scan does not exist (vacuumed, or moved). */
  DATA_FILE_NOT_FOUND("58P01"),
  /** A data file of the scan cannot be read as Parquet. */
  DATA_FILE_CORRUPT("XX001"),
  /** The engine does not support what the fragment asks for. */
  NOT_SUPPORTED("0A000"),
  /** A malformed request reached the node (bad fragment JSON, unknown action, duplicate id). */
  INVALID_REQUEST("08P01"),
  /** The node cannot be reached, or its engine is no longer usable. */
  NODE_UNAVAILABLE("08006"),
  /** Anything else: an engine failure or an invalid engine SQL (a compiler bug). */
  ENGINE_ERROR("XX000");

  private final String sqlState;
  private final String errorClass;

  ExecErrorCode(String sqlState) {
    this.sqlState = sqlState;
    this.errorClass = name();
  }

  ExecErrorCode(String sqlState, String errorClass) {
    this.sqlState = sqlState;
    this.errorClass = errorClass;
  }

  public String sqlState() {
    return sqlState;
  }

  /** The error class clients see: Databricks' where it has a sub-class, else the code's name. */
  public String errorClass() {
    return errorClass;
  }
}
