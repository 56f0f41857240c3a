package io.aquifer.autoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WarehouseAutoscalerTest {
  private static final Duration OUT = Duration.ofSeconds(2);
  private static final Duration IN = Duration.ofSeconds(60);
  private static final Duration AUTO_STOP = Duration.ofMinutes(10);
  private final WarehouseAutoscaler policy = new WarehouseAutoscaler(OUT, IN);

  private static WarehouseLimits limits(int min, int max, int concurrency) {
    return new WarehouseLimits(min, max, concurrency, AUTO_STOP);
  }

  private static ClusterLoad busy(String id, int running) {
    return new ClusterLoad(id, running, Duration.ZERO);
  }

  private static ClusterLoad idle(String id, Duration idleFor) {
    return new ClusterLoad(id, 0, idleFor);
  }

  private static WarehouseLoad load(
      List<ClusterLoad> clusters, int starting, int queued, Duration queuedFor, Duration idle) {
    return new WarehouseLoad(clusters, starting, queued, queuedFor, idle);
  }

  // ---- start ----

  @Test
  void stoppedWarehouseStaysStoppedWithoutStatements() {
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(limits(1, 3, 10), load(List.of(), 0, 0, Duration.ZERO, Duration.ofDays(1))));
  }

  @Test
  void stoppedWarehouseStartsItsMinimumOnTheFirstQueuedStatement() {
    assertEquals(
        new ScalingDecision.Start(2),
        policy.decide(limits(2, 3, 10), load(List.of(), 0, 1, Duration.ZERO, Duration.ZERO)));
  }

  @Test
  void startingWarehouseIsNotStartedTwice() {
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(
            limits(1, 1, 10), load(List.of(), 1, 5, Duration.ofSeconds(30), Duration.ZERO)));
  }

  // ---- auto-stop ----

  @Test
  void stopsAfterAutoStopWithNothingRunningOrQueued() {
    WarehouseLoad idleLoad = load(List.of(idle("c1", AUTO_STOP)), 0, 0, Duration.ZERO, AUTO_STOP);
    assertEquals(ScalingDecision.STOP, policy.decide(limits(1, 1, 10), idleLoad));
    WarehouseLoad almost =
        load(List.of(idle("c1", AUTO_STOP)), 0, 0, Duration.ZERO, AUTO_STOP.minusMillis(1));
    assertEquals(ScalingDecision.HOLD, policy.decide(limits(1, 1, 10), almost));
  }

  @Test
  void autoStopZeroNeverStops() {
    WarehouseLimits never = new WarehouseLimits(1, 1, 10, Duration.ZERO);
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(
            never,
            load(
                List.of(idle("c1", Duration.ofDays(9))), 0, 0, Duration.ZERO, Duration.ofDays(9))));
  }

  @Test
  void doesNotStopWhileAStatementRunsOrQueues() {
    Duration long_ = AUTO_STOP.multipliedBy(2);
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(limits(1, 1, 10), load(List.of(busy("c1", 1)), 0, 0, Duration.ZERO, long_)));
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(limits(1, 1, 1), load(List.of(busy("c1", 1)), 0, 1, Duration.ZERO, long_)));
  }

  // ---- replacement ----

  @Test
  void lostClustersAreReplacedAtOnceWithoutAQueue() {
    assertEquals(
        new ScalingDecision.ScaleOut(1),
        policy.decide(
            limits(2, 3, 10), load(List.of(busy("c1", 1)), 0, 0, Duration.ZERO, Duration.ZERO)));
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(
            limits(2, 3, 10), load(List.of(busy("c1", 1)), 1, 0, Duration.ZERO, Duration.ZERO)));
  }

  @Test
  void aStartedWarehouseWhoseOnlyClusterDiedGetsItBackWithoutAQueue() {
    assertEquals(
        new ScalingDecision.ScaleOut(2),
        policy.decide(
            limits(2, 3, 10),
            new WarehouseLoad(List.of(), 0, 0, Duration.ZERO, Duration.ZERO, true)));
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(
            limits(2, 3, 10),
            new WarehouseLoad(List.of(), 0, 0, Duration.ZERO, Duration.ZERO, false)));
  }

  // ---- scale out ----

  @Test
  void queueShorterThanTheDelayDoesNotScaleOut() {
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(
            limits(1, 3, 2),
            load(List.of(busy("c1", 2)), 0, 4, OUT.minusMillis(1), Duration.ZERO)));
  }

  @Test
  void queueAsLongAsTheDelayAddsTheClustersTheQueueNeeds() {
    // 2 running + 3 queued at concurrency 2 need 3 clusters: add 2.
    assertEquals(
        new ScalingDecision.ScaleOut(2),
        policy.decide(limits(1, 5, 2), load(List.of(busy("c1", 2)), 0, 3, OUT, Duration.ZERO)));
    // One queued statement needs one more cluster.
    assertEquals(
        new ScalingDecision.ScaleOut(1),
        policy.decide(limits(1, 5, 2), load(List.of(busy("c1", 2)), 0, 1, OUT, Duration.ZERO)));
  }

  @Test
  void scaleOutStopsAtTheMaximum() {
    assertEquals(
        new ScalingDecision.ScaleOut(1),
        policy.decide(limits(1, 2, 1), load(List.of(busy("c1", 1)), 0, 30, OUT, Duration.ZERO)));
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(
            limits(1, 2, 1),
            load(List.of(busy("c1", 1), busy("c2", 1)), 0, 30, OUT, Duration.ZERO)));
  }

  @Test
  void startingClustersCountTowardsTheNeed() {
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(limits(1, 3, 2), load(List.of(busy("c1", 2)), 1, 2, OUT, Duration.ZERO)));
    assertEquals(
        new ScalingDecision.ScaleOut(1),
        policy.decide(limits(1, 3, 2), load(List.of(busy("c1", 2)), 1, 3, OUT, Duration.ZERO)));
  }

  // ---- scale in ----

  @Test
  void idleClustersAreRemovedLongestIdleFirstDownToTheMinimum() {
    WarehouseLoad three =
        load(
            List.of(idle("c1", IN), idle("c2", IN.multipliedBy(3)), idle("c3", IN.multipliedBy(2))),
            0,
            0,
            Duration.ZERO,
            Duration.ZERO);
    assertEquals(
        new ScalingDecision.ScaleIn(List.of("c2", "c3")), policy.decide(limits(1, 3, 10), three));
    assertEquals(
        new ScalingDecision.ScaleIn(List.of("c2")), policy.decide(limits(2, 3, 10), three));
    assertEquals(ScalingDecision.HOLD, policy.decide(limits(3, 3, 10), three));
  }

  @Test
  void clustersIdleShorterThanTheDelayStay() {
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(
            limits(1, 3, 10),
            load(
                List.of(busy("c1", 1), idle("c2", IN.minusMillis(1))),
                0,
                0,
                Duration.ZERO,
                Duration.ZERO)));
  }

  @Test
  void busyClustersAreNeverRemovedAndRunningStatementsKeepTheirClusters() {
    // 3 statements at concurrency 2 need 2 clusters: of the idle ones only one goes.
    WarehouseLoad load =
        load(
            List.of(busy("c1", 2), busy("c2", 1), idle("c3", IN), idle("c4", IN.plusSeconds(1))),
            0,
            0,
            Duration.ZERO,
            Duration.ZERO);
    assertEquals(
        new ScalingDecision.ScaleIn(List.of("c4", "c3")), policy.decide(limits(1, 4, 2), load));
    WarehouseLoad allBusy =
        load(List.of(busy("c1", 1), busy("c2", 1)), 0, 0, Duration.ZERO, Duration.ZERO);
    assertEquals(ScalingDecision.HOLD, policy.decide(limits(1, 4, 10), allBusy));
  }

  @Test
  void noScaleInWhileStatementsQueueOrClustersStart() {
    List<ClusterLoad> clusters = List.of(busy("c1", 1), idle("c2", IN.multipliedBy(5)));
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(limits(1, 2, 1), load(clusters, 0, 1, Duration.ZERO, Duration.ZERO)));
    assertEquals(
        ScalingDecision.HOLD,
        policy.decide(limits(1, 3, 1), load(clusters, 1, 0, Duration.ZERO, Duration.ZERO)));
  }

  // ---- every combination of small figures keeps the invariants ----

  @Test
  void invariantsHoldForEverySmallLoad() {
    Duration[] durations = {Duration.ZERO, OUT.minusMillis(1), OUT, IN, AUTO_STOP};
    int checked = 0;
    for (int min = 1; min <= 3; min++) {
      for (int max = min; max <= 4; max++) {
        for (int concurrency = 1; concurrency <= 3; concurrency++) {
          WarehouseLimits limits = limits(min, max, concurrency);
          for (List<ClusterLoad> clusters : clusterSets(max, concurrency, durations)) {
            for (int starting = 0; starting + clusters.size() <= max; starting++) {
              for (int queued = 0; queued <= 7; queued += 7 / 2 + 1) {
                for (Duration queuedFor : durations) {
                  for (Duration idle : durations) {
                    for (boolean started : new boolean[] {false, true}) {
                      if (!started && clusters.size() + starting > 0) {
                        continue;
                      }
                      WarehouseLoad load =
                          new WarehouseLoad(clusters, starting, queued, queuedFor, idle, started);
                      check(limits, load, policy.decide(limits, load));
                      checked++;
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    assertTrue(checked > 10_000, "checked " + checked);
  }

  private static List<List<ClusterLoad>> clusterSets(
      int max, int concurrency, Duration[] durations) {
    List<List<ClusterLoad>> sets = new ArrayList<>();
    sets.add(List.of());
    for (int n = 1; n <= max; n++) {
      for (int running = 0; running <= concurrency; running++) {
        for (Duration idleFor : durations) {
          List<ClusterLoad> set = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            // Alternate the given cluster with an idle one, so sets mix busy and idle clusters.
            set.add(
                i % 2 == 0
                    ? new ClusterLoad("c" + i, running, running == 0 ? idleFor : Duration.ZERO)
                    : new ClusterLoad("c" + i, 0, idleFor));
          }
          sets.add(set);
        }
      }
    }
    return sets;
  }

  private static void check(WarehouseLimits limits, WarehouseLoad load, ScalingDecision d) {
    String what = limits + " " + load + " -> " + d;
    int total = load.totalClusters();
    if (d instanceof ScalingDecision.Start start) {
      assertEquals(0, total, what);
      assertFalse(load.started(), what);
      assertTrue(load.queued() > 0, what);
      assertEquals(limits.minClusters(), start.clusters(), what);
    } else if (d instanceof ScalingDecision.ScaleOut out) {
      assertTrue(out.clusters() >= 1, what);
      assertTrue(total + out.clusters() <= limits.maxClusters(), what);
      assertTrue(total < limits.minClusters() || load.oldestQueuedFor().compareTo(OUT) >= 0, what);
    } else if (d instanceof ScalingDecision.ScaleIn in) {
      assertFalse(in.clusterIds().isEmpty(), what);
      assertEquals(0, load.queued(), what);
      Set<String> ids = new HashSet<>(in.clusterIds());
      assertEquals(ids.size(), in.clusterIds().size(), what);
      for (ClusterLoad c : load.clusters()) {
        if (ids.contains(c.id())) {
          assertEquals(0, c.running(), what);
          assertTrue(c.idleFor().compareTo(IN) >= 0, what);
        }
      }
      int left = load.clusters().size() - ids.size();
      assertTrue(left >= limits.minClusters(), what);
      assertTrue(left * limits.clusterConcurrency() >= load.running(), what);
    } else if (d instanceof ScalingDecision.Stop) {
      assertEquals(0, load.queued(), what);
      assertEquals(0, load.running(), what);
      assertTrue(load.started(), what);
      assertTrue(load.idleFor().compareTo(limits.autoStop()) >= 0, what);
    } else {
      // Hold: a stopped warehouse with queued statements always starts; a started one below its
      // minimum always gets clusters.
      assertFalse(!load.started() && load.queued() > 0, what);
      assertFalse(load.started() && total < limits.minClusters(), what);
    }
  }

  @Test
  void figuresAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new WarehouseLimits(0, 1, 1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new WarehouseLimits(2, 1, 1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new WarehouseLimits(1, 1, 0, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new ClusterLoad("c", -1, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new WarehouseLoad(List.of(), -1, 0, Duration.ZERO, Duration.ZERO));
  }
}
