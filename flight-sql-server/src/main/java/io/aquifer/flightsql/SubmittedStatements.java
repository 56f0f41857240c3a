package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statements started by GetFlightInfo, by statement id, from then until their rows have been
 * streamed by DoGet (or they were canceled). The ticket a client gets names the statement id, so
 * CancelFlightInfo and a canceled DoGet can reach the running statement. A ticket can be read again
 * after that: the gateway keeps the result until it is closed or expires.
 */
final class SubmittedStatements implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SubmittedStatements.class);

  private final StatementService service;
  private final Clock clock;
  private final ConcurrentMap<String, Submitted> statements = new ConcurrentHashMap<>();
  private final AtomicLong claims = new AtomicLong();

  /** A running statement, the session it runs in, and whether a DoGet took it. */
  static final class Submitted {
    private final Statement statement;
    private final Session session;
    private final String principalName;
    private final String ownerKey;
    private final Instant submittedAt;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicBoolean canceled = new AtomicBoolean();

    Submitted(
        Statement statement, Session session, String principalName, String ownerKey, Instant at) {
      this.statement = requireNonNull(statement, "statement");
      this.session = requireNonNull(session, "session");
      this.principalName = requireNonNull(principalName, "principalName");
      this.ownerKey = requireNonNull(ownerKey, "ownerKey");
      this.submittedAt = requireNonNull(at, "at");
    }

    Statement statement() {
      return statement;
    }

    Session session() {
      return session;
    }

    String id() {
      return statement.id();
    }

    /** True once a client asked to cancel it; its stream then stops at the next batch. */
    boolean isCanceled() {
      return canceled.get();
    }
  }

  SubmittedStatements(StatementService service, Clock clock) {
    this.service = requireNonNull(service, "service");
    this.clock = requireNonNull(clock, "clock");
  }

  Submitted add(Statement statement, Session session, SessionBinding owner) {
    Submitted submitted =
        new Submitted(statement, session, owner.principal().name(), owner.key(), clock.instant());
    statements.put(statement.id(), submitted);
    return submitted;
  }

  /**
   * Hands a statement started here to the first DoGet of its ticket; empty if it is not (or no
   * longer) here, or was taken already: the caller then asks the gateway for it.
   */
  Optional<Submitted> claim(String statementId, Principal caller) {
    Submitted submitted = statements.get(statementId);
    if (submitted == null
        || !submitted.principalName.equals(caller.name())
        || !submitted.claimed.compareAndSet(false, true)) {
      return Optional.empty();
    }
    claims.incrementAndGet();
    return Optional.of(submitted);
  }

  /** A statement the gateway still holds, for a DoGet that reads its result again. */
  Submitted reread(Statement statement, Session session, SessionBinding reader) {
    Submitted submitted =
        new Submitted(statement, session, reader.principal().name(), reader.key(), clock.instant());
    submitted.claimed.set(true);
    return submitted;
  }

  /** A statement that has not finished streaming yet, if it is the caller's. */
  Optional<Submitted> find(String statementId, Principal caller) {
    return Optional.ofNullable(statements.get(statementId))
        .filter(s -> s.principalName.equals(caller.name()));
  }

  /**
   * Cancels a statement in whatever state it is: the gateway stops it, and a stream that is still
   * sending rows of it stops too.
   */
  void cancel(Submitted submitted) {
    submitted.canceled.set(true);
    service.cancel(submitted.session, submitted.id());
  }

  /** Forgets a statement whose stream ended (completed, failed or canceled). */
  void finished(Submitted submitted) {
    statements.remove(submitted.id(), submitted);
  }

  /** Cancels statements nobody fetched within the timeout; returns how many. */
  int cancelUnclaimed(Duration timeout) {
    Instant cutoff = clock.instant().minus(timeout);
    int canceled = 0;
    for (Submitted submitted : List.copyOf(statements.values())) {
      if (!submitted.claimed.get() && submitted.submittedAt.isBefore(cutoff)) {
        log.info(
            "Canceling statement {}: its result was not fetched within {}",
            submitted.id(),
            timeout);
        discard(submitted);
        canceled++;
      }
    }
    return canceled;
  }

  /** Cancels the unfetched statements of a connection that closed. */
  void discardOwnedBy(String ownerKey) {
    for (Submitted submitted : List.copyOf(statements.values())) {
      if (submitted.ownerKey.equals(ownerKey) && !submitted.claimed.get()) {
        discard(submitted);
      }
    }
  }

  private void discard(Submitted submitted) {
    if (!statements.remove(submitted.id(), submitted)) {
      return;
    }
    try {
      // A result that is already there holds an open stream.
      StatementResult result = submitted.statement.awaitResult(Duration.ZERO);
      if (result instanceof StatementResult.Rows rows) {
        rows.stream().close();
      }
    } catch (RuntimeException e) {
      log.debug("Statement {} ended without a result: {}", submitted.id(), e.toString());
    }
    try {
      service.cancel(submitted.session, submitted.id());
    } catch (RuntimeException e) {
      log.debug("Canceling statement {} failed: {}", submitted.id(), e.toString());
    }
  }

  int size() {
    return statements.size();
  }

  /** How many statements a DoGet has claimed so far. */
  long claims() {
    return claims.get();
  }

  /** Cancels every statement: unfetched ones are dropped, streaming ones stop. */
  @Override
  public void close() {
    for (Submitted submitted : List.copyOf(statements.values())) {
      if (submitted.claimed.get()) {
        try {
          cancel(submitted);
        } catch (RuntimeException e) {
          log.debug("Canceling statement {} failed: {}", submitted.id(), e.toString());
        }
      } else {
        discard(submitted);
      }
    }
  }
}
