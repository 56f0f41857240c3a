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
 */
public final class AquiferCatalogReader extends CalciteCatalogReader {
  public AquiferCatalogReader(
      CalciteSchema root,
      String catalog,
      String schema,
      RelDataTypeFactory typeFactory,
      CalciteConnectionConfig config) {
    super(
        root,
        SqlNameMatchers.withCaseSensitive(false),
        List.of(List.of(catalog, schema), List.of(catalog), List.of()),
        typeFactory,
        config);
  }
}
