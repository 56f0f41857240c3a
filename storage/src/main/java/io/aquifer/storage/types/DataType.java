package io.aquifer.storage.types;

/**
 * A column type as Delta Lake (and Databricks SQL) defines it. The one type model shared by the
 * catalog, the planner and the engine; each of them maps it to its own (Calcite, DuckDB, Arrow).
 */
public sealed interface DataType
    permits PrimitiveType, DecimalType, ArrayType, MapType, StructType {

  /** The Databricks SQL spelling, e.g. {@code DECIMAL(15,2)} or {@code ARRAY<STRING>}. */
  String sql();
}
