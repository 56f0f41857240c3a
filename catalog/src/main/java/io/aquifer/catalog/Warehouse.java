package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A SQL warehouse as the catalog keeps it: what its owner chose, and its state and health as the
 * gateway last recorded them.
 *
 * @param id sixteen hex digits, never reused
 * @param creator the principal who created it
 * @param healthMessage why the warehouse is not healthy, if it is not
 */
public record Warehouse(
    String id,
    WarehouseSpec spec,
    String creator,
    WarehouseState state,
    WarehouseHealth health,
    Optional<String> healthMessage,
    Instant createdAt,
    Instant updatedAt) {
  public Warehouse {
    requireNonNull(id, "id");
    requireNonNull(spec, "spec");
    requireNonNull(creator, "creator");
    requireNonNull(state, "state");
    requireNonNull(health, "health");
    requireNonNull(healthMessage, "healthMessage");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }

  public String name() {
    return spec.name();
  }

  /** Not deleted (nor being deleted): can be found, edited and used. */
  public boolean isLive() {
    return state != WarehouseState.DELETED && state != WarehouseState.DELETING;
  }
}
