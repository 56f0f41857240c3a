package io.aquifer.planner.functions;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;

/**
 * Spark's date-time patterns ({@code yyyy-MM-dd HH:mm:ss}, Java's DateTimeFormatter letters) as
 * DuckDB strftime/strptime formats ({@code %Y-%m-%d %H:%M:%S}). Letters without an equivalent are
 * refused rather than printed wrongly.
 */
public final class SparkDateTimePattern {
  private SparkDateTimePattern() {}

  public static String toStrftime(String pattern) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        int end = pattern.indexOf('\'', i + 1);
        if (end < 0) {
          throw invalid(pattern, "an unclosed quote");
        }
        if (end == i + 1) {
          out.append('\'');
        } else {
          out.append(pattern.substring(i + 1, end).replace("%", "%%"));
        }
        i = end + 1;
        continue;
      }
      if (!Character.isLetter(c)) {
        out.append(c == '%' ? "%%" : String.valueOf(c));
        i++;
        continue;
      }
      int run = 1;
      while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
        run++;
      }
      out.append(letter(pattern, c, run));
      i += run;
    }
    return out.toString();
  }

  private static String letter(String pattern, char c, int run) {
    return switch (c) {
      case 'y', 'u' -> run == 2 ? "%y" : "%Y";
      case 'M', 'L' -> run >= 4 ? "%B" : run == 3 ? "%b" : run == 2 ? "%m" : "%-m";
      case 'd' -> run == 2 ? "%d" : "%-d";
      case 'D' -> run >= 3 ? "%j" : "%-j";
      case 'H' -> run == 2 ? "%H" : "%-H";
      case 'h' -> run == 2 ? "%I" : "%-I";
      case 'm' -> run == 2 ? "%M" : "%-M";
      case 's' -> run == 2 ? "%S" : "%-S";
      case 'S' -> run <= 3 ? "%g" : run <= 6 ? "%f" : "%n";
      case 'a' -> "%p";
      case 'E' -> run >= 4 ? "%A" : "%a";
      case 'Z', 'X', 'x' -> "%z";
      case 'z', 'V' -> "%Z";
      default -> throw invalid(pattern, "the letter '" + c + "'");
    };
  }

  private static PlannerException invalid(String pattern, String what) {
    return new PlannerException(
        PlannerErrorCode.INVALID_STATEMENT,
        "the date-time pattern '" + pattern + "' has " + what + ", which Aquifer cannot format");
  }
}
