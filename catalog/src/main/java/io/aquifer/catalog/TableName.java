package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A three-part name {@code catalog.schema.table}. Names are case-insensitive and stored in lower
 * case, as in Unity Catalog; each part follows {@link ObjectNames}.
 */
public record TableName(String catalog, String schema, String table) {
  public TableName {
    catalog = ObjectNames.normalize("catalog", requireNonNull(catalog, "catalog"));
    schema = ObjectNames.normalize("schema", requireNonNull(schema, "schema"));
    table = ObjectNames.normalize("table", requireNonNull(table, "table"));
  }

  @Override
  public String toString() {
    return catalog + "." + schema + "." + table;
  }
}
