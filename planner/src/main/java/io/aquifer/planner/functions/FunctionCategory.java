package io.aquifer.planner.functions;

/**
 * The groups of Databricks built-in functions, as {@code SHOW FUNCTIONS} and metadata list them.
 */
public enum FunctionCategory {
  AGGREGATE,
  ARRAY,
  BITWISE,
  CONDITIONAL,
  CONVERSION,
  DATETIME,
  HASH,
  JSON,
  MAP,
  MATH,
  STRING,
  URL,
  SKETCH
}
