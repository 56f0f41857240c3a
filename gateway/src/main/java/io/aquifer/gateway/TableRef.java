package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A table or view as metadata calls list it.
 *
 * @param type {@code TABLE} or {@code VIEW}
 */
public record TableRef(
    String catalog, String schema, String name, String type, Optional<String> comment) {
  public TableRef {
    requireNonNull(catalog, "catalog");
    requireNonNull(schema, "schema");
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(comment, "comment");
  }
}
