package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A three-part name {@code catalog.schema.table}. Names are case-insensitive and stored in lower
 * case, as in Unity Catalog.
 */
public record TableName(String catalog, String schema, String table) {
  public TableName {
    catalog = normalize(requireNonNull(catalog, "catalog"));
    schema = normalize(requireNonNull(schema, "schema"));
    table = normalize(requireNonNull(table, "table"));
  }

  static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return catalog + "." + schema + "." + table;
  }
}
