package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.FunctionCategory.JSON;

import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * VARIANT functions. A VARIANT value is carried as its JSON text (DuckDB's JSON type), so
 * parse_json gives the normalized JSON and {@code typeof} shows {@code string}; variant_get reads a
 * path and casts the value to the named type.
 */
final class VariantFunctions {
  private VariantFunctions() {}

  /** Spark type names variant_get accepts, with the engine's name for each. */
  private static final Map<String, SqlTypeName> TYPES =
      Map.ofEntries(
          Map.entry("boolean", SqlTypeName.BOOLEAN),
          Map.entry("tinyint", SqlTypeName.TINYINT),
          Map.entry("byte", SqlTypeName.TINYINT),
          Map.entry("smallint", SqlTypeName.SMALLINT),
          Map.entry("short", SqlTypeName.SMALLINT),
          Map.entry("int", SqlTypeName.INTEGER),
          Map.entry("integer", SqlTypeName.INTEGER),
          Map.entry("bigint", SqlTypeName.BIGINT),
          Map.entry("long", SqlTypeName.BIGINT),
          Map.entry("float", SqlTypeName.REAL),
          Map.entry("real", SqlTypeName.REAL),
          Map.entry("double", SqlTypeName.DOUBLE),
          Map.entry("string", SqlTypeName.VARCHAR),
          Map.entry("date", SqlTypeName.DATE));

  private static final Map<String, String> ENGINE_TYPES =
      Map.ofEntries(
          Map.entry("boolean", "BOOLEAN"),
          Map.entry("tinyint", "TINYINT"),
          Map.entry("byte", "TINYINT"),
          Map.entry("smallint", "SMALLINT"),
          Map.entry("short", "SMALLINT"),
          Map.entry("int", "INTEGER"),
          Map.entry("integer", "INTEGER"),
          Map.entry("bigint", "BIGINT"),
          Map.entry("long", "BIGINT"),
          Map.entry("float", "FLOAT"),
          Map.entry("real", "FLOAT"),
          Map.entry("double", "DOUBLE"),
          Map.entry("date", "DATE"));

  static void define(DatabricksFunctionCatalog d) {
    d.scalar("parse_json", JSON, "parse_json(jsonStr)", "The VARIANT of the JSON text.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb("CAST(json(CAST($1 AS VARCHAR)) AS VARCHAR)");
    d.scalar(
            "try_parse_json",
            JSON,
            "try_parse_json(jsonStr)",
            "The VARIANT of the JSON text, or NULL when it is not JSON.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .nullable()
        .duckdb(
            "CASE WHEN json_valid(CAST($1 AS VARCHAR)) THEN CAST(json(CAST($1 AS VARCHAR)) AS"
                + " VARCHAR) END");
    for (String name : new String[] {"variant_get", "try_variant_get"}) {
      boolean lenient = name.startsWith("try_");
      d.scalar(
              name,
              JSON,
              name + "(v, path [, type])",
              "The value at the JSON path ($.a[0]) of the VARIANT, cast to type (a VARIANT when no"
                  + " type is given), or NULL when the path is absent"
                  + (lenient ? " or the cast fails." : "; fails when the cast fails."))
          .args(ArgKind.STRING, ArgKind.STRING_LITERAL, ArgKind.STRING_LITERAL)
          .optionalFrom(2)
          .returns(VariantFunctions::resultType)
          .nullable()
          .duckdb(2, "CAST(json_extract(CAST($1 AS VARCHAR), $2) AS VARCHAR)")
          .duckdb(
              3,
              (lenient ? "TRY_CAST" : "CAST")
                  + "(json_extract_string(CAST($1 AS VARCHAR), $2) AS $3:type)");
    }
  }

  /** The engine's name of a Spark type name variant_get accepts. */
  static String engineType(String sparkType) {
    String type = sparkType.toLowerCase(Locale.ROOT).strip();
    if (type.equals("string")) {
      return "VARCHAR";
    }
    String engine = ENGINE_TYPES.get(type);
    if (engine == null) {
      throw new IllegalStateException("variant_get: no type " + sparkType);
    }
    return engine;
  }

  private static RelDataType resultType(SqlOperatorBinding b) {
    if (b.getOperandCount() < 3) {
      return Returns.STRING.inferReturnType(b);
    }
    String literal = b.getOperandLiteralValue(2, String.class);
    SqlTypeName name = literal == null ? null : TYPES.get(literal.toLowerCase(Locale.ROOT).strip());
    if (name == null) {
      throw b.newError(
          org.apache.calcite.util.Static.RESOURCE.typeNotSupported("variant_get type " + literal));
    }
    return Returns.create(b.getTypeFactory(), name);
  }
}
