package io.aquifer.gateway.execution;

/**
 * Spark's datetime patterns (as {@code dateFormat} and {@code timestampFormat} take them) as the
 * engine's {@code strptime} formats. Letters the engine cannot parse are refused rather than read
 * differently.
 */
final class SparkDatetimePatterns {
  private SparkDatetimePatterns() {}

  /**
   * The strptime format of a Spark pattern: {@code y} years, {@code M}/{@code L} months (number,
   * {@code MMM} short and {@code MMMM} full names), {@code d} day, {@code D} day of year, {@code
   * H}/{@code h} hours, {@code m} minutes, {@code s} seconds, {@code S} fractions (up to 3 as
   * milliseconds, 6 as microseconds, 9 as nanoseconds), {@code a} AM/PM, {@code E} day names,
   * {@code X}/{@code x}/{@code Z} offsets, {@code z} zone names, {@code 'text'} literals.
   *
   * @throws IllegalArgumentException naming the letter the engine has no equivalent for
   */
  static String toStrptime(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("the pattern is empty");
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        int end = pattern.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("the quote at position " + (i + 1) + " is not closed");
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
        if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#') {
          throw new IllegalArgumentException(
              "'" + c + "' (optional sections and reserved characters) is not supported");
        }
        out.append(c == '%' ? "%%" : String.valueOf(c));
        i++;
        continue;
      }
      int n = 1;
      while (i + n < pattern.length() && pattern.charAt(i + n) == c) {
        n++;
      }
      out.append(letter(c, n));
      i += n;
    }
    return out.toString();
  }

  private static String letter(char c, int n) {
    String run = String.valueOf(c).repeat(n);
    return switch (c) {
      case 'y' -> n == 2 ? "%y" : "%Y";
      case 'M', 'L' -> n <= 2 ? "%m" : n == 3 ? "%b" : "%B";
      case 'd' -> n <= 2 ? "%d" : unsupported(run);
      case 'D' -> n <= 3 ? "%j" : unsupported(run);
      case 'H' -> n <= 2 ? "%H" : unsupported(run);
      case 'h' -> n <= 2 ? "%I" : unsupported(run);
      case 'm' -> n <= 2 ? "%M" : unsupported(run);
      case 's' -> n <= 2 ? "%S" : unsupported(run);
      case 'S' -> n <= 3 ? "%g" : n <= 6 ? "%f" : n <= 9 ? "%n" : unsupported(run);
      case 'a' -> n == 1 ? "%p" : unsupported(run);
      case 'E' -> n <= 3 ? "%a" : "%A";
      case 'X', 'x', 'Z' -> "%z";
      case 'z' -> "%Z";
      default -> unsupported(run);
    };
  }

  private static String unsupported(String run) {
    throw new IllegalArgumentException("the pattern letters '" + run + "' are not supported");
  }
}
