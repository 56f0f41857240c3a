package io.aquifer.flightsql;

import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Waits for a statement's result while watching the client: if the client goes away (cancels the
 * call, its deadline passes, the connection drops), the statement is canceled, so that whatever a
 * user starts stops when the user stops waiting.
 */
final class StatementWaiter {
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private StatementWaiter() {}

  /**
   * The statement's result, or empty if the client went away first (the statement is then
   * canceled).
   *
   * @throws io.aquifer.gateway.GatewayException if the statement failed or was canceled
   */
  static Optional<StatementResult> await(
      StatementService service, Session session, Statement statement, BooleanSupplier clientGone) {
    while (true) {
      StatementResult result = statement.awaitResult(POLL_INTERVAL);
      if (result != null) {
        return Optional.of(result);
      }
      if (clientGone.getAsBoolean()) {
        service.cancel(session, statement.id());
        return Optional.empty();
      }
    }
  }
}
