package io.aquifer.flightsql;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the front end spends its time per Flight call, by call kind (the Flight method, and for
 * DoAction the action type): how many calls, their total time from the moment the call reaches the
 * middleware until it completes (for DoGet: until the last batch was handed to gRPC), and the part
 * of it spent authenticating the caller and finding its session. For benchmarks and diagnostics
 * ({@link FlightSqlFrontEnd#callTimings()}); each call is also logged at debug level.
 */
public final class FlightCallTimings {
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  /** One kind of call: how many, and their total and authentication time in nanoseconds. */
  public record Totals(long calls, long nanos, long authNanos) {
    /** Mean milliseconds per call. */
    public double meanMillis() {
      return calls == 0 ? 0 : nanos / 1e6 / calls;
    }

    /** Mean milliseconds of authentication and session look-up per call. */
    public double meanAuthMillis() {
      return calls == 0 ? 0 : authNanos / 1e6 / calls;
    }
  }

  private static final class Counter {
    final LongAdder calls = new LongAdder();
    final LongAdder nanos = new LongAdder();
    final LongAdder authNanos = new LongAdder();
  }

  void record(String kind, long nanos, long authNanos) {
    Counter counter = counters.computeIfAbsent(kind, k -> new Counter());
    counter.calls.increment();
    counter.nanos.add(nanos);
    counter.authNanos.add(authNanos);
  }

  /** The totals so far, by call kind (sorted by name). */
  public Map<String, Totals> snapshot() {
    Map<String, Totals> totals = new TreeMap<>();
    counters.forEach(
        (kind, c) -> totals.put(kind, new Totals(c.calls.sum(), c.nanos.sum(), c.authNanos.sum())));
    return totals;
  }

  /** Forgets the totals so far. */
  public void reset() {
    counters.clear();
  }
}
