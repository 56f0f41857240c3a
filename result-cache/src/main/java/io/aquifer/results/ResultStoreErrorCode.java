package io.aquifer.results;

/** What can go wrong with a stored result, each with its SQLSTATE. */
public enum ResultStoreErrorCode {
  /** No result with that id: never stored, or already deleted. */
  RESULT_NOT_FOUND("42000"),
  /** The result was closed by its client or expired; run the statement again. */
  RESULT_CLOSED("24000"),
  /** A chunk index below zero or at or past the end of a complete result. */
  CHUNK_OUT_OF_RANGE("22003"),
  /** Storing the result would take the owner past the per-principal quota. */
  RESULT_QUOTA_EXCEEDED("53400"),
  /** Reading or writing the spill tier failed. */
  RESULT_STORE_IO_ERROR("58030");

  private final String sqlState;

  ResultStoreErrorCode(String sqlState) {
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
