package io.aquifer.planner;

/** Errors found while parsing and validating a statement, each with its SQLSTATE. */
public enum PlannerErrorCode {
  PARSE_SYNTAX_ERROR("42601"),
  TABLE_OR_VIEW_NOT_FOUND("42P01"),
  SCHEMA_NOT_FOUND("3F000"),
  CATALOG_NOT_FOUND("42704"),
  UNRESOLVED_COLUMN("42703"),
  UNRESOLVED_ROUTINE("42883"),
  /** {@code x.*} where x is neither a table of the FROM clause nor a STRUCT column. */
  CANNOT_RESOLVE_STAR_EXPAND("42704"),
  DATATYPE_MISMATCH("42804"),
  INVALID_TIME_TRAVEL_SPEC("22023"),
  INSERT_COLUMN_ARITY_MISMATCH("21S01"),
  /**
   * A SQL function called (or a row filter or column mask applied) with too many or few arguments.
   */
  WRONG_NUM_ARGS("42605"),
  UNSUPPORTED_FEATURE("0A000"),
  /** The caller (or a view's owner) lacks a privilege on an object the statement reads. */
  PERMISSION_DENIED("42501"),
  /** The statement is too large or nests too deeply to be planned safely. */
  STATEMENT_TOO_COMPLEX("54001"),
  /** A validation failure without a more specific class. */
  INVALID_STATEMENT("42000");

  private final String sqlState;

  PlannerErrorCode(String sqlState) {
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
