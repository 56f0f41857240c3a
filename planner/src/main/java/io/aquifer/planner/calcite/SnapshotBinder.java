package io.aquifer.planner.calcite;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.DeltaTables;
import io.aquifer.storage.delta.DeltaVersionNotFoundException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Binds every table a statement reads to exactly one Delta snapshot: the first reference loads it,
 * later references (self-joins, subqueries, views) get the same one.
 */
public final class SnapshotBinder {
  private final DeltaTables tables;
  private final Map<String, DeltaSnapshot> bound = new HashMap<>();

  public SnapshotBinder(DeltaTables tables) {
    this.tables = tables;
  }

  /**
   * @param timeTravel empty for the latest version, {@code v<n>} or {@code ts<epoch millis>}
   */
  public synchronized DeltaSnapshot bind(URI location, String timeTravel) {
    return bind(location, timeTravel, null);
  }

  /**
   * As {@link #bind(URI, String)}; a version or timestamp outside the log fails naming {@code
   * tableName} (not the table's location) and the versions that exist.
   */
  public synchronized DeltaSnapshot bind(URI location, String timeTravel, String tableName) {
    try {
      return bindOrFail(location, timeTravel);
    } catch (DeltaVersionNotFoundException e) {
      throw tableName == null ? e : e.forTable(tableName);
    }
  }

  private DeltaSnapshot bindOrFail(URI location, String timeTravel) {
    String key = location + "@" + timeTravel;
    DeltaSnapshot snapshot = bound.get(key);
    if (snapshot == null) {
      if (timeTravel.isEmpty()) {
        snapshot = tables.latest(location);
      } else if (timeTravel.startsWith("v")) {
        snapshot = tables.atVersion(location, Long.parseLong(timeTravel.substring(1)));
      } else if (timeTravel.startsWith("ts")) {
        snapshot = tables.atTimestamp(location, Long.parseLong(timeTravel.substring(2)));
      } else {
        throw new PlannerException(
            PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC, "bad time travel spec: " + timeTravel);
      }
      bound.put(key, snapshot);
    }
    return snapshot;
  }

  public synchronized Map<String, DeltaSnapshot> boundSnapshots() {
    return Map.copyOf(bound);
  }
}
