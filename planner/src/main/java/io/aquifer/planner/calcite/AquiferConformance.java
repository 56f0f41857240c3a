package io.aquifer.planner.calcite;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * Calcite's BABEL conformance (lenient parsing of many dialects) with Databricks SQL's rules where
 * BABEL is looser: a SELECT with GROUP BY (or aggregates) may only return grouped columns and
 * aggregates ({@code SELECT a FROM t GROUP BY b} fails with MISSING_AGGREGATION in Databricks;
 * BABEL would return an arbitrary {@code a} per group).
 */
public final class AquiferConformance extends SqlDelegatingConformance {
  public static final AquiferConformance INSTANCE = new AquiferConformance();

  private AquiferConformance() {
    super(SqlConformanceEnum.BABEL);
  }

  @Override
  public boolean isNonStrictGroupBy() {
    return false;
  }
}
