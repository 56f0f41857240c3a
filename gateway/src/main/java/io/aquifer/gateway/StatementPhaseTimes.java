package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where one statement's time went, by {@link StatementPhase}: the sum of the phase's occurrences (a
 * statement may plan more than one query). Phases the statement did not go through are absent.
 */
public record StatementPhaseTimes(Map<StatementPhase, Duration> durations) {
  public static final StatementPhaseTimes NONE = new StatementPhaseTimes(Map.of());

  public StatementPhaseTimes {
    requireNonNull(durations, "durations");
    EnumMap<StatementPhase, Duration> copy = new EnumMap<>(StatementPhase.class);
    for (Map.Entry<StatementPhase, Duration> e : durations.entrySet()) {
      Duration d = requireNonNull(e.getValue(), "duration of " + e.getKey());
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration of " + e.getKey() + ": " + d);
      }
      copy.put(requireNonNull(e.getKey(), "phase"), d);
    }
    durations = java.util.Collections.unmodifiableMap(copy);
  }

  /** The phase's time, if the statement went through it. */
  public Optional<Duration> of(StatementPhase phase) {
    return Optional.ofNullable(durations.get(phase));
  }

  /** The summed time of the phases the statement went through among {@code phases}, if any. */
  public Optional<Duration> sum(StatementPhase... phases) {
    Duration total = null;
    for (StatementPhase p : phases) {
      Duration d = durations.get(p);
      if (d != null) {
        total = total == null ? d : total.plus(d);
      }
    }
    return Optional.ofNullable(total);
  }
}
