package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** A schema (database) inside a catalog. */
public record SchemaInfo(
    String catalog,
    String name,
    String owner,
    Optional<String> comment,
    Instant createdAt,
    Instant updatedAt) {
  public SchemaInfo {
    catalog = ObjectNames.normalize("catalog", catalog);
    name = ObjectNames.normalize("schema", name);
    owner = Owners.check(owner);
    requireNonNull(comment, "comment");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }

  /** {@code catalog.schema}. */
  public String fullName() {
    return catalog + "." + name;
  }
}
