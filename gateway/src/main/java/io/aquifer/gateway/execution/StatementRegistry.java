package io.aquifer.gateway.execution;

import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.history.QueryHistory;
import io.aquifer.gateway.history.QueryHistoryEntries;
import io.aquifer.gateway.history.StatementStatistics;
import io.aquifer.planner.parse.StatementParser;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Statements by id, so that asynchronous protocols and cancel can find them. */
public final class StatementRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(StatementRegistry.class);
  private static final int MAX_FINISHED = 10_000;

  private final Map<String, StatementExecution> statements = new ConcurrentHashMap<>();
  private final QueryHistory history;

  public StatementRegistry() {
    this(QueryHistory.DISABLED);
  }

  /**
   * @param history where each statement is recorded when it ends
   */
  public StatementRegistry(QueryHistory history) {
    this.history = java.util.Objects.requireNonNull(history, "history");
  }

  public StatementExecution register(String id, String sql, Session session, Runnable onCancel) {
    StatementExecution execution = new StatementExecution(id, sql, session, onCancel, history);
    statements.put(id, execution);
    evictFinished();
    return execution;
  }

  /**
   * Records in the query history a statement that failed before it was submitted (a front end
   * prepares it first to learn its result columns, and validation failed there).
   */
  public void rejected(Session session, String sql, GatewayException error) {
    try {
      StatementStatistics statistics = new StatementStatistics();
      try {
        statistics.statementType(StatementDispatcher.statementType(StatementParser.parse(sql)));
      } catch (RuntimeException | StackOverflowError e) {
        // It does not parse: no type.
      }
      java.time.Instant now = java.time.Instant.now();
      history.record(
          QueryHistoryEntries.of(
              java.util.UUID.randomUUID().toString(),
              session,
              sql,
              now,
              now,
              io.aquifer.gateway.StatementState.FAILED,
              error,
              statistics));
    } catch (RuntimeException e) {
      LOG.warn("cannot record a rejected statement in the query history", e);
    }
  }

  /** Runs the statement's work on the executor and records its outcome. */
  public void start(
      StatementExecution execution, ExecutorService executor, Supplier<StatementResult> work) {
    execution.attach(
        executor.submit(
            () -> {
              if (!execution.start()) {
                return;
              }
              try {
                execution.succeed(work.get());
              } catch (Throwable t) {
                fail(execution, t);
              }
            }));
  }

  /**
   * Records a failure. Whatever happens while translating it, the statement ends FAILED: a
   * statement that never ends would leave its client waiting forever.
   */
  private static void fail(StatementExecution execution, Throwable t) {
    GatewayException error;
    try {
      error =
          execution.state() == io.aquifer.gateway.StatementState.CANCELED
              ? GatewayErrors.canceled(execution.id())
              : GatewayErrors.translate(t);
    } catch (Throwable translation) {
      t.addSuppressed(translation);
      LOG.error("statement {} failed and its error could not be translated", execution.id(), t);
      error = GatewayErrors.internal("internal error; see the gateway log", t);
    }
    LOG.debug("statement {} failed: {}", execution.id(), error.clientMessage());
    execution.fail(error);
  }

  public void cancel(Session session, String id) {
    StatementExecution execution = statements.get(id);
    if (execution == null) {
      return;
    }
    if (session != null
        && !execution.session().principal().name().equals(session.principal().name())) {
      throw GatewayErrors.notFound("STATEMENT_NOT_FOUND", "42000", "no statement " + id);
    }
    execution.cancel();
  }

  /** Cancels every running statement of a session, or of all sessions when null. */
  public void cancelAll(Session session) {
    for (StatementExecution e : statements.values()) {
      if (session == null || e.session().id().equals(session.id())) {
        e.cancel();
      }
    }
  }

  private void evictFinished() {
    if (statements.size() <= MAX_FINISHED) {
      return;
    }
    Iterator<StatementExecution> it = statements.values().iterator();
    while (it.hasNext() && statements.size() > MAX_FINISHED / 2) {
      if (it.next().state().isFinal()) {
        it.remove();
      }
    }
  }
}
