package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.ArgKind.INTEGER;
import static io.aquifer.planner.functions.ArgKind.STRING_OR_BINARY;
import static io.aquifer.planner.functions.FunctionCategory.BITWISE;

/**
 * Databricks' bitmaps: BINARY values of 4096 bytes (32768 bits) in which bit p is bit p % 8 (the
 * least significant first) of byte p / 8. A value v belongs to bucket {@code bitmap_bucket_number}
 * at bit {@code bitmap_bit_position}.
 */
final class BitmapFunctions {
  private BitmapFunctions() {}

  private static final int BITMAP_BYTES = 4096;

  static void define(DatabricksFunctionCatalog d) {
    d.scalar(
            "bitmap_bit_position",
            BITWISE,
            "bitmap_bit_position(child)",
            "The bit of child in its bitmap bucket: (child - 1) % 32768 for a positive child, else"
                + " -child % 32768.")
        .args(INTEGER)
        .returns(Returns.BIGINT)
        .duckdb(
            "CAST(CASE WHEN $1 > 0 THEN (CAST($1 AS BIGINT) - 1) % 32768"
                + " ELSE (-CAST($1 AS BIGINT)) % 32768 END AS BIGINT)");
    d.scalar(
            "bitmap_bucket_number",
            BITWISE,
            "bitmap_bucket_number(child)",
            "The bitmap bucket of child: 1 + (child - 1) / 32768 for a positive child, else"
                + " -child / 32768.")
        .args(INTEGER)
        .returns(Returns.BIGINT)
        .duckdb(
            "CAST(CASE WHEN $1 > 0 THEN 1 + (CAST($1 AS BIGINT) - 1) // 32768"
                + " ELSE (-CAST($1 AS BIGINT)) // 32768 END AS BIGINT)");
    d.scalar(
            "bitmap_count",
            BITWISE,
            "bitmap_count(bitmap)",
            "The number of bits set in the bitmap.")
        .args(STRING_OR_BINARY)
        .returns(Returns.BIGINT)
        .duckdb("bit_count(CAST(CAST($1 AS BLOB) AS BIT))");
    d.aggregate(
            "bitmap_construct_agg",
            "bitmap_construct_agg(child)",
            "The bitmap with the bits at the positions (0 to 32767) of the group set.")
        .args(INTEGER)
        .returns(Returns.BINARY)
        .duckdb(
            "unhex(array_to_string(list_transform(range("
                + BITMAP_BYTES
                + "), lambda __aquifer_j: lpad(to_hex(coalesce(list_sum(list_transform("
                + "list_filter(list_distinct(coalesce(list(CAST($1 AS BIGINT)), [])),"
                + " lambda __aquifer_p: __aquifer_p // 8 = __aquifer_j),"
                + " lambda __aquifer_p: 1 << (__aquifer_p % 8))), 0)), 2, '0')), ''))");
    d.aggregate("bitmap_or_agg", "bitmap_or_agg(bitmap)", "The bitwise OR of the group's bitmaps.")
        .args(STRING_OR_BINARY)
        .returns(Returns.BINARY)
        .duckdb(
            "CAST(bit_or(CAST(unhex(rpad(hex($1), "
                + 2 * BITMAP_BYTES
                + ", '0')) AS BIT)) AS BLOB)");
    d.aggregate(
            "bitmap_and_agg", "bitmap_and_agg(bitmap)", "The bitwise AND of the group's bitmaps.")
        .args(STRING_OR_BINARY)
        .returns(Returns.BINARY)
        .duckdb(
            "CAST(bit_and(CAST(unhex(rpad(hex($1), "
                + 2 * BITMAP_BYTES
                + ", '0')) AS BIT)) AS BLOB)");
  }
}
