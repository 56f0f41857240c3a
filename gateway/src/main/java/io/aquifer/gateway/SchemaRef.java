package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

public record SchemaRef(String catalog, String schema) {
  public SchemaRef {
    requireNonNull(catalog, "catalog");
    requireNonNull(schema, "schema");
  }
}
