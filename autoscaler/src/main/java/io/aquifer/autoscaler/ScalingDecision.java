package io.aquifer.autoscaler;

import java.util.List;

/** What the policy tells the gateway to do with a warehouse now. */
public sealed interface ScalingDecision {
  /** Nothing to do. */
  record Hold() implements ScalingDecision {}

  /** Start the stopped warehouse with this many clusters. */
  record Start(int clusters) implements ScalingDecision {}

  /** Add this many clusters (statements queue too long, or a cluster was lost). */
  record ScaleOut(int clusters) implements ScalingDecision {}

  /** Stop these clusters; each runs nothing. */
  record ScaleIn(List<String> clusterIds) implements ScalingDecision {
    public ScaleIn {
      clusterIds = List.copyOf(clusterIds);
    }
  }

  /** Stop the whole warehouse: it ran nothing for its auto-stop time. */
  record Stop() implements ScalingDecision {}

  ScalingDecision HOLD = new Hold();
  ScalingDecision STOP = new Stop();
}
