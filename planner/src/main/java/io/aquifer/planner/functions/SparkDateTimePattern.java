package io.aquifer.planner.functions;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;

/**
 * Spark's date-time patterns ({@code yyyy-MM-dd HH:mm:ss}, Java's DateTimeFormatter letters) as
 * DuckDB strftime formats ({@code %Y-%m-%d %H:%M:%S}, to print values) and strptime formats (to
 * parse text, as the {@code dateFormat} and {@code timestampFormat} options of read_files and COPY
 * INTO take them). Letters without an equivalent are refused rather than printed or read wrongly.
 */
public final class SparkDateTimePattern {
  private SparkDateTimePattern() {}

  /**
   * The strftime format that prints values as the pattern does.
   *
   * @throws PlannerException naming what the engine cannot format
   */
  public static String toStrftime(String pattern) {
    try {
      return translate(pattern, false);
    } catch (IllegalArgumentException e) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT,
          "the date-time pattern '"
              + pattern
              + "' has "
              + e.getMessage()
              + ", which Aquifer cannot format");
    }
  }

  /**
   * The strptime format that reads text written in the pattern: {@code y} years, {@code M}/{@code
   * L} months (number, {@code MMM} short and {@code MMMM} full names), {@code d} day, {@code D} day
   * of year, {@code H}/{@code h} hours, {@code m} minutes, {@code s} seconds, {@code S} fractions
   * (up to 3 as milliseconds, 6 as microseconds, 9 as nanoseconds), {@code a} AM/PM, {@code E} day
   * names, {@code X}/{@code x}/{@code Z} offsets, {@code z} zone names, {@code 'text'} literals.
   * Optional sections are refused.
   *
   * @throws IllegalArgumentException saying what the engine cannot parse
   */
  public static String toStrptime(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("the pattern is empty");
    }
    return translate(pattern, true);
  }

  private static String translate(String pattern, boolean parsing) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        int end = pattern.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException(
              parsing
                  ? "the quote at position " + (i + 1) + " is not closed"
                  : "an unclosed quote");
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
        if (parsing && (c == '[' || c == ']' || c == '{' || c == '}' || c == '#')) {
          throw new IllegalArgumentException(
              "'" + c + "' (optional sections and reserved characters) is not supported");
        }
        out.append(c == '%' ? "%%" : String.valueOf(c));
        i++;
        continue;
      }
      int run = 1;
      while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
        run++;
      }
      out.append(parsing ? parseLetter(c, run) : formatLetter(c, run));
      i += run;
    }
    return out.toString();
  }

  private static String formatLetter(char c, int run) {
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
      default -> throw new IllegalArgumentException("the letter '" + c + "'");
    };
  }

  /** Parsing accepts unpadded numbers with the padded directives, and refuses longer runs. */
  private static String parseLetter(char c, int run) {
    String letters = String.valueOf(c).repeat(run);
    return switch (c) {
      case 'y' -> run == 2 ? "%y" : "%Y";
      case 'M', 'L' -> run <= 2 ? "%m" : run == 3 ? "%b" : "%B";
      case 'd' -> run <= 2 ? "%d" : unsupported(letters);
      case 'D' -> run <= 3 ? "%j" : unsupported(letters);
      case 'H' -> run <= 2 ? "%H" : unsupported(letters);
      case 'h' -> run <= 2 ? "%I" : unsupported(letters);
      case 'm' -> run <= 2 ? "%M" : unsupported(letters);
      case 's' -> run <= 2 ? "%S" : unsupported(letters);
      case 'S' -> run <= 3 ? "%g" : run <= 6 ? "%f" : run <= 9 ? "%n" : unsupported(letters);
      case 'a' -> run == 1 ? "%p" : unsupported(letters);
      case 'E' -> run <= 3 ? "%a" : "%A";
      case 'X', 'x', 'Z' -> "%z";
      case 'z' -> "%Z";
      default -> unsupported(letters);
    };
  }

  private static String unsupported(String letters) {
    throw new IllegalArgumentException("the pattern letters '" + letters + "' are not supported");
  }
}
