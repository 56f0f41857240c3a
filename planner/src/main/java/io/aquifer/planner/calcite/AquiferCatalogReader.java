package io.aquifer.planner.calcite;

import java.util.List;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.validate.SqlNameMatchers;

/**
 * Resolves names the Databricks way: {@code t} in the current schema, {@code s.t} in the current
 * catalog, {@code c.s.t} absolutely. (Calcite by default tries only the current schema and the
 * root.)
 *
 * <p>The session's temporary views live in the root, under one-part names. For a statement's own
 * names they come first, as in Spark: a one-part {@code t} is the temporary view {@code t} even
 * where the current schema has a table {@code t}, while {@code s.t} and {@code c.s.t} still name
 * tables (the root holds catalogs, which hold no tables of their own, so a name of two or more
 * parts never ends at the root's tables). Inside a view's definition the root comes last: a view
 * resolves its names as it did when it was created, and a permanent view never reads a temporary
 * view created after it.
 */
public final class AquiferCatalogReader extends CalciteCatalogReader {
  public AquiferCatalogReader(
      CalciteSchema root,
      String catalog,
      String schema,
      RelDataTypeFactory typeFactory,
      CalciteConnectionConfig config) {
    this(root, catalog, schema, false, typeFactory, config);
  }

  /**
   * @param temporaryViewsFirst whether one-part names find the session's temporary views before the
   *     current schema's tables: for a statement's own names, not a view's
   */
  public AquiferCatalogReader(
      CalciteSchema root,
      String catalog,
      String schema,
      boolean temporaryViewsFirst,
      RelDataTypeFactory typeFactory,
      CalciteConnectionConfig config) {
    super(
        root,
        SqlNameMatchers.withCaseSensitive(false),
        temporaryViewsFirst
            ? List.of(List.of(), List.of(catalog, schema), List.of(catalog))
            : List.of(List.of(catalog, schema), List.of(catalog), List.of()),
        typeFactory,
        config);
  }
}
