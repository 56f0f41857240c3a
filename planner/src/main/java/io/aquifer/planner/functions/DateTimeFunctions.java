package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.ArgKind.DATE;
import static io.aquifer.planner.functions.ArgKind.NUMBER;
import static io.aquifer.planner.functions.ArgKind.NUMBER_OR_DATETIME;
import static io.aquifer.planner.functions.ArgKind.STRING;
import static io.aquifer.planner.functions.ArgKind.STRING_LITERAL;
import static io.aquifer.planner.functions.ArgKind.TIMESTAMP;
import static io.aquifer.planner.functions.FunctionCategory.DATETIME;

import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Date and time functions. Databricks reads strings as dates or timestamps where a function expects
 * one; units and patterns have Databricks' names ({@code 'MM'}, {@code yyyy-MM-dd}), translated to
 * DuckDB's. Timestamps are instants shown in the session time zone (UTC).
 */
final class DateTimeFunctions {
  private DateTimeFunctions() {}

  private static final String D1 = "CAST($1 AS DATE)";
  private static final ArgKind ANY_DATE_SOURCE = DATE;
  private static final String TS1 = "CAST($1 AS TIMESTAMPTZ)";

  /** DuckDB carries over out-of-range fields (month 13); Databricks refuses them. */
  private static final String VALID_FIELDS =
      "$2 BETWEEN 1 AND 12 AND $3 BETWEEN 1 AND 31 AND $4 BETWEEN 0 AND 23"
          + " AND $5 BETWEEN 0 AND 59 AND $6 >= 0 AND $6 <= 60";

  /** make_timestamp's (date, time [, timezone]) form. */
  private static final java.util.function.Predicate<
          java.util.List<org.apache.calcite.rel.type.RelDataType>>
      DATE_AND_TIME =
          types ->
              types.size() >= 2
                  && types.get(0).getSqlTypeName() == SqlTypeName.DATE
                  && types.get(1).getSqlTypeName() == SqlTypeName.TIME;

  private static final String DATE_TIME = "(CAST($1 AS DATE) + CAST($2 AS TIME))";

  static void define(DatabricksFunctionCatalog d) {
    d.scalar(
            "date_trunc",
            DATETIME,
            "date_trunc(unit, expr)",
            "expr truncated to the unit (YEAR, QUARTER, MONTH/MM/MON, WEEK, DAY/DD, HOUR, MINUTE,"
                + " SECOND, MILLISECOND, MICROSECOND) as a TIMESTAMP.")
        .args(STRING_LITERAL, TIMESTAMP)
        .returns(Returns.TIMESTAMP)
        .duckdb("date_trunc($1:unit, CAST($2 AS TIMESTAMPTZ))");
    d.scalar(
            "trunc",
            DATETIME,
            "trunc(expr, unit)",
            "The date truncated to the unit (YEAR, QUARTER, MONTH, WEEK).")
        .args(DATE, STRING_LITERAL)
        .returns(Returns.DATE)
        .duckdb("CAST(date_trunc($2:unit, CAST($1 AS DATE)) AS DATE)");
    d.scalar(
            "datediff",
            DATETIME,
            "datediff(endDate, startDate)",
            "The number of days from startDate to endDate.")
        .args(DATE, DATE)
        .returns(Returns.INT)
        .duckdb("CAST(date_diff('day', CAST($2 AS DATE), CAST($1 AS DATE)) AS INTEGER)");
    d.alias("date_diff", "datediff");
    d.scalar(
            "date_add",
            DATETIME,
            "date_add(startDate, numDays)",
            "The date numDays after startDate.")
        .args(DATE, ArgKind.INTEGER)
        .returns(Returns.DATE)
        .duckdb("CAST(CAST($1 AS DATE) + CAST($2 AS INTEGER) AS DATE)");
    d.alias("dateadd", "date_add");
    d.scalar(
            "date_sub",
            DATETIME,
            "date_sub(startDate, numDays)",
            "The date numDays before startDate.")
        .args(DATE, ArgKind.INTEGER)
        .returns(Returns.DATE)
        .duckdb("CAST(CAST($1 AS DATE) - CAST($2 AS INTEGER) AS DATE)");
    d.scalar(
            "add_months",
            DATETIME,
            "add_months(startDate, numMonths)",
            "The date numMonths after startDate; the day is clamped to the month's last day.")
        .args(DATE, ArgKind.INTEGER)
        .returns(Returns.DATE)
        .duckdb("CAST(CAST($1 AS DATE) + to_months(CAST($2 AS INTEGER)) AS DATE)");
    d.scalar("date", DATETIME, "date(expr)", "expr cast to DATE.")
        .args(ANY_DATE_SOURCE)
        .returns(Returns.DATE)
        .duckdb(D1);
    d.scalar(
            "last_day",
            DATETIME,
            "last_day(expr)",
            "The last day of the month the date belongs to.")
        .args(DATE)
        .returns(Returns.DATE)
        .duckdb("last_day(CAST($1 AS DATE))");
    d.scalar(
            "to_date",
            DATETIME,
            "to_date(expr [, fmt])",
            "expr read as a DATE, with a Spark pattern if given; fails on text that does not fit.")
        .args(STRING, STRING_LITERAL)
        .optionalFrom(1)
        .returns(Returns.DATE)
        .duckdb(1, D1)
        .duckdb(2, "CAST(strptime(CAST($1 AS VARCHAR), $2:strftime) AS DATE)");
    d.scalar(
            "try_to_date",
            DATETIME,
            "try_to_date(expr [, fmt])",
            "As to_date, but NULL for text that does not fit.")
        .args(STRING, STRING_LITERAL)
        .optionalFrom(1)
        .returns(Returns.DATE)
        .nullable()
        .duckdb(1, "TRY_CAST($1 AS DATE)")
        .duckdb(2, "CAST(try_strptime(CAST($1 AS VARCHAR), $2:strftime) AS DATE)");
    d.scalar(
            "to_timestamp",
            DATETIME,
            "to_timestamp(expr [, fmt])",
            "expr read as a TIMESTAMP, with a Spark pattern if given; fails on text that does not"
                + " fit.")
        .args(STRING, STRING_LITERAL)
        .optionalFrom(1)
        .returns(Returns.TIMESTAMP)
        .duckdb(1, TS1)
        .duckdb(2, "CAST(strptime(CAST($1 AS VARCHAR), $2:strftime) AS TIMESTAMPTZ)");
    d.scalar(
            "try_to_timestamp",
            DATETIME,
            "try_to_timestamp(expr [, fmt])",
            "As to_timestamp, but NULL for text that does not fit.")
        .args(STRING, STRING_LITERAL)
        .optionalFrom(1)
        .returns(Returns.TIMESTAMP)
        .nullable()
        .duckdb(1, "TRY_CAST($1 AS TIMESTAMPTZ)")
        .duckdb(2, "CAST(try_strptime(CAST($1 AS VARCHAR), $2:strftime) AS TIMESTAMPTZ)");
    d.scalar(
            "date_format",
            DATETIME,
            "date_format(expr, fmt)",
            "The timestamp as text in a Spark date-time pattern (yyyy-MM-dd HH:mm:ss).")
        .args(TIMESTAMP, STRING_LITERAL)
        .returns(Returns.STRING)
        .duckdb("strftime(CAST($1 AS TIMESTAMPTZ), $2:strftime)");
    d.scalar(
            "from_unixtime",
            DATETIME,
            "from_unixtime(unixTime [, fmt])",
            "Seconds since 1970-01-01 00:00:00 UTC as text, by default yyyy-MM-dd HH:mm:ss.")
        .args(NUMBER, STRING_LITERAL)
        .optionalFrom(1)
        .returns(Returns.STRING)
        .duckdb(1, "strftime(to_timestamp(CAST($1 AS BIGINT)), '%Y-%m-%d %H:%M:%S')")
        .duckdb(2, "strftime(to_timestamp(CAST($1 AS BIGINT)), $2:strftime)");
    d.scalar(
            "to_unix_timestamp",
            DATETIME,
            "to_unix_timestamp(expr [, fmt])",
            "The timestamp (or text in the pattern) as seconds since 1970-01-01 00:00:00 UTC.")
        .args(STRING, STRING_LITERAL)
        .optionalFrom(1)
        .returns(Returns.BIGINT)
        .duckdb(1, "CAST(floor(epoch(CAST($1 AS TIMESTAMPTZ))) AS BIGINT)")
        .duckdb(2, "CAST(floor(epoch(strptime(CAST($1 AS VARCHAR), $2:strftime))) AS BIGINT)");
    d.scalar(
            "unix_timestamp",
            DATETIME,
            "unix_timestamp([expr [, fmt]])",
            "The time the statement started, or the timestamp (or text in the pattern), as seconds"
                + " since 1970-01-01 00:00:00 UTC.")
        .args(STRING, STRING_LITERAL)
        .optionalFrom(0)
        .returns(Returns.BIGINT)
        .dynamic()
        .duckdb(0, "CAST(floor(epoch(current_timestamp)) AS BIGINT)")
        .duckdb(1, "CAST(floor(epoch(CAST($1 AS TIMESTAMPTZ))) AS BIGINT)")
        .duckdb(2, "CAST(floor(epoch(strptime(CAST($1 AS VARCHAR), $2:strftime))) AS BIGINT)");
    d.scalar(
            "timestamp_seconds",
            DATETIME,
            "timestamp_seconds(expr)",
            "The TIMESTAMP expr seconds after 1970-01-01 00:00:00 UTC.")
        .args(NUMBER)
        .returns(Returns.TIMESTAMP)
        .duckdb("to_timestamp(CAST($1 AS DOUBLE))");
    d.scalar(
            "timestamp_millis",
            DATETIME,
            "timestamp_millis(expr)",
            "The TIMESTAMP expr milliseconds after 1970-01-01 00:00:00 UTC.")
        .args(ArgKind.INTEGER)
        .returns(Returns.TIMESTAMP)
        .duckdb("CAST(epoch_ms(CAST($1 AS BIGINT)) AS TIMESTAMPTZ)");
    d.scalar(
            "timestamp_micros",
            DATETIME,
            "timestamp_micros(expr)",
            "The TIMESTAMP expr microseconds after 1970-01-01 00:00:00 UTC.")
        .args(ArgKind.INTEGER)
        .returns(Returns.TIMESTAMP)
        .duckdb("CAST(make_timestamp(CAST($1 AS BIGINT)) AS TIMESTAMPTZ)");
    d.scalar(
            "unix_seconds",
            DATETIME,
            "unix_seconds(expr)",
            "The timestamp as whole seconds since 1970-01-01 00:00:00 UTC.")
        .args(TIMESTAMP)
        .returns(Returns.BIGINT)
        .duckdb("CAST(floor(epoch(CAST($1 AS TIMESTAMPTZ))) AS BIGINT)");
    d.scalar(
            "unix_millis",
            DATETIME,
            "unix_millis(expr)",
            "The timestamp as milliseconds since 1970-01-01 00:00:00 UTC.")
        .args(TIMESTAMP)
        .returns(Returns.BIGINT)
        .duckdb("epoch_ms(CAST($1 AS TIMESTAMPTZ))");
    d.scalar(
            "unix_micros",
            DATETIME,
            "unix_micros(expr)",
            "The timestamp as microseconds since 1970-01-01 00:00:00 UTC.")
        .args(TIMESTAMP)
        .returns(Returns.BIGINT)
        .duckdb("epoch_us(CAST($1 AS TIMESTAMPTZ))");
    d.scalar(
            "date_from_unix_date",
            DATETIME,
            "date_from_unix_date(days)",
            "The date days after 1970-01-01.")
        .args(ArgKind.INTEGER)
        .returns(Returns.DATE)
        .duckdb("CAST(DATE '1970-01-01' + CAST($1 AS INTEGER) AS DATE)");
    d.scalar(
            "unix_date",
            DATETIME,
            "unix_date(expr)",
            "The number of days from 1970-01-01 to the date.")
        .args(DATE)
        .returns(Returns.INT)
        .duckdb("CAST(date_diff('day', DATE '1970-01-01', CAST($1 AS DATE)) AS INTEGER)");
    d.scalar(
            "make_date",
            DATETIME,
            "make_date(year, month, day)",
            "The date of the fields; fails for fields that make no date.")
        .args(ArgKind.INTEGER, ArgKind.INTEGER, ArgKind.INTEGER)
        .returns(Returns.DATE)
        .duckdb("make_date(CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT))");
    String fields =
        "CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS BIGINT),"
            + " CAST($5 AS BIGINT), CAST($6 AS DOUBLE)";
    d.scalar(
            "make_timestamp",
            DATETIME,
            "make_timestamp(year, month, day, hour, min, sec [, timezone])"
                + " | make_timestamp(date, time [, timezone])",
            "The TIMESTAMP of the fields, or of the date and time, in the time zone if given.")
        .args(NUMBER_OR_DATETIME, NUMBER_OR_DATETIME, STRING, NUMBER, NUMBER, NUMBER, STRING)
        .optionalFrom(2)
        .returns(Returns.TIMESTAMP)
        .duckdbWhen(DATE_AND_TIME.and(t -> t.size() == 2), "timezone('UTC', " + DATE_TIME + ")")
        .duckdbWhen(DATE_AND_TIME.and(t -> t.size() == 3), "timezone($3, " + DATE_TIME + ")")
        .duckdb(6, "make_timestamptz(" + fields + ")")
        .duckdb(7, "make_timestamptz(" + fields + ", $7)");
    d.alias("make_timestamp_ltz", "make_timestamp");
    d.scalar(
            "try_make_timestamp",
            DATETIME,
            "try_make_timestamp(year, month, day, hour, min, sec [, timezone])"
                + " | try_make_timestamp(date, time [, timezone])",
            "As make_timestamp, but NULL for fields that make no timestamp.")
        .args(NUMBER_OR_DATETIME, NUMBER_OR_DATETIME, STRING, NUMBER, NUMBER, NUMBER, STRING)
        .optionalFrom(2)
        .returns(Returns.TIMESTAMP)
        .nullable()
        .duckdbWhen(
            DATE_AND_TIME.and(t -> t.size() == 2), "try(timezone('UTC', " + DATE_TIME + "))")
        .duckdbWhen(DATE_AND_TIME.and(t -> t.size() == 3), "try(timezone($3, " + DATE_TIME + "))")
        .duckdb(6, "try(CASE WHEN " + VALID_FIELDS + " THEN make_timestamptz(" + fields + ") END)")
        .duckdb(
            7, "try(CASE WHEN " + VALID_FIELDS + " THEN make_timestamptz(" + fields + ", $7) END)");
    d.alias("try_make_timestamp_ltz", "try_make_timestamp");
    d.scalar(
            "make_timestamp_ntz",
            DATETIME,
            "make_timestamp_ntz(year, month, day, hour, min, sec) | make_timestamp_ntz(date, time)",
            "The TIMESTAMP_NTZ of the fields, or of the date and time.")
        .args(NUMBER_OR_DATETIME, NUMBER_OR_DATETIME, NUMBER, NUMBER, NUMBER, NUMBER)
        .optionalFrom(2)
        .returns(Returns.TIMESTAMP_NTZ)
        .duckdbWhen(DATE_AND_TIME.and(t -> t.size() == 2), DATE_TIME)
        .duckdb("make_timestamp(" + fields + ")");
    d.scalar(
            "try_make_timestamp_ntz",
            DATETIME,
            "try_make_timestamp_ntz(year, month, day, hour, min, sec)"
                + " | try_make_timestamp_ntz(date, time)",
            "As make_timestamp_ntz, but NULL for fields that make no timestamp.")
        .args(NUMBER_OR_DATETIME, NUMBER_OR_DATETIME, NUMBER, NUMBER, NUMBER, NUMBER)
        .optionalFrom(2)
        .returns(Returns.TIMESTAMP_NTZ)
        .nullable()
        .duckdbWhen(DATE_AND_TIME.and(t -> t.size() == 2), "try(" + DATE_TIME + ")")
        .duckdb("try(CASE WHEN " + VALID_FIELDS + " THEN make_timestamp(" + fields + ") END)");
    d.scalar(
            "from_utc_timestamp",
            DATETIME,
            "from_utc_timestamp(expr, timezone)",
            "The UTC timestamp shifted to the wall-clock time of the time zone.")
        .args(TIMESTAMP, STRING)
        .returns(Returns.TIMESTAMP)
        .duckdb("CAST(timezone($2, CAST($1 AS TIMESTAMPTZ)) AS TIMESTAMPTZ)");
    d.scalar(
            "to_utc_timestamp",
            DATETIME,
            "to_utc_timestamp(expr, timezone)",
            "The wall-clock time of the time zone shifted to UTC.")
        .args(TIMESTAMP, STRING)
        .returns(Returns.TIMESTAMP)
        .duckdb("timezone($2, CAST(CAST($1 AS TIMESTAMPTZ) AS TIMESTAMP))");
    part(d, "year", "The year of the date or timestamp.", "year(" + D1 + ")");
    part(d, "quarter", "The quarter of the year (1 to 4).", "quarter(" + D1 + ")");
    part(d, "month", "The month (1 to 12).", "month(" + D1 + ")");
    part(d, "day", "The day of the month (1 to 31).", "day(" + D1 + ")");
    d.alias("dayofmonth", "day");
    part(
        d,
        "dayofweek",
        "The day of the week, 1 (Sunday) to 7 (Saturday).",
        "dayofweek(" + D1 + ") + 1");
    part(d, "weekday", "The day of the week, 0 (Monday) to 6 (Sunday).", "isodow(" + D1 + ") - 1");
    part(d, "dayofyear", "The day of the year (1 to 366).", "dayofyear(" + D1 + ")");
    part(d, "weekofyear", "The ISO week of the year (1 to 53).", "week(" + D1 + ")");
    part(d, "hour", "The hour (0 to 23).", "hour(" + TS1 + ")");
    part(d, "minute", "The minute (0 to 59).", "minute(" + TS1 + ")");
    part(d, "second", "The second (0 to 59).", "second(" + TS1 + ")");
    d.scalar("dayname", DATETIME, "dayname(expr)", "The abbreviated English day name (Mon).")
        .args(DATE)
        .returns(Returns.STRING)
        .duckdb("strftime(" + D1 + ", '%a')");
    d.scalar("monthname", DATETIME, "monthname(expr)", "The abbreviated English month name (Jan).")
        .args(DATE)
        .returns(Returns.STRING)
        .duckdb("strftime(" + D1 + ", '%b')");
    d.scalar("now", DATETIME, "now()", "The time the statement started, as a TIMESTAMP.")
        .returns(Returns.TIMESTAMP)
        .dynamic()
        .duckdb("CAST(current_timestamp AS TIMESTAMPTZ)");
    d.builtin("current_date", DATETIME, "current_date()", "The date the statement started.");
    d.builtin(
        "current_timestamp", DATETIME, "current_timestamp()", "The time the statement started.");
  }

  private static void part(DatabricksFunctionCatalog d, String name, String what, String sql) {
    d.scalar(name, DATETIME, name + "(expr)", what)
        .args(
            name.equals("hour") || name.equals("minute") || name.equals("second")
                ? TIMESTAMP
                : DATE)
        .returns(Returns.INT)
        .duckdb("CAST(" + sql + " AS INTEGER)");
  }
}
