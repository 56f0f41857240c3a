package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.ArgKind.ANY;
import static io.aquifer.planner.functions.ArgKind.BOOLEAN;
import static io.aquifer.planner.functions.ArgKind.NUMBER;

/**
 * Aggregate functions Calcite's library lacks or computes differently from Databricks. NULL inputs
 * are skipped; an empty group gives NULL (counts give 0, collections an empty array).
 */
final class AggregateFunctions {
  private AggregateFunctions() {}

  private static final String NOT_NULL = "lambda __aquifer_x: __aquifer_x IS NOT NULL";

  static void define(DatabricksFunctionCatalog d) {
    d.aggregate("bool_or", "bool_or(expr)", "Whether expr is true for some row.")
        .args(BOOLEAN)
        .returns(Returns.BOOLEAN)
        .nullable()
        .duckdb("bool_or($1)");
    d.alias("any", "bool_or");
    d.alias("some", "bool_or");
    d.aggregate("bool_and", "bool_and(expr)", "Whether expr is true for every row.")
        .args(BOOLEAN)
        .returns(Returns.BOOLEAN)
        .nullable()
        .duckdb("bool_and($1)");
    d.alias("every", "bool_and");
    d.aggregate("count_if", "count_if(expr)", "The number of rows where expr is true.")
        .args(BOOLEAN)
        .returns(
            b ->
                b.getTypeFactory()
                    .createTypeWithNullability(Returns.BIGINT.inferReturnType(b), false))
        .duckdb("CAST(count_if($1) AS BIGINT)");
    d.aggregate(
            "collect_list",
            "collect_list(expr)",
            "The non-NULL values as an array (in no guaranteed order).")
        .args(ANY)
        .returns(Returns.arrayOf(0))
        .duckdb("list_filter(coalesce(list($D$1), []), " + NOT_NULL + ")");
    d.alias("array_agg", "collect_list");
    d.aggregate("collect_set", "collect_set(expr)", "The distinct non-NULL values as an array.")
        .args(ANY)
        .returns(Returns.arrayOf(0))
        .duckdb("list_filter(coalesce(list(DISTINCT $1), []), " + NOT_NULL + ")");
    d.aggregate(
            "approx_count_distinct",
            "approx_count_distinct(expr [, relativeSD])",
            "The estimated number of distinct values (HyperLogLog).")
        .args(ANY, NUMBER)
        .optionalFrom(1)
        .returns(
            b ->
                b.getTypeFactory()
                    .createTypeWithNullability(Returns.BIGINT.inferReturnType(b), false))
        .duckdb("approx_count_distinct($1)");
    d.aggregate(
            "percentile",
            "percentile(expr, percentage)",
            "The exact percentile (interpolated) at percentage, or an array for an array of them.")
        .args(NUMBER, ANY)
        .returns(Returns.doubleOrArrayBy(1))
        .nullable()
        .duckdb("quantile_cont(CAST($1 AS DOUBLE), $2)");
    d.aggregate(
            "percentile_approx",
            "percentile_approx(expr, percentage [, accuracy])",
            "A value of expr at about the percentage (an array for an array of them).")
        .args(ANY, ANY, NUMBER)
        .optionalFrom(2)
        .returns(Returns.arg0OrArrayBy(1))
        .nullable()
        .duckdb("quantile_disc($1, $2)");
    d.alias("approx_percentile", "percentile_approx");
    d.aggregate("median", "median(expr)", "The exact median (interpolated).")
        .args(NUMBER)
        .returns(Returns.DOUBLE)
        .nullable()
        .duckdb("median(CAST($1 AS DOUBLE))");
    d.aggregate("max_by", "max_by(x, y)", "The x of the row with the largest y.")
        .args(ANY, ANY)
        .returns(Returns.arg(0))
        .nullable()
        .duckdb("arg_max($1, $2)");
    d.aggregate("min_by", "min_by(x, y)", "The x of the row with the smallest y.")
        .args(ANY, ANY)
        .returns(Returns.arg(0))
        .nullable()
        .duckdb("arg_min($1, $2)");
    d.aggregate(
            "any_value",
            "any_value(expr [, ignoreNulls])",
            "Some value of expr in the group: the first row's (NULL included unless ignoreNulls).")
        .args(ANY, BOOLEAN)
        .optionalFrom(1)
        .returns(Returns.arg(0))
        .nullable()
        .duckdb(1, "first($1)")
        .duckdb(2, "CASE WHEN $2 THEN any_value($1) ELSE first($1) END");
    d.aggregate("mean", "mean(expr)", "The average of the values.")
        .args(NUMBER)
        .returns(Returns.DOUBLE)
        .nullable()
        .duckdb("avg(CAST($1 AS DOUBLE))");
    d.aggregate(
            "listagg",
            "listagg(expr [, delimiter])",
            "The non-NULL values joined by delimiter (default '').")
        .args(ANY, ArgKind.STRING)
        .optionalFrom(1)
        .returns(Returns.STRING)
        .nullable()
        .orderedWithinGroup()
        .duckdb(1, "string_agg($D CAST($1 AS VARCHAR), ''$O)")
        .duckdb(2, "string_agg($D CAST($1 AS VARCHAR), $2$O)");
    d.alias("string_agg", "listagg");
    for (String regr :
        new String[] {
          "regr_sxx",
          "regr_syy",
          "regr_sxy",
          "regr_slope",
          "regr_intercept",
          "regr_r2",
          "regr_avgx",
          "regr_avgy",
          "covar_pop",
          "covar_samp",
          "corr"
        }) {
      d.aggregate(
              regr,
              regr + "(y, x)",
              "The " + regr + " statistic of the pairs where neither is NULL.")
          .args(NUMBER, NUMBER)
          .returns(Returns.DOUBLE)
          .nullable()
          .duckdb(regr + "(CAST($1 AS DOUBLE), CAST($2 AS DOUBLE))");
    }
    d.aggregate(
            "try_sum",
            "try_sum(expr)",
            "The sum of the values, or NULL when an integer sum overflows BIGINT.")
        .args(NUMBER)
        .returns(
            b ->
                org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(b.getOperandType(0))
                        && b.getOperandType(0).getScale() == 0
                    ? Returns.BIGINT.inferReturnType(b)
                    : Returns.DOUBLE.inferReturnType(b))
        .nullable()
        .duckdb("try_cast(sum(CAST($1 AS HUGEINT)) AS BIGINT)");
    d.aggregate("mode", "mode(expr)", "The most frequent value.")
        .args(ANY)
        .returns(Returns.arg(0))
        .nullable()
        .duckdb("mode($1)");
    d.aggregate("kurtosis", "kurtosis(expr)", "The population excess kurtosis of the values.")
        .args(NUMBER)
        .returns(Returns.DOUBLE)
        .nullable()
        .duckdb("kurtosis_pop(CAST($1 AS DOUBLE))");
    d.aggregate("skewness", "skewness(expr)", "The population skewness of the values.")
        .args(NUMBER)
        .returns(Returns.DOUBLE)
        .nullable()
        .duckdb("skewness(CAST($1 AS DOUBLE))");
  }
}
