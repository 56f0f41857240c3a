package io.aquifer.gateway;

import java.time.Duration;

/**
 * A submitted statement. Synchronous front ends call {@link #awaitResult}; asynchronous ones keep
 * the id and come back later. {@link StatementService#cancel} works in every state.
 */
public interface Statement {
  String id();

  String sql();

  StatementState state();

  /**
   * Waits until the statement has a result (rows start streaming, or the update finished).
   *
   * @throws GatewayException if it failed or was canceled
   */
  StatementResult awaitResult();

  /** Like {@link #awaitResult()} but gives up after the timeout, returning null if not ready. */
  StatementResult awaitResult(Duration timeout);
}
