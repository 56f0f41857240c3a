package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.FunctionCategory.STRING;

import org.apache.calcite.sql.type.SqlTypeName;

/**
 * XPath 1.0 over XML text ({@code xpath}, {@code xpath_string}, {@code xpath_int}, ...). DuckDB has
 * no XML functions: the warehouse node computes them in its JVM ({@code __aquifer_xpath_*}, see the
 * engine's Java functions), as Spark does, with DTDs refused.
 */
final class XPathFunctions {
  private XPathFunctions() {}

  static void define(DatabricksFunctionCatalog d) {
    d.scalar(
            "xpath",
            STRING,
            "xpath(xml, xpath)",
            "The values of the nodes the XPath selects (NULL for element nodes), as an array.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.STRING_ARRAY)
        .nullable()
        .duckdb(
            "CAST(json(__aquifer_xpath_nodes(CAST($1 AS VARCHAR), CAST($2 AS VARCHAR)))"
                + " AS VARCHAR[])");
    scalar(
        d,
        "xpath_boolean",
        "true when the XPath is true or selects a node.",
        "boolean",
        "BOOLEAN",
        SqlTypeName.BOOLEAN);
    scalar(
        d,
        "xpath_string",
        "The string value of what the XPath selects first.",
        "string",
        "VARCHAR",
        SqlTypeName.VARCHAR);
    scalar(
        d,
        "xpath_double",
        "The number the XPath evaluates to (NaN if none).",
        "double",
        "DOUBLE",
        SqlTypeName.DOUBLE);
    d.alias("xpath_number", "xpath_double");
    scalar(
        d,
        "xpath_float",
        "The number the XPath evaluates to, as a FLOAT.",
        "double",
        "FLOAT",
        SqlTypeName.REAL);
    scalar(
        d,
        "xpath_long",
        "The number the XPath evaluates to, as a BIGINT (0 if none).",
        "long",
        "BIGINT",
        SqlTypeName.BIGINT);
    scalar(
        d,
        "xpath_int",
        "The number the XPath evaluates to, as an INT (0 if none).",
        "int",
        "INTEGER",
        SqlTypeName.INTEGER);
    scalar(
        d,
        "xpath_short",
        "The number the XPath evaluates to, as a SMALLINT (0 if none).",
        "short",
        "SMALLINT",
        SqlTypeName.SMALLINT);
  }

  private static void scalar(
      DatabricksFunctionCatalog d,
      String name,
      String description,
      String engineFunction,
      String engineType,
      SqlTypeName type) {
    d.scalar(name, STRING, name + "(xml, xpath)", description)
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.type(type))
        .nullable()
        .duckdb(
            "CAST(__aquifer_xpath_"
                + engineFunction
                + "(CAST($1 AS VARCHAR), CAST($2 AS VARCHAR)) AS "
                + engineType
                + ")");
  }
}
