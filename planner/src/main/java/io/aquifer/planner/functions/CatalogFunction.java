package io.aquifer.planner.functions;

import java.util.List;

/**
 * A function the catalog defines itself (rather than one of Calcite's operators): the engine
 * computes it through the DuckDB template of its {@link FunctionSpec}.
 */
public interface CatalogFunction extends DatabricksFunction {
  FunctionSpec spec();

  @Override
  default String name() {
    return spec().name;
  }

  @Override
  default FunctionCategory category() {
    return spec().category;
  }

  @Override
  default String usage() {
    return spec().usage;
  }

  @Override
  default String description() {
    return spec().description;
  }

  /**
   * The DuckDB SQL for a call: the template for its number of arguments with the arguments' engine
   * SQL in place (see {@link EngineTemplate}).
   *
   * @param operands each argument's engine SQL
   * @param literals each argument's value when it is a string literal, else null
   * @param distinct whether an aggregate call has DISTINCT
   */
  default String toDuckDb(List<String> operands, List<String> literals, boolean distinct) {
    return toDuckDb(spec().template(null, operands.size()), operands, literals, distinct);
  }

  /** An aggregate call with {@code WITHIN GROUP (ORDER BY orderBy)}. */
  default String toDuckDb(
      List<String> operands, List<String> literals, boolean distinct, String orderBy) {
    String template = spec().template(null, operands.size());
    return EngineTemplate.render(
        template.replace("$O", " ORDER BY " + orderBy), operands, literals, distinct, spec().name);
  }

  /** As above, with the template chosen for the arguments' types (see {@link #template}). */
  default String toDuckDb(
      String template, List<String> operands, List<String> literals, boolean distinct) {
    if (template == null) {
      return spec().code.apply(operands);
    }
    return EngineTemplate.render(
        template.replace("$O", ""), operands, literals, distinct, spec().name);
  }

  /** The template for a call with arguments of these types; null when code builds the SQL. */
  default String template(List<org.apache.calcite.rel.type.RelDataType> operandTypes) {
    return spec().template(operandTypes, operandTypes.size());
  }
}
