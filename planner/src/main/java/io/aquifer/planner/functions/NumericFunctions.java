package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.ArgKind.ANY;
import static io.aquifer.planner.functions.ArgKind.INTEGER;
import static io.aquifer.planner.functions.ArgKind.NUMBER;
import static io.aquifer.planner.functions.ArgKind.NUMBER_OR_INTERVAL;
import static io.aquifer.planner.functions.DatabricksFunctionCatalog.argIs;
import static io.aquifer.planner.functions.FunctionCategory.BITWISE;
import static io.aquifer.planner.functions.FunctionCategory.CONDITIONAL;
import static io.aquifer.planner.functions.FunctionCategory.MATH;

import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/** Mathematical, bitwise and conditional functions. */
final class NumericFunctions {
  private NumericFunctions() {}

  /** DECIMAL(digits, digits after the point) of a to_number format. */
  static org.apache.calcite.rel.type.RelDataType numberFormatType(
      org.apache.calcite.sql.SqlOperatorBinding b) {
    String format = b.getOperandLiteralValue(1, String.class);
    int[] ps = precisionScale(format == null ? "" : format);
    return b.getTypeFactory()
        .createSqlType(org.apache.calcite.sql.type.SqlTypeName.DECIMAL, ps[0], ps[1]);
  }

  private static int[] precisionScale(String format) {
    int digits = 0;
    int scale = 0;
    boolean afterPoint = false;
    for (char c : format.toCharArray()) {
      if (c == '9' || c == '0') {
        digits++;
        if (afterPoint) {
          scale++;
        }
      } else if (c == '.' || c == 'D' || c == 'd') {
        afterPoint = true;
      }
    }
    return new int[] {Math.max(1, digits), scale};
  }

  /**
   * The type of ceil and floor: with a scale d, a DECIMAL of exact arguments (Spark's RoundCeil and
   * RoundFloor), a DOUBLE of approximate ones; without, DECIMAL(p - s + 1, 0) or BIGINT.
   */
  static org.apache.calcite.rel.type.RelDataType roundedType(
      org.apache.calcite.sql.SqlOperatorBinding b) {
    var t = b.getOperandType(0);
    var factory = b.getTypeFactory();
    if (!SqlTypeUtil.isExactNumeric(t)) {
      return factory.createSqlType(
          b.getOperandCount() == 1 ? SqlTypeName.BIGINT : SqlTypeName.DOUBLE);
    }
    int p =
        switch (t.getSqlTypeName()) {
          case TINYINT -> 3;
          case SMALLINT -> 5;
          case INTEGER -> 10;
          case BIGINT -> 20;
          default -> t.getPrecision();
        };
    int s = Math.max(0, t.getScale());
    if (b.getOperandCount() == 1) {
      return t.getSqlTypeName() == SqlTypeName.DECIMAL
          ? factory.createSqlType(SqlTypeName.DECIMAL, Math.min(38, p - s + 1), 0)
          : factory.createSqlType(SqlTypeName.BIGINT);
    }
    Integer d = b.isOperandLiteral(1, false) ? b.getOperandLiteralValue(1, Integer.class) : null;
    int scale = d == null ? 0 : d;
    if (scale < 0) {
      return factory.createSqlType(
          SqlTypeName.DECIMAL, Math.min(38, Math.max(p - s + 1, 1 - scale)), 0);
    }
    int kept = Math.min(s, scale);
    return factory.createSqlType(SqlTypeName.DECIMAL, Math.min(38, p - s + 1 + kept), kept);
  }

  static org.apache.calcite.rel.type.RelDataType interval(
      org.apache.calcite.sql.SqlOperatorBinding b,
      org.apache.calcite.avatica.util.TimeUnit start,
      org.apache.calcite.avatica.util.TimeUnit end) {
    return b.getTypeFactory()
        .createSqlIntervalType(
            new org.apache.calcite.sql.SqlIntervalQualifier(
                start, end, org.apache.calcite.sql.parser.SqlParserPos.ZERO));
  }

  private static final String DIGITS = "'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'";

  /** Binds a value to a lambda parameter: DuckDB cannot call a lambda or name a sub-result. */
  private static String let(String value, String name, String body) {
    return "list_transform([" + value + "], lambda " + name + ": " + body + ")[1]";
  }

  /** The digits of x (a HUGEINT from 0 to 2^64 - 1) in base b, upper case. */
  private static String digits(String x, String b) {
    return "coalesce(nullif(list_reduce(range(64), lambda __aquifer_acc, __aquifer_i:"
        + " CASE WHEN __aquifer_acc.v = 0 THEN __aquifer_acc ELSE {'v': __aquifer_acc.v // "
        + b
        + ", 's': substr("
        + DIGITS
        + ", CAST(__aquifer_acc.v % "
        + b
        + " AS INTEGER) + 1, 1) || __aquifer_acc.s} END, {'v': CAST("
        + x
        + " AS HUGEINT), 's': ''}).s, ''), '0')";
  }

  /** conv(num, fromBase, toBase) as Spark computes it (NumberConverter), in DuckDB SQL. */
  static String conv(List<String> o) {
    String text = "trim(upper(CAST(" + o.get(0) + " AS VARCHAR)))";
    String from = "CAST(" + o.get(1) + " AS HUGEINT)";
    String to = "CAST(" + o.get(2) + " AS HUGEINT)";
    String digitValues =
        "list_transform(string_split(regexp_replace("
            + text
            + ", '^-', ''), ''), lambda __aquifer_c: position(__aquifer_c IN "
            + DIGITS
            + ") - 1)";
    String prefix =
        "__aquifer_ds[1:coalesce(list_position(list_transform(__aquifer_ds, lambda __aquifer_d:"
            + " __aquifer_d < 0 OR __aquifer_d >= "
            + from
            + "), true) - 1, len(__aquifer_ds))]";
    String unsigned =
        "least(list_reduce("
            + prefix
            + ", lambda __aquifer_acc, __aquifer_d: __aquifer_acc * "
            + from
            + " + __aquifer_d, CAST(0 AS HUGEINT)), CAST(18446744073709551615 AS HUGEINT))";
    String twos =
        "CASE WHEN starts_with("
            + text
            + ", '-') AND __aquifer_u > 0 THEN CAST(18446744073709551616 AS HUGEINT) - __aquifer_u"
            + " ELSE __aquifer_u END";
    String written =
        "CASE WHEN "
            + to
            + " < 0 AND __aquifer_v >= CAST(9223372036854775808 AS HUGEINT) THEN '-' || "
            + digits("CAST(18446744073709551616 AS HUGEINT) - __aquifer_v", "(-" + to + ")")
            + " ELSE "
            + digits("__aquifer_v", "abs(" + to + ")")
            + " END";
    return "CASE WHEN "
        + from
        + " BETWEEN 2 AND 36 AND abs("
        + to
        + ") BETWEEN 2 AND 36 AND "
        + text
        + " <> '' THEN "
        + let(
            digitValues,
            "__aquifer_ds",
            let(unsigned, "__aquifer_u", let(twos, "__aquifer_v", written)))
        + " END";
  }

  /** The type of try_add: as + for numbers, a date plus days or months, else the first's. */
  static org.apache.calcite.rel.type.RelDataType addedType(
      org.apache.calcite.sql.SqlOperatorBinding b) {
    var first = b.getOperandType(0);
    var second = b.getOperandType(1);
    if (SqlTypeUtil.isNumeric(first) && SqlTypeUtil.isNumeric(second)) {
      return Returns.common(0).inferReturnType(b);
    }
    if (first.getSqlTypeName() == SqlTypeName.DATE && FunctionSpec.isDayTime(second)) {
      return Returns.TIMESTAMP.inferReturnType(b);
    }
    if (SqlTypeUtil.isNumeric(first)
        || SqlTypeUtil.isInterval(first) && !SqlTypeUtil.isInterval(second)) {
      return second;
    }
    return first;
  }

  /** The text without grouping and currency characters, its sign applied, cast to DECIMAL. */
  static String toNumber(java.util.List<String> operands, boolean orNull) {
    String format = operands.get(1).replaceAll("^'|'$", "").replace("''", "'");
    int[] ps = precisionScale(format);
    String text =
        "replace(replace(trim(CAST(" + operands.get(0) + " AS VARCHAR)), ',', ''), '$', '')";
    String upper = format.toUpperCase(java.util.Locale.ROOT);
    String number = text;
    if (upper.endsWith("S") || upper.endsWith("MI")) {
      number =
          "CASE WHEN ends_with("
              + text
              + ", '-') THEN '-' || rtrim("
              + text
              + ", '-+')"
              + " ELSE rtrim("
              + text
              + ", '-+') END";
    }
    String cast = orNull ? "TRY_CAST" : "CAST";
    return cast + "(" + number + " AS DECIMAL(" + ps[0] + ", " + ps[1] + "))";
  }

  static void define(DatabricksFunctionCatalog d) {
    d.scalar("pmod", MATH, "pmod(dividend, divisor)", "The positive remainder of the division.")
        .args(NUMBER, NUMBER)
        .returns(Returns.common(0))
        .duckdb("((($1 % $2) + $2) % $2)");
    d.scalar(
            "bround",
            MATH,
            "bround(expr [, d])",
            "expr rounded to d decimal places (default 0), ties to the even neighbour.")
        .args(NUMBER, INTEGER)
        .optionalFrom(1)
        .returns(Returns.arg(0))
        .duckdb(1, "round_even($1, 0)")
        .duckdb(2, "round_even($1, $2)");
    d.scalar("e", MATH, "e()", "Euler's number.").returns(Returns.DOUBLE).duckdb("exp(1)");
    d.scalar(
            "to_number",
            FunctionCategory.CONVERSION,
            "to_number(expr, fmt)",
            "The text read as a DECIMAL by the format (9 and 0 digits, '.', ',', '$', a trailing"
                + " S or MI for the sign); fails on text that does not fit.")
        .args(ArgKind.STRING, ArgKind.STRING_LITERAL)
        .returns(NumericFunctions::numberFormatType)
        .duckdbCode(o -> toNumber(o, false));
    d.scalar(
            "try_to_number",
            FunctionCategory.CONVERSION,
            "try_to_number(expr, fmt)",
            "As to_number, but NULL for text that does not fit.")
        .args(ArgKind.STRING, ArgKind.STRING_LITERAL)
        .returns(NumericFunctions::numberFormatType)
        .nullable()
        .duckdbCode(o -> toNumber(o, true));
    d.scalar("positive", MATH, "positive(expr)", "expr.")
        .args(NUMBER)
        .returns(Returns.arg(0))
        .duckdb("$1");
    d.scalar("negative", MATH, "negative(expr)", "expr negated.")
        .args(NUMBER)
        .returns(Returns.arg(0))
        .duckdb("(- $1)");
    d.scalar("rint", MATH, "rint(expr)", "expr rounded to the nearest integer (ties to even).")
        .args(NUMBER)
        .returns(Returns.DOUBLE)
        .duckdb("round_even(CAST($1 AS DOUBLE), 0)");
    d.scalar("signum", MATH, "signum(expr)", "-1.0, 0.0 or 1.0 by the sign of expr.")
        .args(NUMBER_OR_INTERVAL)
        .returns(Returns.DOUBLE)
        .duckdb("CAST(sign($1#) AS DOUBLE)");
    d.alias("sign", "signum");
    d.scalar("abs", MATH, "abs(expr)", "The absolute value of a number or an interval.")
        .args(NUMBER_OR_INTERVAL)
        .returns(Returns.arg(0))
        .duckdbWhen(types -> FunctionSpec.isYearMonth(types.get(0)), "to_months(abs($1#))")
        .duckdbWhen(types -> FunctionSpec.isDayTime(types.get(0)), "to_microseconds(abs($1#))")
        .duckdb("abs($1)");
    d.scalar("isnan", MATH, "isnan(expr)", "Whether expr is NaN.")
        .args(NUMBER)
        .returns(Returns.BOOLEAN)
        .duckdb("coalesce(isnan(CAST($1 AS DOUBLE)), false)");
    d.scalar("nanvl", MATH, "nanvl(expr1, expr2)", "expr1, or expr2 when expr1 is NaN.")
        .args(NUMBER, NUMBER)
        .returns(Returns.DOUBLE)
        .duckdb(
            "CASE WHEN isnan(CAST($1 AS DOUBLE)) THEN CAST($2 AS DOUBLE) ELSE CAST($1 AS DOUBLE) END");
    d.scalar("hypot", MATH, "hypot(a, b)", "sqrt(a * a + b * b).")
        .args(NUMBER, NUMBER)
        .returns(Returns.DOUBLE)
        .duckdb(
            "sqrt(CAST($1 AS DOUBLE) * CAST($1 AS DOUBLE) + CAST($2 AS DOUBLE) * CAST($2 AS DOUBLE))");
    d.scalar("csc", MATH, "csc(expr)", "The cosecant, 1 / sin(expr).")
        .args(NUMBER)
        .returns(Returns.DOUBLE)
        .duckdb("(1 / sin(CAST($1 AS DOUBLE)))");
    d.scalar("sec", MATH, "sec(expr)", "The secant, 1 / cos(expr).")
        .args(NUMBER)
        .returns(Returns.DOUBLE)
        .duckdb("(1 / cos(CAST($1 AS DOUBLE)))");
    d.scalar("log2", MATH, "log2(expr)", "The base-2 logarithm, NULL for expr <= 0.")
        .args(NUMBER)
        .returns(Returns.DOUBLE)
        .nullable()
        .duckdb("CASE WHEN $1 > 0 THEN log2(CAST($1 AS DOUBLE)) END");
    d.scalar("factorial", MATH, "factorial(expr)", "expr! for expr from 0 to 20, else NULL.")
        .args(INTEGER)
        .returns(Returns.BIGINT)
        .nullable()
        .duckdb(
            "CASE WHEN $1 BETWEEN 0 AND 20 THEN CAST(factorial(CAST($1 AS INTEGER)) AS BIGINT) END");
    d.scalar(
            "width_bucket",
            MATH,
            "width_bucket(expr, minExpr, maxExpr, numBuckets)",
            "The bucket (0 to numBuckets + 1) expr falls in, of numBuckets equal-width buckets.")
        .args(NUMBER_OR_INTERVAL, NUMBER_OR_INTERVAL, NUMBER_OR_INTERVAL, INTEGER)
        .returns(Returns.BIGINT)
        .duckdb(
            "CAST(CASE WHEN $2# < $3# THEN (CASE WHEN $1# < $2# THEN 0 WHEN $1# >= $3# THEN $4 + 1"
                + " ELSE floor(CAST($1# - $2# AS DOUBLE) * $4 / CAST($3# - $2# AS DOUBLE)) + 1 END)"
                + " ELSE (CASE WHEN $1# > $2# THEN 0 WHEN $1# <= $3# THEN $4 + 1"
                + " ELSE floor(CAST($2# - $1# AS DOUBLE) * $4 / CAST($2# - $3# AS DOUBLE)) + 1"
                + " END) END AS BIGINT)");
    for (String[] f :
        new String[][] {{"ceil", "smallest", "<", "+"}, {"floor", "largest", ">", "-"}}) {
      d.scalar(
              f[0],
              MATH,
              f[0] + "(expr [, d])",
              "The "
                  + f[1]
                  + " number with d decimal places (default 0; tens, hundreds... when negative)"
                  + " not "
                  + (f[0].equals("ceil") ? "below" : "above")
                  + " expr.")
          .args(NUMBER, INTEGER)
          .optionalFrom(1)
          .returns(NumericFunctions::roundedType)
          .duckdb(1, "CAST(" + f[0] + "($1) AS $R)")
          .duckdbWhen(
              types -> types.size() == 2 && SqlTypeUtil.isExactNumeric(types.get(0)),
              "CAST(CASE WHEN round($1, $2) "
                  + f[2]
                  + " $1 THEN round($1, $2) "
                  + f[3]
                  + " CAST(power(10, -($2)) AS $R) ELSE round($1, $2) END AS $R)")
          .duckdb(2, f[0] + "($1 * power(10, $2)) / power(10, $2)");
    }
    d.alias("ceiling", "ceil");
    d.scalar("shiftleft", BITWISE, "shiftleft(expr, n)", "expr shifted left by n bits.")
        .args(INTEGER, INTEGER)
        .returns(Returns.arg(0))
        .duckdb("($1 << $2)");
    d.scalar("shiftright", BITWISE, "shiftright(expr, n)", "expr shifted right by n bits (signed).")
        .args(INTEGER, INTEGER)
        .returns(Returns.arg(0))
        .duckdb("($1 >> $2)");
    d.scalar(
            "shiftrightunsigned",
            BITWISE,
            "shiftrightunsigned(expr, n)",
            "expr shifted right by n bits (n modulo the width), zeros shifted in.")
        .args(INTEGER, INTEGER)
        .returns(Returns.arg(0))
        .duckdbWhen(
            argIs(0, SqlTypeName.BIGINT),
            "CAST(CASE WHEN $1 >= 0 THEN $1 >> ($2 & 63) ELSE CAST((CAST($1 AS HUGEINT)"
                + " + 18446744073709551616) >> ($2 & 63) AS UBIGINT) END AS BIGINT)")
        .duckdb(
            "CAST(CASE WHEN ((CAST($1 AS BIGINT) & 4294967295) >> ($2 & 31)) > 2147483647"
                + " THEN ((CAST($1 AS BIGINT) & 4294967295) >> ($2 & 31)) - 4294967296"
                + " ELSE ((CAST($1 AS BIGINT) & 4294967295) >> ($2 & 31)) END AS INTEGER)");
    d.scalar("~", BITWISE, "~ expr", "The bitwise NOT of expr.")
        .args(INTEGER)
        .returns(Returns.arg(0))
        .duckdb("(~$1)");
    d.scalar(
            "div",
            MATH,
            "expr1 div expr2",
            "expr1 divided by expr2, rounded toward zero to an integer; fails when expr2 is 0.")
        .args(NUMBER_OR_INTERVAL, NUMBER_OR_INTERVAL)
        .returns(Returns.BIGINT)
        .duckdbWhen(
            types -> SqlTypeUtil.isInterval(types.get(0)) && SqlTypeUtil.isInterval(types.get(1)),
            "($1# // $2#)")
        .duckdbWhen(
            types ->
                types.size() == 2
                    && types.stream()
                        .allMatch(t -> SqlTypeUtil.isExactNumeric(t) && t.getScale() <= 0),
            "(CAST($1 AS BIGINT) // CAST($2 AS BIGINT))")
        .duckdb(
            "CAST(trunc(CAST($1 AS DOUBLE) / CASE WHEN $2 = 0 THEN error('Division by zero')"
                + " ELSE CAST($2 AS DOUBLE) END) AS BIGINT)");
    d.scalar(
            "make_ym_interval",
            FunctionCategory.DATETIME,
            "make_ym_interval([years [, months]])",
            "The year-month interval of years and months (default 0).")
        .args(INTEGER, INTEGER)
        .optionalFrom(0)
        .returns(
            b ->
                interval(
                    b,
                    org.apache.calcite.avatica.util.TimeUnit.YEAR,
                    org.apache.calcite.avatica.util.TimeUnit.MONTH))
        .duckdb(0, "to_months(0)")
        .duckdb(1, "to_months(CAST($1 AS INTEGER) * 12)")
        .duckdb(2, "to_months(CAST($1 AS INTEGER) * 12 + CAST($2 AS INTEGER))");
    d.scalar(
            "make_dt_interval",
            FunctionCategory.DATETIME,
            "make_dt_interval([days [, hours [, mins [, secs]]]])",
            "The day-time interval of days, hours, minutes and seconds (with microseconds; default"
                + " 0).")
        .args(INTEGER, INTEGER, INTEGER, NUMBER)
        .optionalFrom(0)
        .returns(
            b ->
                interval(
                    b,
                    org.apache.calcite.avatica.util.TimeUnit.DAY,
                    org.apache.calcite.avatica.util.TimeUnit.SECOND))
        .duckdb(0, "to_microseconds(0)")
        .duckdb(1, "to_microseconds(CAST($1 AS BIGINT) * 86400000000)")
        .duckdb(2, "to_microseconds((CAST($1 AS BIGINT) * 24 + $2) * 3600000000)")
        .duckdb(3, "to_microseconds(((CAST($1 AS BIGINT) * 24 + $2) * 60 + $3) * 60000000)")
        .duckdb(
            4,
            "to_microseconds(((CAST($1 AS BIGINT) * 24 + $2) * 60 + $3) * 60000000"
                + " + CAST(round(CAST($4 AS DECIMAL(18, 6)) * 1000000) AS BIGINT))");
    d.scalar(
            "conv",
            MATH,
            "conv(num, fromBase, toBase)",
            "num, read in fromBase (up to the first character that is no digit there), written in"
                + " toBase as an unsigned 64-bit number, or a signed one when toBase is negative;"
                + " NULL for bases outside 2 to 36.")
        .args(ArgKind.STRING, INTEGER, INTEGER)
        .returns(Returns.STRING)
        .nullable()
        .duckdbCode(NumericFunctions::conv);
    d.scalar("bit_count", BITWISE, "bit_count(expr)", "The number of bits set in expr.")
        .args(INTEGER)
        .returns(Returns.INT)
        .duckdb("CAST(bit_count($1) AS INTEGER)");
    d.scalar(
            "nvl2",
            CONDITIONAL,
            "nvl2(expr1, expr2, expr3)",
            "expr2 when expr1 is not NULL, else expr3.")
        .args(ANY, ANY, ANY)
        .returns(Returns.common(1))
        .duckdb("CASE WHEN $1 IS NOT NULL THEN $2 ELSE $3 END");
    d.scalar(
            "equal_null",
            CONDITIONAL,
            "equal_null(expr1, expr2)",
            "Whether the arguments are equal, NULL equal to NULL; never NULL.")
        .args(ANY, ANY)
        .returns(
            b ->
                b.getTypeFactory()
                    .createTypeWithNullability(Returns.BOOLEAN.inferReturnType(b), false))
        .duckdb("($1 IS NOT DISTINCT FROM $2)");
    d.scalar("isnotnull", CONDITIONAL, "isnotnull(expr)", "Whether expr is not NULL.")
        .args(ANY)
        .returns(
            b ->
                b.getTypeFactory()
                    .createTypeWithNullability(Returns.BOOLEAN.inferReturnType(b), false))
        .duckdb("($1 IS NOT NULL)");
    d.scalar("isnull", CONDITIONAL, "isnull(expr)", "Whether expr is NULL.")
        .args(ANY)
        .returns(
            b ->
                b.getTypeFactory()
                    .createTypeWithNullability(Returns.BOOLEAN.inferReturnType(b), false))
        .duckdb("($1 IS NULL)");
    d.scalar("zeroifnull", CONDITIONAL, "zeroifnull(expr)", "expr, or 0 when it is NULL.")
        .args(NUMBER)
        .returns(Returns.arg(0))
        .duckdb("coalesce($1, 0)");
    d.scalar("nullifzero", CONDITIONAL, "nullifzero(expr)", "expr, or NULL when it is 0.")
        .args(NUMBER)
        .returns(Returns.arg(0))
        .nullable()
        .duckdb("nullif($1, 0)");
    d.scalar(
            "try_divide",
            MATH,
            "try_divide(dividend, divisor)",
            "dividend / divisor, or NULL when divisor is 0.")
        .args(NUMBER_OR_INTERVAL, NUMBER)
        .returns(
            b ->
                SqlTypeUtil.isInterval(b.getOperandType(0))
                    ? b.getOperandType(0)
                    : Returns.DOUBLE.inferReturnType(b))
        .nullable()
        // An interval divided by a number: months or microseconds rounded half up.
        .duckdbWhen(
            types -> FunctionSpec.isYearMonth(types.get(0)),
            "try(to_months(CAST(round($1# / nullif($2, 0)) AS INTEGER)))")
        .duckdbWhen(
            types -> FunctionSpec.isDayTime(types.get(0)),
            "try(to_microseconds(CAST(round($1# / nullif($2, 0)) AS BIGINT)))")
        .duckdb("(CAST($1 AS DOUBLE) / nullif(CAST($2 AS DOUBLE), 0))");
    d.scalar(
            "try_add",
            MATH,
            "try_add(expr1, expr2)",
            "expr1 + expr2 (numbers, a date and days or an interval, a timestamp and an interval,"
                + " two intervals), or NULL on overflow.")
        .args(ANY, ANY)
        .returns(NumericFunctions::addedType)
        .nullable()
        .duckdbWhen(
            types ->
                argIs(0, SqlTypeName.DATE).test(types) && SqlTypeUtil.isExactNumeric(types.get(1)),
            "try(CAST($1 + CAST($2 AS INTEGER) AS DATE))")
        .duckdbWhen(
            types ->
                argIs(0, SqlTypeName.DATE).test(types) && FunctionSpec.isYearMonth(types.get(1)),
            "try(CAST($1 + $2 AS DATE))")
        .duckdb("try($1 + $2)");
    d.scalar(
            "try_subtract",
            MATH,
            "try_subtract(expr1, expr2)",
            "expr1 - expr2, or NULL on overflow.")
        .args(NUMBER, NUMBER)
        .returns(Returns.common(0))
        .nullable()
        .duckdb("try($1 - $2)");
    d.scalar(
            "try_multiply",
            MATH,
            "try_multiply(expr1, expr2)",
            "expr1 * expr2, or NULL on overflow.")
        .args(NUMBER, NUMBER)
        .returns(Returns.common(0))
        .nullable()
        .duckdb("try($1 * $2)");
  }
}
