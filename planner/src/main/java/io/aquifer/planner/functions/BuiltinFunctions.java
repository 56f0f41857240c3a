package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.FunctionCategory.AGGREGATE;
import static io.aquifer.planner.functions.FunctionCategory.CONDITIONAL;
import static io.aquifer.planner.functions.FunctionCategory.MATH;
import static io.aquifer.planner.functions.FunctionCategory.STRING;

/**
 * Functions Calcite's standard and Spark operators already compute as Databricks does (checked by
 * the Spark function examples and the semantics files of conformance-tests); the catalog lists them
 * without redefining them.
 */
final class BuiltinFunctions {
  private BuiltinFunctions() {}

  static void define(DatabricksFunctionCatalog d) {
    String[][] math = {
      {"acos", "acos(expr)", "The inverse cosine."},
      {"asin", "asin(expr)", "The inverse sine (NaN outside [-1, 1])."},
      {"asinh", "asinh(expr)", "The inverse hyperbolic sine."},
      {"atan", "atan(expr)", "The inverse tangent."},
      {"atan2", "atan2(y, x)", "The angle of the point (x, y)."},
      {"cbrt", "cbrt(expr)", "The cube root."},
      {"cos", "cos(expr)", "The cosine."},
      {"cosh", "cosh(expr)", "The hyperbolic cosine."},
      {"cot", "cot(expr)", "The cotangent."},
      {"degrees", "degrees(expr)", "Radians in degrees."},
      {"exp", "exp(expr)", "e to the power of expr."},
      {"ln", "ln(expr)", "The natural logarithm."},
      {"log", "log(base, expr)", "The logarithm of expr to base."},
      {"log10", "log10(expr)", "The base-10 logarithm."},
      {"mod", "mod(dividend, divisor)", "The remainder of the division."},
      {"pi", "pi()", "The number pi."},
      {"power", "power(base, expr)", "base to the power of expr."},
      {"radians", "radians(expr)", "Degrees in radians."},
      {"round", "round(expr [, d])", "expr rounded half up to d decimal places."},
      {"sin", "sin(expr)", "The sine."},
      {"sinh", "sinh(expr)", "The hyperbolic sine."},
      {"sqrt", "sqrt(expr)", "The square root."},
      {"tan", "tan(expr)", "The tangent."},
      {"tanh", "tanh(expr)", "The hyperbolic tangent."}
    };
    for (String[] f : math) {
      d.builtin(f[0], MATH, f[1], f[2]);
    }
    String[][] string = {
      {"upper", "upper(str)", "str in upper case."},
      {"lower", "lower(str)", "str in lower case."},
      {"substring", "substring(str, pos [, len])", "The part of str from the 1-based pos."},
      {"substr", "substr(str, pos [, len])", "The part of str from the 1-based pos."},
      {"repeat", "repeat(str, n)", "str repeated n times."},
      {"trim", "trim([[BOTH | LEADING | TRAILING] [trimStr] FROM] str)", "str trimmed."}
    };
    for (String[] f : string) {
      d.builtin(f[0], STRING, f[1], f[2]);
    }
    String[][] conditional = {
      {"coalesce", "coalesce(expr1, expr2, ...)", "The first non-NULL argument."},
      {"nullif", "nullif(expr1, expr2)", "NULL when the arguments are equal, else expr1."},
      {"nvl", "nvl(expr1, expr2)", "expr2 when expr1 is NULL, else expr1."},
      {"ifnull", "ifnull(expr1, expr2)", "expr2 when expr1 is NULL, else expr1."},
      {"if", "if(cond, expr1, expr2)", "expr1 when cond is true, else expr2."},
      {"greatest", "greatest(expr1, ...)", "The largest non-NULL argument."},
      {"least", "least(expr1, ...)", "The smallest non-NULL argument."},
      {"try_cast", "try_cast(expr AS type)", "expr cast to type, or NULL where CAST fails."}
    };
    for (String[] f : conditional) {
      d.builtin(f[0], CONDITIONAL, f[1], f[2]);
    }
    String[][] aggregate = {
      {"count", "count(* | [DISTINCT] expr)", "The number of rows, or of non-NULL values."},
      {"sum", "sum([DISTINCT] expr)", "The sum; fails when an integer sum overflows."},
      {"avg", "avg([DISTINCT] expr)", "The average."},
      {"min", "min(expr)", "The smallest value."},
      {"max", "max(expr)", "The largest value."},
      {"stddev", "stddev(expr)", "The sample standard deviation."},
      {"stddev_pop", "stddev_pop(expr)", "The population standard deviation."},
      {"stddev_samp", "stddev_samp(expr)", "The sample standard deviation."},
      {"variance", "variance(expr)", "The sample variance."},
      {"var_pop", "var_pop(expr)", "The population variance."},
      {"var_samp", "var_samp(expr)", "The sample variance."},
      {"bit_and", "bit_and(expr)", "The bitwise AND of the values."},
      {"bit_or", "bit_or(expr)", "The bitwise OR of the values."},
      {"bit_xor", "bit_xor(expr)", "The bitwise XOR of the values."}
    };
    for (String[] f : aggregate) {
      d.builtin(f[0], AGGREGATE, f[1], f[2]);
    }
  }
}
