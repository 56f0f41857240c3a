package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

/**
 * The stored query of a view, with the catalog and schema that were current when it was created:
 * names in the SQL that are not fully qualified resolve against them, not against the current
 * schema of whoever reads the view.
 */
public record ViewDefinition(String sql, String currentCatalog, String currentSchema) {
  public ViewDefinition {
    requireNonNull(sql, "sql");
    if (sql.isBlank()) {
      throw new IllegalArgumentException("view SQL must not be blank");
    }
    currentCatalog = ObjectNames.normalize("catalog", currentCatalog);
    currentSchema = ObjectNames.normalize("schema", currentSchema);
  }
}
