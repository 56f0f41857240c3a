package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.ObjectNames;
import io.aquifer.catalog.TableName;

/**
 * The catalog schema that holds one scale factor's eight tables, by default {@code
 * samples.tpch_sf<sf>} ({@code samples.tpch_sf0_01}, {@code samples.tpch_sf1}).
 */
public record TpchSchemaName(String catalog, String schema) {
  public static final String DEFAULT_CATALOG = "samples";

  public TpchSchemaName {
    catalog = ObjectNames.normalize("catalog", requireNonNull(catalog, "catalog"));
    schema = ObjectNames.normalize("schema", requireNonNull(schema, "schema"));
  }

  public static TpchSchemaName defaultFor(TpchScaleFactor scaleFactor) {
    return new TpchSchemaName(DEFAULT_CATALOG, scaleFactor.defaultSchemaName());
  }

  /** {@code catalog.schema}, or a bare {@code schema} in the {@code samples} catalog. */
  public static TpchSchemaName parse(String name) {
    requireNonNull(name, "name");
    String[] parts = name.strip().split("\\.", -1);
    if (parts.length == 1) {
      return new TpchSchemaName(DEFAULT_CATALOG, parts[0]);
    }
    if (parts.length == 2) {
      return new TpchSchemaName(parts[0], parts[1]);
    }
    throw new IllegalArgumentException(
        "a TPC-H schema is named catalog.schema (or schema, in catalog "
            + DEFAULT_CATALOG
            + "): '"
            + name
            + "'");
  }

  public TableName table(String table) {
    return new TableName(catalog, schema, table);
  }

  /**
   * The name as SQL: {@code catalog.schema}, each part in backticks (Databricks quoting) only when
   * it is not a plain identifier.
   */
  public String sql() {
    return quoted(catalog) + "." + quoted(schema);
  }

  private static String quoted(String part) {
    return part.matches("[a-z_][a-z0-9_]*") ? part : "`" + part.replace("`", "``") + "`";
  }

  @Override
  public String toString() {
    return catalog + "." + schema;
  }
}
