package io.aquifer.gateway;

/**
 * The phases of a statement whose time the gateway records on the statement itself ({@link
 * StatementPhaseTimes}). A phase a statement does not go through (a DDL statement is not compiled
 * for the engine, a cache hit is not compiled at all) is absent, not zero.
 */
public enum StatementPhase {
  /** From submission until a statement thread picks it up. */
  QUEUED,
  /** Statement parsing and Calcite's parse. */
  PARSING,
  /**
   * Validation against the catalog, binding each table to a Delta snapshot (the latest-version
   * probes included), file pruning and optimization.
   */
  PLANNING,
  /** The result cache: the plan's fingerprint and key, the look-up, opening a stored result. */
  RESULT_CACHE,
  /** Compiling the plan to engine SQL. */
  ENGINE_COMPILATION,
  /**
   * Copying the rows into the statement's result store, from the first to the last chunk; it
   * overlaps the warehouse's execution, whose batches it waits for.
   */
  SPOOLING
}
