package io.aquifer.conformance.functions;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders what the Arrow Flight SQL JDBC driver returns the way the example file renders Spark's
 * values (its README: Spark's {@code show()} cell text), and compares a rendered value with an
 * expected one: text equal, or equal after reading each number (exactly, or to 1e-9 relative for
 * floating point). Timestamps are rendered as instants in UTC, the examples' session time zone.
 */
final class SparkRendering {
  static final double RELATIVE_TOLERANCE = 1e-9;

  private SparkRendering() {}

  /** A value, as Spark would show it for a column of type {@code sparkType} (null: unknown). */
  static String render(Object value, String sparkType) throws SQLException {
    if (value == null) {
      return "NULL";
    }
    String type = sparkType == null ? "" : sparkType.strip();
    if (value instanceof Array array) {
      return render(array.getArray(), type);
    }
    if (value instanceof Object[] items) {
      return render(java.util.Arrays.asList(items), type);
    }
    if (value instanceof List<?> list) {
      if (type.startsWith("map<") || (type.isEmpty() && isMapEntries(list))) {
        List<String> types = typeArguments(type, "map<");
        List<String> entries = new ArrayList<>();
        for (Object entry : list) {
          Map<?, ?> e = (Map<?, ?>) entry;
          entries.add(
              render(e.get("key"), element(types, 0))
                  + " -> "
                  + render(e.get("value"), element(types, 1)));
        }
        return "{" + String.join(", ", entries) + "}";
      }
      List<String> types = typeArguments(type, "array<");
      List<String> items = new ArrayList<>();
      for (Object item : list) {
        items.add(render(item, element(types, 0)));
      }
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof Map<?, ?> map) {
      if (type.startsWith("map<")) {
        List<String> types = typeArguments(type, "map<");
        List<String> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          entries.add(
              render(e.getKey(), element(types, 0))
                  + " -> "
                  + render(e.getValue(), element(types, 1)));
        }
        return "{" + String.join(", ", entries) + "}";
      }
      List<String> fieldTypes = structFieldTypes(type);
      List<String> fields = new ArrayList<>();
      int i = 0;
      for (Object field : map.values()) {
        fields.add(render(field, element(fieldTypes, i++)));
      }
      return "{" + String.join(", ", fields) + "}";
    }
    if (type.startsWith("array<interval ")
        && value instanceof String text
        && text.startsWith("[")) {
      // The driver gives an array of month-day-nanosecond intervals as its JSON text.
      String element = type.substring("array<".length(), type.length() - 1);
      List<String> items = new ArrayList<>();
      java.util.regex.Matcher m = Pattern.compile("\\{[^{}]*\\}|null").matcher(text);
      while (m.find()) {
        items.add(m.group().equals("null") ? "NULL" : render(m.group(), element));
      }
      return "[" + String.join(", ", items) + "]";
    }
    if (type.startsWith("interval ")) {
      String interval = interval(value, type);
      if (interval != null) {
        return interval;
      }
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Float f) {
      return Float.toString(f);
    }
    if (value instanceof Double d) {
      return Double.toString(d);
    }
    if (value instanceof byte[] bytes) {
      List<String> hex = new ArrayList<>();
      for (byte b : bytes) {
        hex.add(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
      return "[" + String.join(" ", hex) + "]";
    }
    if (value instanceof java.sql.Timestamp t) {
      return timestamp(LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC));
    }
    if (value instanceof LocalDateTime t) {
      return timestamp(t);
    }
    if (value instanceof OffsetDateTime t) {
      return timestamp(LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC));
    }
    if (value instanceof ZonedDateTime t) {
      return timestamp(LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC));
    }
    if (value instanceof Instant t) {
      return timestamp(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    return value.toString();
  }

  /**
   * An interval as Spark shows it ({@code INTERVAL '1-2' YEAR TO MONTH}, {@code INTERVAL '1
   * 12:30:01.001001' DAY TO SECOND}), from the driver's value: a {@link java.time.Period}, a
   * month-day-nanosecond value (Arrow's PeriodDuration, read by its accessors), or their JSON or
   * ISO text; null when the value is none of these.
   */
  static String interval(Object value, String type) {
    java.time.Period period = null;
    java.time.Duration duration = java.time.Duration.ZERO;
    if (value instanceof java.time.Period p) {
      period = p;
    } else if (value instanceof java.time.Duration d) {
      period = java.time.Period.ZERO;
      duration = d;
    } else if (value instanceof Map<?, ?> m && m.containsKey("period")) {
      period = java.time.Period.parse(String.valueOf(m.get("period")));
      duration =
          java.time.Duration.ofNanos(
              new BigDecimal(String.valueOf(m.get("duration"))).movePointRight(9).longValueExact());
    } else if (value instanceof String text && text.startsWith("{")) {
      java.util.regex.Matcher m =
          Pattern.compile("\"period\":\"([^\"]*)\",\"duration\":([-0-9.]+)").matcher(text);
      if (!m.find()) {
        return null;
      }
      period = java.time.Period.parse(m.group(1));
      duration =
          java.time.Duration.ofNanos(new BigDecimal(m.group(2)).movePointRight(9).longValueExact());
    } else if (value instanceof String text && text.matches("P\\S* PT\\S*")) {
      // Arrow's month-day-nanosecond text: P1M2D PT3.5S
      period = java.time.Period.parse(text.substring(0, text.indexOf(' ')));
      duration = java.time.Duration.parse(text.substring(text.indexOf(' ') + 1));
    } else if (value instanceof String text && text.matches("-?P.*")) {
      // ISO 8601: P1Y2M3D, PT36H30M1.5S or both, P1DT12H
      int t = text.indexOf('T');
      String date = t < 0 ? text : text.substring(0, t);
      period = date.matches("-?P") ? java.time.Period.ZERO : java.time.Period.parse(date);
      if (t >= 0) {
        duration =
            java.time.Duration.parse((text.startsWith("-") ? "-" : "") + "P" + text.substring(t));
      }
    } else {
      try {
        Object p = value.getClass().getMethod("getPeriod").invoke(value);
        Object d = value.getClass().getMethod("getDuration").invoke(value);
        period = (java.time.Period) p;
        duration = (java.time.Duration) d;
      } catch (ReflectiveOperationException | ClassCastException notAnInterval) {
        return null;
      }
    }
    String fields = type.substring("interval ".length()).toUpperCase(Locale.ROOT);
    if (fields.startsWith("YEAR") || fields.startsWith("MONTH")) {
      long months = period.toTotalMonths();
      String sign = months < 0 ? "-" : "";
      long abs = Math.abs(months);
      String text =
          switch (fields) {
            case "YEAR" -> sign + abs / 12;
            case "MONTH" -> sign + abs;
            default -> sign + abs / 12 + "-" + abs % 12;
          };
      return "INTERVAL '" + text + "' " + fields;
    }
    long micros =
        (period.toTotalMonths() * 30 + period.getDays()) * 86_400_000_000L
            + duration.toNanos() / 1000;
    String sign = micros < 0 ? "-" : "";
    long rest = Math.abs(micros);
    String start = fields.split(" ")[0];
    String end = fields.contains(" TO ") ? fields.substring(fields.lastIndexOf(' ') + 1) : start;
    List<String> units = List.of("DAY", "HOUR", "MINUTE", "SECOND");
    long[] perUnit = {86_400_000_000L, 3_600_000_000L, 60_000_000L, 1_000_000L};
    StringBuilder text = new StringBuilder(sign);
    int from = units.indexOf(start);
    int to = units.indexOf(end);
    for (int u = from; u <= to; u++) {
      long amount = u == from ? rest / perUnit[u] : rest / perUnit[u];
      if (u > from) {
        text.append(u == 1 ? " " : ":");
      }
      if (u == 3) {
        BigDecimal seconds = BigDecimal.valueOf(rest, 6).stripTrailingZeros();
        String plain =
            seconds.scale() < 0 ? seconds.setScale(0).toPlainString() : seconds.toPlainString();
        text.append(rest < 10_000_000L ? "0" : "").append(plain);
        rest = 0;
      } else {
        text.append(
            u == from && u == 0
                ? Long.toString(amount)
                : String.format(Locale.ROOT, "%02d", amount));
        rest -= amount * perUnit[u];
      }
    }
    return "INTERVAL '" + text + "' " + fields;
  }

  /** {@code yyyy-MM-dd HH:mm:ss} plus up to 6 fraction digits without trailing zeros. */
  static String timestamp(LocalDateTime t) {
    String text =
        String.format(
            Locale.ROOT,
            "%04d-%02d-%02d %02d:%02d:%02d",
            t.getYear(),
            t.getMonthValue(),
            t.getDayOfMonth(),
            t.getHour(),
            t.getMinute(),
            t.getSecond());
    int micros = t.getNano() / 1000;
    if (micros != 0) {
      String fraction = String.format(Locale.ROOT, "%06d", micros).replaceAll("0+$", "");
      text += "." + fraction;
    }
    return text;
  }

  /**
   * A rendered collection or concatenation with its parts in a canonical order: the elements of an
   * array, or the characters of a string.
   */
  static String unordered(String rendered) {
    if (rendered.startsWith("[") && rendered.endsWith("]")) {
      List<String> items =
          new ArrayList<>(List.of(rendered.substring(1, rendered.length() - 1).split(", ", -1)));
      items.sort(null);
      return "[" + String.join(", ", items) + "]";
    }
    char[] chars = rendered.toCharArray();
    java.util.Arrays.sort(chars);
    return new String(chars);
  }

  private static boolean isMapEntries(List<?> list) {
    return !list.isEmpty()
        && list.stream()
            .allMatch(
                o ->
                    o instanceof Map<?, ?> m
                        && m.size() == 2
                        && m.containsKey("key")
                        && m.containsKey("value"));
  }

  private static String element(List<String> types, int i) {
    return i < types.size() ? types.get(i) : null;
  }

  /** The type arguments of {@code array<T>} or {@code map<K,V>}, split at top-level commas. */
  private static List<String> typeArguments(String type, String prefix) {
    if (!type.startsWith(prefix) || !type.endsWith(">")) {
      return List.of();
    }
    return splitTopLevel(type.substring(prefix.length(), type.length() - 1));
  }

  private static List<String> structFieldTypes(String type) {
    List<String> types = new ArrayList<>();
    for (String field : typeArguments(type, "struct<")) {
      int colon = field.indexOf(':');
      types.add(colon < 0 ? null : field.substring(colon + 1));
    }
    return types;
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '<' || c == '(') {
        depth++;
      } else if (c == '>' || c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i).strip());
        start = i + 1;
      }
    }
    parts.add(text.substring(start).strip());
    return parts;
  }

  private static final Pattern TOKENS = Pattern.compile("(?<=[\\[\\]{},])|(?=[\\[\\]{},])|, | -> ");

  /**
   * Whether a rendered value equals the expected text: the same text, or the same structure whose
   * numbers are equal (exact numbers by value, so {@code 1.50} equals {@code 1.5}; floating point
   * to {@value #RELATIVE_TOLERANCE} relative).
   */
  static boolean matches(String expected, String actual) {
    if (expected.equals(actual)) {
      return true;
    }
    String[] want = TOKENS.split(expected, -1);
    String[] got = TOKENS.split(actual, -1);
    if (want.length != got.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (!want[i].equals(got[i]) && !numbersEqual(want[i], got[i])) {
        return false;
      }
    }
    return true;
  }

  static boolean numbersEqual(String expected, String actual) {
    BigDecimal a = decimal(expected);
    BigDecimal b = decimal(actual);
    if (a != null && b != null) {
      if (a.compareTo(b) == 0) {
        return true;
      }
      boolean floating = isFloating(expected) || isFloating(actual);
      if (!floating) {
        return false;
      }
      double x = a.doubleValue();
      double y = b.doubleValue();
      return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }
    return special(expected) != null && special(expected).equals(special(actual));
  }

  private static boolean isFloating(String text) {
    return text.contains("E") || text.contains("e") || text.contains(".");
  }

  private static BigDecimal decimal(String text) {
    if (text.isEmpty() || !(Character.isDigit(text.charAt(text.length() - 1)))) {
      return null;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Double special(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> null;
    };
  }
}
