package io.aquifer.planner.functions;

import org.apache.calcite.sql.SqlFunction;

/**
 * The engine call that fails a write whose row violates a CHECK constraint: {@code
 * __aquifer_check_violation(message)} is the engine's {@code error} with {@link #MARKER} before the
 * message, which the node's error translator turns into Databricks' {@code
 * DELTA_VIOLATE_CONSTRAINT_WITH_VALUES} (23001). Not a catalog function: statements cannot call it,
 * only the gateway puts it into a write's plan.
 */
public final class CheckConstraintViolation {
  /** What the engine's error message starts with. */
  public static final String MARKER = "AQUIFER CHECK constraint violated: ";

  /**
   * {@code __aquifer_check_violation(STRING message, value)}: fails with the message; typed as
   * {@code value}, so that it can stand in a CASE over a written column.
   */
  public static final SqlFunction FUNCTION =
      new CatalogScalarFunction(
          new FunctionSpec(
                  "__aquifer_check_violation",
                  FunctionCategory.CONDITIONAL,
                  "__aquifer_check_violation(message, value)",
                  "Fails the statement: a written row violates a CHECK constraint.")
              .args(ArgKind.STRING, ArgKind.ANY)
              .returns(Returns.arg(1))
              .duckdb("error('" + MARKER + "' || $1)"));

  private CheckConstraintViolation() {}
}
