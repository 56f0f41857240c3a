package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.ArgKind.ANY;
import static io.aquifer.planner.functions.ArgKind.INTEGER;
import static io.aquifer.planner.functions.ArgKind.NUMBER;
import static io.aquifer.planner.functions.ArgKind.STRING_OR_BINARY;
import static io.aquifer.planner.functions.FunctionCategory.SKETCH;

import java.util.Locale;

/**
 * The sketch functions (HyperLogLog {@code hll_*}, Theta {@code theta_*}, KLL quantiles {@code
 * kll_*}) with exact sketches: a sketch is a BINARY holding the JSON array of the values it
 * summarizes (the distinct values' JSON text for HLL and Theta, every value in order for KLL).
 * Estimates are therefore exact, which is what Spark's sketches give for inputs below their size;
 * the price is a sketch as large as its distinct values, and its bytes are Aquifer's own, not the
 * Apache DataSketches format Spark writes (a sketch made by Spark cannot be read here, nor the
 * reverse). The size parameters (lgConfigK, lgNomEntries, k) are accepted and checked for type
 * only.
 */
final class SketchFunctions {
  private SketchFunctions() {}

  /** The distinct values of a set sketch, as their JSON texts. */
  private static String set(String sketch) {
    return "from_json(decode(" + sketch + "), '[\"VARCHAR\"]')";
  }

  private static String encode(String list) {
    return "encode(CAST(to_json(" + list + ") AS VARCHAR))";
  }

  private static final String NOT_NULL = "lambda __aquifer_x: __aquifer_x IS NOT NULL";

  static void define(DatabricksFunctionCatalog d) {
    String distinctValues =
        "list_sort(list_distinct(list_filter(coalesce(list(CAST(to_json($1) AS VARCHAR)), []), "
            + NOT_NULL
            + ")))";
    for (String family : new String[] {"hll", "theta"}) {
      String size = family.equals("hll") ? "lgConfigK" : "lgNomEntries";
      d.aggregate(
              family + "_sketch_agg",
              family + "_sketch_agg(expr [, " + size + "])",
              "A sketch of the distinct non-NULL values of expr (exact: it holds them).")
          .args(ANY, INTEGER)
          .optionalFrom(1)
          .returns(Returns.BINARY)
          .duckdb(encode(distinctValues));
      d.scalar(
              family + "_sketch_estimate",
              SKETCH,
              family + "_sketch_estimate(sketch)",
              "The number of distinct values the sketch holds.")
          .args(STRING_OR_BINARY)
          .returns(Returns.BIGINT)
          .duckdb("CAST(len(" + set("$1") + ") AS BIGINT)");
      d.scalar(
              family + "_union",
              SKETCH,
              family + "_union(sketch1, sketch2 [, " + size + " | allowDifferentLgConfigK])",
              "The sketch of the values of either sketch.")
          .args(STRING_OR_BINARY, STRING_OR_BINARY, ANY)
          .optionalFrom(2)
          .returns(Returns.BINARY)
          .duckdb(
              encode(
                  "list_sort(list_distinct(list_concat(" + set("$1") + ", " + set("$2") + ")))"));
      d.aggregate(
              family + "_union_agg",
              family + "_union_agg(sketch [, " + size + " | allowDifferentLgConfigK])",
              "The sketch of the values of any of the sketches.")
          .args(STRING_OR_BINARY, ANY)
          .optionalFrom(1)
          .returns(Returns.BINARY)
          .duckdb(
              encode("list_sort(list_distinct(flatten(coalesce(list(" + set("$1") + "), []))))"));
    }
    d.scalar(
            "theta_intersection",
            SKETCH,
            "theta_intersection(sketch1, sketch2)",
            "The sketch of the values of both sketches.")
        .args(STRING_OR_BINARY, STRING_OR_BINARY)
        .returns(Returns.BINARY)
        .duckdb(encode("list_sort(list_intersect(" + set("$1") + ", " + set("$2") + "))"));
    d.scalar(
            "theta_difference",
            SKETCH,
            "theta_difference(sketch1, sketch2)",
            "The sketch of the values of sketch1 not in sketch2.")
        .args(STRING_OR_BINARY, STRING_OR_BINARY)
        .returns(Returns.BINARY)
        .duckdb(
            encode(
                "list_filter("
                    + set("$1")
                    + ", lambda __aquifer_x: NOT list_contains("
                    + set("$2")
                    + ", __aquifer_x))"));
    d.aggregate(
            "theta_intersection_agg",
            "theta_intersection_agg(sketch)",
            "The sketch of the values all the sketches hold.")
        .args(STRING_OR_BINARY)
        .returns(Returns.BINARY)
        .duckdb(
            encode(
                "list_sort(list_reduce(list("
                    + set("$1")
                    + "), lambda __aquifer_a, __aquifer_b: list_intersect(__aquifer_a,"
                    + " __aquifer_b)))"));
    defineKll(d);
  }

  private static void defineKll(DatabricksFunctionCatalog d) {
    for (String type : new String[] {"bigint", "float", "double"}) {
      String engineType = type.toUpperCase(Locale.ROOT);
      String values = "from_json(decode($1), '[\"" + engineType + "\"]')";
      var resultType =
          switch (type) {
            case "bigint" -> Returns.BIGINT;
            case "float" -> Returns.type(org.apache.calcite.sql.type.SqlTypeName.REAL);
            default -> Returns.DOUBLE;
          };
      d.aggregate(
              "kll_sketch_agg_" + type,
              "kll_sketch_agg_" + type + "(expr [, k])",
              "A quantile sketch of the non-NULL values of expr (exact: it holds them all).")
          .args(NUMBER, INTEGER)
          .optionalFrom(1)
          .returns(Returns.BINARY)
          .duckdb(
              encode(
                  "list_sort(list_filter(coalesce(list(CAST($1 AS "
                      + engineType
                      + ")), []), "
                      + NOT_NULL
                      + "))"));
      d.scalar(
              "kll_sketch_get_n_" + type,
              SKETCH,
              "kll_sketch_get_n_" + type + "(sketch)",
              "The number of values the sketch summarizes.")
          .args(STRING_OR_BINARY)
          .returns(Returns.BIGINT)
          .duckdb("CAST(len(" + values + ") AS BIGINT)");
      d.scalar(
              "kll_sketch_get_quantile_" + type,
              SKETCH,
              "kll_sketch_get_quantile_" + type + "(sketch, rank)",
              "The smallest value whose normalized rank (the fraction of values at or below it) is"
                  + " at least rank, for rank from 0 to 1.")
          .args(STRING_OR_BINARY, NUMBER)
          .returns(resultType)
          .nullable()
          .duckdb(
              "CASE WHEN $2 < 0 OR $2 > 1 THEN error('[KLL_SKETCH_INVALID_QUANTILE_RANGE] The rank"
                  + " must be between 0 and 1') ELSE ("
                  + values
                  + ")[greatest(1, CAST(ceil($2 * len("
                  + values
                  + ")) AS BIGINT))] END");
      d.scalar(
              "kll_sketch_get_rank_" + type,
              SKETCH,
              "kll_sketch_get_rank_" + type + "(sketch, value)",
              "The normalized rank of value: the fraction of the values at or below it.")
          .args(STRING_OR_BINARY, NUMBER)
          .returns(Returns.DOUBLE)
          .nullable()
          .duckdb(
              "CAST(len(list_filter("
                  + values
                  + ", lambda __aquifer_x: __aquifer_x <= $2)) AS DOUBLE) / nullif(len("
                  + values
                  + "), 0)");
      d.scalar(
              "kll_sketch_merge_" + type,
              SKETCH,
              "kll_sketch_merge_" + type + "(sketch1, sketch2)",
              "The sketch of the values of both sketches.")
          .args(STRING_OR_BINARY, STRING_OR_BINARY)
          .returns(Returns.BINARY)
          .duckdb(
              encode("list_sort(list_concat(" + values + ", " + values.replace("$1", "$2") + "))"));
      d.aggregate(
              "kll_merge_agg_" + type,
              "kll_merge_agg_" + type + "(sketch [, k])",
              "The sketch of the values of all the sketches.")
          .args(STRING_OR_BINARY, INTEGER)
          .optionalFrom(1)
          .returns(Returns.BINARY)
          .duckdb(encode("list_sort(flatten(coalesce(list(" + values + "), [])))"));
      d.scalar(
              "kll_sketch_to_string_" + type,
              SKETCH,
              "kll_sketch_to_string_" + type + "(sketch)",
              "A summary of the sketch: its number of values, smallest and largest.")
          .args(STRING_OR_BINARY)
          .returns(Returns.STRING)
          .duckdb(
              "'### Exact KLL sketch summary:' || chr(10) || '   N            : ' || len("
                  + values
                  + ") || chr(10) || '   Min item     : ' || coalesce(CAST(list_min("
                  + values
                  + ") AS VARCHAR), 'NULL') || chr(10) || '   Max item     : ' ||"
                  + " coalesce(CAST(list_max("
                  + values
                  + ") AS VARCHAR), 'NULL') || chr(10) || '### End sketch summary'");
    }
  }
}
