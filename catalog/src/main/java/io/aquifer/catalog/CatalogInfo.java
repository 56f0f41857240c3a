package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** A catalog, the top level of the three-part namespace. */
public record CatalogInfo(
    String name, String owner, Optional<String> comment, Instant createdAt, Instant updatedAt) {
  public CatalogInfo {
    name = ObjectNames.normalize("catalog", name);
    owner = Owners.check(owner);
    requireNonNull(comment, "comment");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }
}
