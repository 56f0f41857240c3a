package io.aquifer.planner.functions;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import java.util.Locale;
import java.util.Map;

/**
 * Databricks' names of date-time units ({@code date_trunc}, {@code trunc}, {@code datediff}, {@code
 * timestampadd}) and DuckDB's. Databricks accepts abbreviations DuckDB does not ({@code 'MM'},
 * {@code 'DD'}, {@code 'YYYY'}, {@code 'MON'}).
 */
public final class DateTimeUnits {
  private DateTimeUnits() {}

  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("YEAR", "year"),
          Map.entry("YYYY", "year"),
          Map.entry("YY", "year"),
          Map.entry("YEARS", "year"),
          Map.entry("QUARTER", "quarter"),
          Map.entry("QUARTERS", "quarter"),
          Map.entry("MONTH", "month"),
          Map.entry("MONTHS", "month"),
          Map.entry("MON", "month"),
          Map.entry("MM", "month"),
          Map.entry("WEEK", "week"),
          Map.entry("WEEKS", "week"),
          Map.entry("DAY", "day"),
          Map.entry("DAYS", "day"),
          Map.entry("DD", "day"),
          Map.entry("HOUR", "hour"),
          Map.entry("HOURS", "hour"),
          Map.entry("MINUTE", "minute"),
          Map.entry("MINUTES", "minute"),
          Map.entry("SECOND", "second"),
          Map.entry("SECONDS", "second"),
          Map.entry("MILLISECOND", "millisecond"),
          Map.entry("MILLISECONDS", "millisecond"),
          Map.entry("MICROSECOND", "microsecond"),
          Map.entry("MICROSECONDS", "microsecond"));

  /** DuckDB's name of a Databricks unit; an unknown unit is the caller's error. */
  public static String duckDbUnit(String unit, String function) {
    String name = UNITS.get(unit.strip().toUpperCase(Locale.ROOT));
    if (name == null) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT,
          function
              + ": '"
              + unit
              + "' is not a date-time unit (expected one of YEAR, QUARTER, "
              + "MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND)");
    }
    return name;
  }
}
