package io.aquifer.gateway;

/**
 * The phases of a statement whose time the gateway records on the statement itself ({@link
 * StatementPhaseTimes}). A phase a statement does not go through (a DDL statement is not compiled
 * for the engine, a cache hit is not compiled at all) is absent, not zero.
 */
public enum StatementPhase {
  /** From submission until a statement thread picks it up. */
  QUEUED,
  /**
   * Queued on its warehouse while no cluster served (the warehouse was stopped or starting, or its
   * clusters were being replaced): Databricks' {@code waiting_for_compute_duration_ms}. Present,
   * possibly zero, for every statement that asked its warehouse for a slot.
   */
  WAITING_FOR_COMPUTE,
  /**
   * Queued on its warehouse while every serving cluster ran as many statements as its concurrency
   * allows: Databricks' {@code waiting_at_capacity_duration_ms}.
   */
  WAITING_AT_CAPACITY,
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
