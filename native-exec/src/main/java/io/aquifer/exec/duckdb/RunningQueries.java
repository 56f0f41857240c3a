package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.WarehouseNodeIds;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The queries running on the node by id, and the ids canceled recently, so that a cancel works
 * before a query arrives, while it runs and after it ended. Canceling a statement's id cancels
 * every call of the statement ({@code <statement id>/<n>}, see {@link WarehouseNodeIds}).
 *
 * <p>A cancel that arrives before its query is remembered for {@link
 * #CANCELED_ID_RETENTION_MINUTES} minutes (at most {@link #MAX_CANCELED_IDS} ids); the query then
 * fails as soon as it arrives. Because DuckDB forgets an interrupt that lands between two
 * statements of a connection, a cancel is repeated a few times while the query is still running.
 */
final class RunningQueries implements AutoCloseable {
  static final long CANCELED_ID_RETENTION_MINUTES = 10;
  static final int MAX_CANCELED_IDS = 100_000;
  private static final long[] REPEAT_INTERRUPT_MILLIS = {50, 250, 1000, 3000};

  private final DuckDbConnectionInterrupter interrupter;
  private final Map<String, RunningQuery> running = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.LongAdder started =
      new java.util.concurrent.atomic.LongAdder();
  private final Map<String, Long> canceledAt = new ConcurrentHashMap<>();
  private final ScheduledExecutorService repeater =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "aquifer-duckdb-cancel");
            t.setDaemon(true);
            return t;
          });

  RunningQueries(DuckDbConnectionInterrupter interrupter) {
    this.interrupter = interrupter;
  }

  /** Registers a query; it is canceled already if its id was canceled recently. */
  RunningQuery start(String queryId) {
    RunningQuery query = new RunningQuery(queryId, interrupter);
    if (running.putIfAbsent(queryId, query) != null) {
      throw new ExecException(
          ExecErrorCode.INVALID_REQUEST,
          "A query with id " + queryId + " is already running on this node");
    }
    started.increment();
    if (canceledAt.containsKey(queryId)
        || canceledAt.containsKey(WarehouseNodeIds.statementOf(queryId))) {
      query.cancel();
    }
    return query;
  }

  void finish(RunningQuery query) {
    query.finish();
    running.remove(query.queryId(), query);
  }

  void cancel(String queryId) {
    forgetOldCancels();
    canceledAt.put(queryId, System.nanoTime());
    String calls = queryId + WarehouseNodeIds.SEPARATOR;
    for (RunningQuery query : running.values()) {
      if (query.queryId().equals(queryId) || query.queryId().startsWith(calls)) {
        query.cancel();
        for (long delay : REPEAT_INTERRUPT_MILLIS) {
          repeater.schedule(query::interruptAll, delay, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  void cancelAll() {
    running.values().forEach(RunningQuery::cancel);
  }

  int runningCount() {
    return running.size();
  }

  /** How many queries and writes were started (since the engine started). */
  long startedCount() {
    return started.sum();
  }

  private void forgetOldCancels() {
    long cutoff = System.nanoTime() - TimeUnit.MINUTES.toNanos(CANCELED_ID_RETENTION_MINUTES);
    canceledAt.values().removeIf(at -> at - cutoff < 0);
    if (canceledAt.size() >= MAX_CANCELED_IDS) {
      canceledAt.entrySet().stream()
          .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
          .limit(canceledAt.size() - MAX_CANCELED_IDS / 2)
          .map(Map.Entry::getKey)
          .toList()
          .forEach(canceledAt::remove);
    }
  }

  @Override
  public void close() {
    cancelAll();
    repeater.shutdownNow();
  }
}
