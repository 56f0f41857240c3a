package io.aquifer.tpch;

/** What can go wrong in the TPC-H kit. */
public enum TpchErrorCode {
  /** A table of the target schema exists but is not the table this load would write. */
  TABLE_CONFLICT,
  /** Generating or writing a table failed; nothing of that table is left. */
  LOAD_FAILED,
  /** The load was interrupted; nothing of the table being written is left. */
  LOAD_INTERRUPTED,
  /** The target schema lacks a table, or a table is not readable. */
  TABLE_MISSING,
  /** No answer set for the scale factor, or an unreadable one. */
  ANSWERS_NOT_FOUND,
  /** A query text is missing from the kit. */
  QUERY_NOT_FOUND,
  /**
   * A figures file given to {@code --compare} is missing, unreadable, of another kind or format
   * version, or measured something else (scale factor, queries).
   */
  FIGURES_INVALID,
  /** The benchmark or check could not run. */
  RUN_FAILED
}
