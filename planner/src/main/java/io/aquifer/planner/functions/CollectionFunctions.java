package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.ArgKind.ANY;
import static io.aquifer.planner.functions.ArgKind.ARRAY;
import static io.aquifer.planner.functions.ArgKind.INTEGER;
import static io.aquifer.planner.functions.ArgKind.LAMBDA;
import static io.aquifer.planner.functions.DatabricksFunctionCatalog.argIs;
import static io.aquifer.planner.functions.FunctionCategory.MAP;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Array and map functions. Databricks counts array positions from 1 in functions ({@code
 * element_at}, {@code array_position}) and from 0 in {@code arr[i]} and {@code get}; DuckDB counts
 * from 1.
 */
final class CollectionFunctions {
  private CollectionFunctions() {}

  /** A lambda parameter name no user column can clash with. */
  private static final String X = "__aquifer_x";

  static void define(DatabricksFunctionCatalog d) {
    FunctionCategory array = FunctionCategory.ARRAY;
    d.scalar("size", array, "size(expr)", "The number of elements of the array or map.")
        .args(ANY)
        .returns(Returns.INT)
        .duckdbWhen(argIs(0, SqlTypeName.MAP), "CAST(cardinality($1) AS INTEGER)")
        .duckdb("CAST(len($1) AS INTEGER)");
    d.alias("cardinality", "size");
    d.scalar("array_size", array, "array_size(array)", "The number of elements of the array.")
        .args(ARRAY)
        .returns(Returns.INT)
        .duckdb("CAST(len($1) AS INTEGER)");
    d.scalar(
            "array_contains",
            array,
            "array_contains(array, value)",
            "Whether the array holds the value.")
        .args(ARRAY, ANY)
        .returns(Returns.BOOLEAN)
        .duckdb("list_contains($1, $2)");
    d.scalar(
            "element_at",
            array,
            "element_at(array, index) | element_at(map, key)",
            "The element at the 1-based index (from the end when negative), or the key's value.")
        .args(ANY, ANY)
        .returns(Returns.itemOf(0))
        .nullable()
        .duckdb("$1[$2]");
    d.alias("try_element_at", "element_at");
    d.scalar(
            "get",
            array,
            "get(array, index)",
            "The element at the 0-based index, or NULL outside the array.")
        .args(ARRAY, INTEGER)
        .returns(Returns.elementOf(0))
        .nullable()
        .duckdb("CASE WHEN $2 >= 0 THEN $1[$2 + 1] END");
    d.scalar(
            "array_position",
            array,
            "array_position(array, element)",
            "The 1-based position of the first element equal to element, or 0.")
        .args(ARRAY, ANY)
        .returns(Returns.BIGINT)
        .duckdb(
            "CAST(CASE WHEN $1 IS NOT NULL THEN coalesce(list_position($1, $2), 0) END AS BIGINT)");
    d.scalar("array_max", array, "array_max(array)", "The largest non-NULL element.")
        .args(ARRAY)
        .returns(Returns.elementOf(0))
        .duckdb("list_max($1)");
    d.scalar("array_min", array, "array_min(array)", "The smallest non-NULL element.")
        .args(ARRAY)
        .returns(Returns.elementOf(0))
        .duckdb("list_min($1)");
    d.scalar("array_compact", array, "array_compact(array)", "The array without NULLs.")
        .args(ARRAY)
        .returns(Returns.arg(0))
        .duckdb("list_filter($1, lambda " + X + ": " + X + " IS NOT NULL)");
    d.scalar(
            "array_distinct",
            array,
            "array_distinct(array)",
            "The array without repeated elements, in order of first occurrence.")
        .args(ARRAY)
        .returns(Returns.arg(0))
        .duckdb(
            "list_filter($1, lambda "
                + X
                + ", __aquifer_i: list_position($1, "
                + X
                + ") = __aquifer_i)");
    d.scalar(
            "array_except",
            array,
            "array_except(array1, array2)",
            "The distinct elements of array1 not in array2, in order.")
        .args(ARRAY, ARRAY)
        .returns(Returns.arg(0))
        .duckdb(
            "list_filter($1, lambda "
                + X
                + ", __aquifer_i: NOT list_contains($2, "
                + X
                + ") AND list_position($1, "
                + X
                + ") = __aquifer_i)");
    d.scalar(
            "array_intersect",
            array,
            "array_intersect(array1, array2)",
            "The distinct elements of array1 also in array2, in order.")
        .args(ARRAY, ARRAY)
        .returns(Returns.arg(0))
        .duckdb(
            "list_filter($1, lambda "
                + X
                + ", __aquifer_i: list_contains($2, "
                + X
                + ") AND list_position($1, "
                + X
                + ") = __aquifer_i)");
    d.scalar(
            "array_union",
            array,
            "array_union(array1, array2)",
            "The distinct elements of both arrays, in order.")
        .args(ARRAY, ARRAY)
        .returns(Returns.arg(0))
        .duckdb(
            "list_filter(list_concat($1, $2), lambda "
                + X
                + ", __aquifer_i:"
                + " list_position(list_concat($1, $2), "
                + X
                + ") = __aquifer_i)");
    d.scalar(
            "array_join",
            array,
            "array_join(array, delimiter)",
            "The non-NULL elements as text joined by delimiter.")
        .args(ARRAY, ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb("array_to_string($1, $2)");
    d.scalar("array_append", array, "array_append(array, element)", "The array with element added.")
        .args(ARRAY, ANY)
        .returns(Returns.arg(0))
        .duckdb("CASE WHEN $1 IS NOT NULL THEN list_append($1, $2) END");
    d.scalar(
            "array_prepend",
            array,
            "array_prepend(array, element)",
            "The array with element put first.")
        .args(ARRAY, ANY)
        .returns(Returns.arg(0))
        .duckdb("CASE WHEN $1 IS NOT NULL THEN list_prepend($2, $1) END");
    d.scalar(
            "array_remove",
            array,
            "array_remove(array, element)",
            "The array without the elements equal to element.")
        .args(ARRAY, ANY)
        .returns(Returns.arg(0))
        .duckdb("list_filter($1, lambda " + X + ": " + X + " IS DISTINCT FROM $2)");
    d.scalar(
            "array_repeat",
            array,
            "array_repeat(element, count)",
            "An array of count times element.")
        .args(ANY, INTEGER)
        .returns(Returns.arrayOf(0))
        .duckdb("list_transform(range(CAST($2 AS BIGINT)), lambda " + X + ": $1)");
    d.scalar(
            "sort_array",
            array,
            "sort_array(array [, ascending])",
            "The array sorted, NULLs first ascending and last descending.")
        .args(ARRAY, ArgKind.BOOLEAN)
        .optionalFrom(1)
        .returns(Returns.arg(0))
        .duckdb(1, "list_sort($1, 'ASC', 'NULLS FIRST')")
        .duckdb(
            2,
            "CASE WHEN $2 THEN list_sort($1, 'ASC', 'NULLS FIRST')"
                + " ELSE list_sort($1, 'DESC', 'NULLS LAST') END");
    d.scalar(
            "array_sort",
            array,
            "array_sort(array [, comparator])",
            "The array sorted ascending with NULLs last, or by comparator(left, right) (negative,"
                + " zero or positive).")
        .args(ARRAY, LAMBDA)
        .optionalFrom(1)
        .returns(Returns.arg(0))
        .lambda(
            (b, i, n) -> {
              RelDataType element = b.getOperandType(0).getComponentType();
              return n == 2 && element != null ? List.of(element, element) : null;
            })
        .duckdb(1, "list_sort($1, 'ASC', 'NULLS LAST')")
        .duckdbCode(o -> sortByComparator(o.get(0), o.get(1)));
    d.scalar("reverse", FunctionCategory.STRING, "reverse(expr)", "The string or array reversed.")
        .args(ANY)
        .returns(Returns.arg(0))
        .duckdbWhen(argIs(0, SqlTypeName.ARRAY), "list_reverse($1)")
        .duckdb("reverse($1)");
    d.scalar("flatten", array, "flatten(arrayOfArrays)", "The arrays concatenated.")
        .args(ARRAY)
        .returns(Returns.elementOf(0))
        .duckdb("flatten($1)");
    d.scalar(
            "slice",
            array,
            "slice(array, start, length)",
            "length elements from the 1-based start (from the end when negative).")
        .args(ARRAY, INTEGER, INTEGER)
        .returns(Returns.arg(0))
        .duckdb(
            "list_slice($1, CASE WHEN $2 < 0 THEN len($1) + $2 + 1 ELSE $2 END,"
                + " CASE WHEN $2 < 0 THEN len($1) + $2 + $3 ELSE $2 + $3 - 1 END)");
    d.scalar(
            "sequence",
            array,
            "sequence(start, stop [, step])",
            "The integers from start to stop (inclusive) by step.")
        .args(INTEGER, INTEGER, INTEGER)
        .optionalFrom(2)
        .returns(Returns.arrayOf(0))
        .duckdb(2, "generate_series($1, $2, CASE WHEN $1 <= $2 THEN 1 ELSE -1 END)")
        .duckdb(3, "generate_series($1, $2, $3)");
    String insertAt = "(CASE WHEN $2 > 0 THEN $2 ELSE len($1) + $2 + 2 END)";
    d.scalar(
            "array_insert",
            array,
            "array_insert(array, pos, value)",
            "The array with value inserted at the 1-based pos (counted from the end when negative,"
                + " -1 appending); NULLs fill the gap when pos is beyond the end.")
        .args(ARRAY, INTEGER, ANY)
        .returns(Returns.arg(0))
        .duckdb(
            "CASE WHEN $2 = 0 THEN error('[INVALID_INDEX_OF_ZERO] The index 0 is invalid.')"
                + " ELSE list_concat(list_concat(list_concat(($1)[1:greatest("
                + insertAt
                + ", 1) - 1], list_transform(range(greatest("
                + insertAt
                + " - 1 - len($1), 0)), lambda "
                + X
                + ": NULL)), [$3]), ($1)[greatest("
                + insertAt
                + ", 1):]) END");
    d.scalar(
            "arrays_zip",
            array,
            "arrays_zip(array1, array2, ...)",
            "An array of structs: the n-th holds the n-th element of each array (NULL past an"
                + " array's end).")
        .args(ARRAY)
        .variadic()
        .returns(
            b -> {
              var factory = b.getTypeFactory();
              List<RelDataType> fields = new java.util.ArrayList<>();
              List<String> names = new java.util.ArrayList<>();
              for (int i = 0; i < b.getOperandCount(); i++) {
                RelDataType element = b.getOperandType(i).getComponentType();
                fields.add(factory.createTypeWithNullability(element, true));
                names.add(Integer.toString(i));
              }
              return factory.createArrayType(factory.createStructType(fields, names), -1);
            })
        .duckdbCode(
            o -> {
              StringBuilder lengths = new StringBuilder();
              StringBuilder fields = new StringBuilder();
              for (int i = 0; i < o.size(); i++) {
                lengths.append(i == 0 ? "" : ", ").append("len(").append(o.get(i)).append(')');
                fields
                    .append(i == 0 ? "" : ", ")
                    .append('"')
                    .append(i)
                    .append("\" := (")
                    .append(o.get(i))
                    .append(")[__aquifer_i]");
              }
              return "CASE WHEN "
                  + String.join(" AND ", o.stream().map(a -> "(" + a + ") IS NOT NULL").toList())
                  + " THEN list_transform(range(1, greatest("
                  + lengths
                  + ") + 1), lambda __aquifer_i: struct_pack("
                  + fields
                  + ")) END";
            });
    d.scalar(
            "explode",
            array,
            "explode(array)",
            "One row for each element of the array (a generator: only in the SELECT list).")
        .args(ARRAY)
        .returns(Returns.elementOf(0))
        .duckdb("unnest($1)");
    d.scalar(
            "explode_outer",
            array,
            "explode_outer(array)",
            "As explode, but one NULL row for an empty or NULL array.")
        .args(ARRAY)
        .returns(Returns.elementOf(0))
        .duckdb("unnest(CASE WHEN len($1) > 0 THEN $1 ELSE [NULL] END)");
    FunctionSpec.LambdaTyping elementAndIndex =
        (b, i, n) -> {
          RelDataType element = b.getOperandType(0).getComponentType();
          if (element == null) {
            return null;
          }
          RelDataType index = b.getTypeFactory().createSqlType(SqlTypeName.INTEGER);
          return n == 1 ? List.of(element) : List.of(element, index);
        };
    d.scalar(
            "transform",
            array,
            "transform(array, func)",
            "func applied to each element (and its 0-based index, if func takes two parameters).")
        .args(ARRAY, LAMBDA)
        .returns(b -> b.getTypeFactory().createArrayType(FunctionSpec.lambdaResult(b, 1), -1))
        .lambda(elementAndIndex)
        .lambdaIndexFromZero()
        .duckdb("list_transform($1, $2)");
    d.scalar(
            "filter",
            array,
            "filter(array, func)",
            "The elements (with their 0-based index, if func takes two) for which func is true.")
        .args(ARRAY, LAMBDA)
        .returns(Returns.arg(0))
        .lambda(elementAndIndex)
        .lambdaIndexFromZero()
        .duckdb("list_filter($1, $2)");
    d.scalar("forall", array, "forall(array, func)", "Whether func is true for every element.")
        .args(ARRAY, LAMBDA)
        .returns(Returns.BOOLEAN)
        .lambda(elementAndIndex)
        .duckdb("list_bool_and(list_transform($1, $2))");
    FunctionSpec.LambdaTyping accumulator =
        (b, i, n) -> {
          RelDataType start = b.getOperandType(1);
          RelDataType element = b.getOperandType(0).getComponentType();
          if (i == 2) {
            return n == 2 && element != null ? List.of(start, element) : null;
          }
          return n == 1 ? List.of(start) : null;
        };
    d.scalar(
            "aggregate",
            array,
            "aggregate(array, start, merge [, finish])",
            "merge(acc, x) folded over the elements from start, then finish(acc) if given.")
        .args(ARRAY, ANY, LAMBDA, LAMBDA)
        .optionalFrom(3)
        .returns(b -> FunctionSpec.lambdaResult(b, b.getOperandCount() == 4 ? 3 : 1))
        .lambda(accumulator)
        .duckdb(3, "list_reduce($1, $3, $2)")
        .duckdb(4, "list_transform([list_reduce($1, $3, $2)], $4)[1]");
    d.alias("reduce", "aggregate");
    FunctionSpec.LambdaTyping keyAndValue =
        (b, i, n) -> {
          RelDataType map = b.getOperandType(0);
          return n == 2 && map.getSqlTypeName() == SqlTypeName.MAP
              ? List.of(map.getKeyType(), map.getValueType())
              : null;
        };
    d.scalar(
            "map_filter",
            MAP,
            "map_filter(map, func)",
            "The entries of the map for which func(key, value) is true.")
        .args(ArgKind.MAP, LAMBDA)
        .returns(Returns.arg(0))
        .lambda(keyAndValue)
        .duckdbCode(
            o ->
                "map_from_entries(list_filter(map_entries("
                    + o.get(0)
                    + "), lambda __aquifer_e: "
                    + onEntry(o.get(1), "__aquifer_e")
                    + "))");
    d.scalar(
            "transform_keys",
            MAP,
            "transform_keys(map, func)",
            "The map with each key replaced by func(key, value).")
        .args(ArgKind.MAP, LAMBDA)
        .returns(
            b ->
                b.getTypeFactory()
                    .createMapType(
                        FunctionSpec.lambdaResult(b, 1), b.getOperandType(0).getValueType()))
        .lambda(keyAndValue)
        .duckdbCode(
            o ->
                "map_from_entries(list_transform(map_entries("
                    + o.get(0)
                    + "), lambda __aquifer_e: {'key': "
                    + onEntry(o.get(1), "__aquifer_e")
                    + ", 'value': __aquifer_e.value}))");
    d.scalar(
            "transform_values",
            MAP,
            "transform_values(map, func)",
            "The map with each value replaced by func(key, value).")
        .args(ArgKind.MAP, LAMBDA)
        .returns(
            b ->
                b.getTypeFactory()
                    .createMapType(
                        b.getOperandType(0).getKeyType(), FunctionSpec.lambdaResult(b, 1)))
        .lambda(keyAndValue)
        .duckdbCode(
            o ->
                "map_from_entries(list_transform(map_entries("
                    + o.get(0)
                    + "), lambda __aquifer_e: {'key': __aquifer_e.key, 'value': "
                    + onEntry(o.get(1), "__aquifer_e")
                    + "}))");
    d.scalar("map_keys", MAP, "map_keys(map)", "The keys of the map.")
        .args(ArgKind.MAP)
        .returns(Returns.mapPart(0, true))
        .duckdb("map_keys($1)");
    d.scalar("map_values", MAP, "map_values(map)", "The values of the map.")
        .args(ArgKind.MAP)
        .returns(Returns.mapPart(0, false))
        .duckdb("map_values($1)");
    d.scalar("map_contains_key", MAP, "map_contains_key(map, key)", "Whether the map has the key.")
        .args(ArgKind.MAP, ANY)
        .returns(Returns.BOOLEAN)
        .duckdb("map_contains($1, $2)");
    d.scalar("map_concat", MAP, "map_concat(map, ...)", "The maps merged.")
        .args(ArgKind.MAP)
        .variadic()
        .returns(Returns.arg(0))
        .duckdb("map_concat($*)");
    d.scalar(
            "map_from_arrays",
            MAP,
            "map_from_arrays(keys, values)",
            "The map of the keys to the values at the same positions.")
        .args(ARRAY, ARRAY)
        .returns(
            b ->
                b.getTypeFactory()
                    .createMapType(
                        b.getOperandType(0).getComponentType(),
                        b.getOperandType(1).getComponentType()))
        .duckdb("map($1, $2)");
  }

  /**
   * A two-parameter DuckDB lambda ({@code lambda "k", "v": body}) applied to a map entry's key and
   * value: each parameter is bound by a one-element list_transform, as DuckDB cannot call a lambda.
   */
  static String onEntry(String lambda, String entry) {
    return applyTwo(lambda, entry + ".key", entry + ".value");
  }

  /**
   * The sort of array {@code a} by the comparator lambda (negative, zero, positive), stable: each
   * element's place is the number of elements before it by the comparator, plus the equal ones
   * earlier in the array. Quadratic in the array's length (DuckDB has no sort by comparator).
   */
  static String sortByComparator(String array, String comparator) {
    String a = "__aquifer_sa";
    String n = "range(1, len(" + a + ") + 1)";
    String cmp = applyTwo(comparator, a + "[__aquifer_j]", a + "[__aquifer_i]");
    String places =
        "list_transform("
            + n
            + ", lambda __aquifer_i: 1 + len(list_filter("
            + n
            + ", lambda __aquifer_j: __aquifer_j <> __aquifer_i AND ("
            + cmp
            + " < 0 OR ("
            + cmp
            + " = 0 AND __aquifer_j < __aquifer_i)))))";
    return "list_transform(["
        + array
        + "], lambda "
        + a
        + ": list_transform(list_transform(["
        + places
        + "], lambda __aquifer_p: list_transform("
        + n
        + ", lambda __aquifer_k: list_position(__aquifer_p, __aquifer_k)))[1], lambda __aquifer_at: "
        + a
        + "[__aquifer_at]))[1]";
  }

  /**
   * The body of a two-parameter engine lambda with its parameters bound to {@code x} and {@code y}.
   */
  static String applyTwo(String lambda, String x, String y) {
    if (!lambda.startsWith("lambda ")) {
      throw new IllegalStateException("a lambda was expected: " + lambda);
    }
    List<String> names = new java.util.ArrayList<>();
    int i = "lambda ".length();
    while (lambda.charAt(i) == '"') {
      int end = i + 1;
      while (!(lambda.charAt(end) == '"'
          && (end + 1 >= lambda.length() || lambda.charAt(end + 1) != '"'))) {
        end += lambda.charAt(end) == '"' ? 2 : 1;
      }
      names.add(lambda.substring(i, end + 1));
      i = end + 1;
      if (lambda.startsWith(", ", i)) {
        i += 2;
      }
    }
    if (names.size() != 2 || !lambda.startsWith(": ", i)) {
      throw new IllegalStateException("a lambda of two parameters was expected: " + lambda);
    }
    String body = lambda.substring(i + 2);
    return "list_transform(["
        + x
        + "], lambda "
        + names.get(0)
        + ": list_transform(["
        + y
        + "], lambda "
        + names.get(1)
        + ": "
        + body
        + ")[1])[1]";
  }
}
