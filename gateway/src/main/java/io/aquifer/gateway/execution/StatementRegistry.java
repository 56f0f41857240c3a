package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementState;
import io.aquifer.results.ResultStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Statements by id, from submission until their result expires: so that any session of the same
 * principal (or an admin) can look one up, poll it, read its result again, cancel or close it.
 */
public final class StatementRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(StatementRegistry.class);

  private final Map<String, StatementExecution> statements = new ConcurrentHashMap<>();
  private final ResultSpooler spooler;

  public StatementRegistry(ResultStore store) {
    this.spooler = new ResultSpooler(requireNonNull(store, "store"));
  }

  public void register(StatementExecution execution) {
    statements.put(execution.id(), execution);
  }

  /**
   * Runs the statement's work on the executor: an update count ends it; rows are spooled into the
   * result store. Every log line of the work carries the statement id (MDC key {@value
   * GatewayErrors#STATEMENT_ID}).
   */
  public void start(
      StatementExecution execution, ExecutorService executor, Supplier<StatementResult> work) {
    execution.attach(
        executor.submit(
            () -> {
              MDC.put(GatewayErrors.STATEMENT_ID, execution.id());
              try {
                if (!execution.start()) {
                  return;
                }
                StatementResult result = work.get();
                if (result instanceof StatementResult.Rows rows) {
                  execution.affectedRows(rows.affectedRows());
                  spooler.spool(execution, rows.stream());
                } else {
                  execution.succeedWithUpdate(((StatementResult.UpdateCount) result).count());
                }
              } catch (Throwable t) {
                fail(execution, t);
              } finally {
                MDC.remove(GatewayErrors.STATEMENT_ID);
              }
            }));
  }

  /**
   * Records a failure. Whatever happens while translating it, the statement ends FAILED: a
   * statement that never ends would leave its client waiting forever.
   */
  private static void fail(StatementExecution execution, Throwable t) {
    if (execution.state().isFinal()) {
      LOG.debug("statement {} stopped after it ended: {}", execution.id(), t.toString());
      return;
    }
    GatewayException error;
    try {
      error = GatewayErrors.translate(t);
    } catch (Throwable translation) {
      t.addSuppressed(translation);
      LOG.error("statement {} failed and its error could not be translated", execution.id(), t);
      error =
          GatewayErrors.internal(
              "internal error; see the gateway log for statement " + execution.id(), t);
    }
    if (error.category() == io.aquifer.gateway.ErrorCategory.INTERNAL
        && !String.valueOf(error.getMessage()).contains(execution.id())) {
      // An internal error is reported by its statement id: the log has the details under it.
      LOG.error("statement {} failed with an internal error", execution.id(), t);
      error =
          new GatewayException(
              error.errorClass(),
              error.sqlState(),
              error.category(),
              error.getMessage() + " (statement " + execution.id() + ")",
              error.position(),
              error.getCause());
    }
    LOG.debug("statement {} failed: {}", execution.id(), error.clientMessage());
    execution.fail(error);
  }

  /** The statement with this id, whoever ran it, for the gateway's own bookkeeping. */
  public java.util.Optional<StatementExecution> lookup(String id) {
    return java.util.Optional.ofNullable(id == null ? null : statements.get(id));
  }

  /**
   * The statement, if the caller may see it: same principal, or an admin.
   *
   * @throws GatewayException STATEMENT_NOT_FOUND otherwise (the same answer for unknown and foreign
   *     ids, so ids cannot be probed)
   */
  public StatementExecution find(Session caller, String id) {
    StatementExecution execution = id == null ? null : statements.get(id);
    if (execution == null
        || !(caller.principal().admin()
            || execution.session().principal().name().equals(caller.principal().name()))) {
      throw GatewayErrorCode.STATEMENT_NOT_FOUND.exception(
          "no statement "
              + id
              + " of "
              + caller.principal().name()
              + ": it never ran, it belongs to someone else, or it was forgotten after its result"
              + " expired");
    }
    return execution;
  }

  public void cancel(Session caller, String id) {
    find(caller, id).cancel();
  }

  /** Schedules the cancel that enforces a statement's time limit. */
  public void limit(
      StatementExecution execution,
      Duration limit,
      java.util.concurrent.ScheduledExecutorService scheduler) {
    execution.timeLimit(
        scheduler.schedule(
            () -> timeOut(execution, limit),
            limit.toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  /** Cancels a statement that ran past its time limit (a no-op once it ended). */
  private void timeOut(StatementExecution execution, Duration limit) {
    if (execution.cancel(GatewayErrors.timedOut(execution.id(), limit))) {
      MDC.put(GatewayErrors.STATEMENT_ID, execution.id());
      try {
        LOG.debug("statement {} canceled: ran longer than {} s", execution.id(), limit.toSeconds());
      } finally {
        MDC.remove(GatewayErrors.STATEMENT_ID);
      }
    }
  }

  public void close(Session caller, String id) {
    find(caller, id).close();
  }

  /** Closes every statement of a session (it went away): running ones are canceled. */
  public void closeSession(Session session) {
    for (StatementExecution e : List.copyOf(statements.values())) {
      if (e.session().id().equals(session.id())) {
        e.close();
      }
    }
  }

  /** Cancels every running statement (shutdown). */
  public void cancelAll() {
    for (StatementExecution e : List.copyOf(statements.values())) {
      e.cancel();
    }
  }

  /**
   * Closes statements whose result expired (ended longer ago than {@code expiry}), and forgets
   * closed ones after twice that, so an expired id still gets a clear answer for a while.
   */
  public int expire(Instant now, Duration expiry) {
    int closed = 0;
    for (StatementExecution e : List.copyOf(statements.values())) {
      if (e.endedBefore(now.minus(expiry.multipliedBy(2)))) {
        statements.remove(e.id(), e);
        e.close();
      } else if (e.endedBefore(now.minus(expiry)) && e.state() != StatementState.CLOSED) {
        LOG.debug("statement {}: result expired", e.id());
        e.close();
        closed++;
      }
    }
    return closed;
  }

  public int size() {
    return statements.size();
  }
}
