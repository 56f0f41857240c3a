package io.aquifer.planner.functions;

import org.apache.calcite.sql.SqlOperator;

/**
 * A Databricks SQL built-in function as Aquifer knows it: its name, category, usage, the Calcite
 * operator that validates and types its calls, and how DuckDB computes it.
 */
public interface DatabricksFunction {
  /** The name users call it by, lower case. */
  String name();

  FunctionCategory category();

  /** The call's form, e.g. {@code date_trunc(unit, expr)}. */
  String usage();

  /** One sentence on what it returns, including its NULL and error behaviour where notable. */
  String description();

  /** The operator the validator resolves the name to. */
  SqlOperator operator();
}
