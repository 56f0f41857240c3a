package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A table or view with what the catalog records of it, as catalog listings with details (Unity
 * Catalog's table listing) show it.
 *
 * @param kind {@code MANAGED}, {@code EXTERNAL} or {@code VIEW}
 * @param location the storage location of a table; empty for a view
 */
public record TableDetails(
    TableRef table,
    String kind,
    String owner,
    Instant createdAt,
    Instant updatedAt,
    Optional<String> location) {
  public TableDetails {
    requireNonNull(table, "table");
    requireNonNull(kind, "kind");
    requireNonNull(owner, "owner");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
    requireNonNull(location, "location");
  }
}
