package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A table or view as the catalog holds it: its definition and the times the store stamped. */
public record TableInfo(TableDefinition definition, Instant createdAt, Instant updatedAt) {
  public TableInfo {
    requireNonNull(definition, "definition");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }

  public TableName name() {
    return definition.name();
  }

  public TableKind kind() {
    return definition.kind();
  }

  public String owner() {
    return definition.owner();
  }

  public Optional<String> comment() {
    return definition.comment();
  }

  /** The storage location URI of a MANAGED or EXTERNAL table; empty for a view. */
  public Optional<String> location() {
    return definition.location();
  }

  /** The stored query of a view; empty for a table. */
  public Optional<ViewDefinition> view() {
    return definition.view();
  }

  public Map<String, String> properties() {
    return definition.properties();
  }
}
