package io.aquifer.autoscaler;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One running cluster of a warehouse as the gateway sees it now.
 *
 * @param id the gateway's name for the cluster
 * @param running statements it runs now
 * @param idleFor how long it has run nothing (zero while it runs something)
 */
public record ClusterLoad(String id, int running, Duration idleFor) {
  public ClusterLoad {
    requireNonNull(id, "id");
    requireNonNull(idleFor, "idleFor");
    if (running < 0) {
      throw new IllegalArgumentException("running must not be negative: " + running);
    }
    if (idleFor.isNegative()) {
      throw new IllegalArgumentException("idleFor must not be negative: " + idleFor);
    }
  }
}
