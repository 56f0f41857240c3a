package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/**
 * Databricks' SET statements: {@code SET TIME ZONE LOCAL | 'zone' | INTERVAL ...}, {@code SET key =
 * value}, {@code SET key} and {@code SET}. What a setting means is the gateway's business.
 */
final class SetStatementParser {
  /** Databricks' bound for a zone offset: 18 hours either way. */
  static final int MAX_OFFSET_SECONDS = 18 * 3600;

  private SetStatementParser() {}

  static ParsedStatement set(TokenCursor c) {
    Token set = c.next();
    if (c.peek().is("TIME") && c.peek(1).is("ZONE")) {
      c.next();
      c.next();
      return timeZone(c);
    }
    if (c.atEnd()) {
      return new ParsedStatement.SetConfig(Optional.empty(), Optional.empty());
    }
    String sql = c.sql();
    String rest = StatementParser.blankBefore(sql, set.end()).substring(set.end());
    int equals = rest.indexOf('=');
    String key = (equals < 0 ? rest : rest.substring(0, equals)).trim();
    if (key.length() > 1 && key.startsWith("`") && key.endsWith("`")) {
      key = key.substring(1, key.length() - 1);
    }
    if (key.isEmpty() || key.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '\'')) {
      throw ParseErrors.at(
          sql,
          c.peek().start(),
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          "SET takes a setting name, optionally followed by = value");
    }
    if (equals < 0) {
      return new ParsedStatement.SetConfig(Optional.of(key), Optional.empty());
    }
    String value = rest.substring(equals + 1).trim();
    if (value.length() > 1
        && (value.startsWith("'") && value.endsWith("'")
            || value.startsWith("\"") && value.endsWith("\""))) {
      value = value.substring(1, value.length() - 1);
    }
    return new ParsedStatement.SetConfig(Optional.of(key), Optional.of(value));
  }

  private static ParsedStatement timeZone(TokenCursor c) {
    if (c.accept("LOCAL")) {
      c.expectEnd();
      return new ParsedStatement.SetTimeZone(Optional.empty());
    }
    if (c.peek().kind() == Token.Kind.STRING) {
      String zone = c.stringLiteral();
      c.expectEnd();
      return new ParsedStatement.SetTimeZone(Optional.of(zone));
    }
    if (c.accept("INTERVAL")) {
      Token start = c.peek();
      long seconds = interval(c);
      c.expectEnd();
      if (Math.abs(seconds) > MAX_OFFSET_SECONDS) {
        throw ParseErrors.at(
            c.sql(),
            start.start(),
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "the time zone offset must be from -18:00 to +18:00 hours");
      }
      return new ParsedStatement.SetTimeZone(Optional.of(offset(seconds)));
    }
    throw c.error("expected LOCAL, a time zone string or INTERVAL after SET TIME ZONE");
  }

  /**
   * {@code INTERVAL '+05:30' HOUR TO MINUTE}, {@code '-08:00:00' HOUR TO SECOND}, {@code '5' HOUR}
   * or {@code [-]n HOUR[S] [n MINUTE[S]] [n SECOND[S]]}; its length in seconds.
   */
  private static long interval(TokenCursor c) {
    if (c.peek().kind() == Token.Kind.STRING) {
      Token text = c.peek();
      String value = c.stringLiteral().trim();
      String unit = unit(c);
      if (c.accept("TO")) {
        unit = unit + " TO " + unit(c);
      }
      int sign = 1;
      if (value.startsWith("-") || value.startsWith("+")) {
        sign = value.startsWith("-") ? -1 : 1;
        value = value.substring(1);
      }
      String[] parts = value.split(":", -1);
      int expected =
          switch (unit) {
            case "HOUR", "MINUTE", "SECOND" -> 1;
            case "HOUR TO MINUTE", "MINUTE TO SECOND" -> 2;
            case "HOUR TO SECOND" -> 3;
            default -> -1;
          };
      if (expected != parts.length) {
        throw ParseErrors.at(
            c.sql(),
            text.start(),
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "interval '" + text.text() + "' does not match " + unit);
      }
      long[] scale =
          switch (unit) {
            case "HOUR" -> new long[] {3600};
            case "MINUTE" -> new long[] {60};
            case "SECOND" -> new long[] {1};
            case "HOUR TO MINUTE" -> new long[] {3600, 60};
            case "MINUTE TO SECOND" -> new long[] {60, 1};
            default -> new long[] {3600, 60, 1};
          };
      long seconds = 0;
      for (int i = 0; i < parts.length; i++) {
        try {
          seconds += Long.parseLong(parts[i].trim()) * scale[i];
        } catch (NumberFormatException e) {
          throw ParseErrors.at(
              c.sql(),
              text.start(),
              PlannerErrorCode.PARSE_SYNTAX_ERROR,
              "interval '" + text.text() + "' does not match " + unit);
        }
      }
      return sign * seconds;
    }
    long seconds = 0;
    boolean any = false;
    while (!c.atEnd()) {
      int sign = c.acceptSymbol("-") ? -1 : 1;
      Token number = c.peek();
      if (number.kind() != Token.Kind.NUMBER) {
        throw c.error("expected a number of hours, minutes or seconds");
      }
      c.next();
      BigDecimal amount;
      try {
        amount = new BigDecimal(number.text().replaceAll("[^0-9.]", ""));
      } catch (NumberFormatException e) {
        throw c.error("expected a number of hours, minutes or seconds");
      }
      long scale =
          switch (unit(c)) {
            case "HOUR" -> 3600;
            case "MINUTE" -> 60;
            default -> 1;
          };
      seconds += sign * amount.multiply(BigDecimal.valueOf(scale)).longValue();
      any = true;
    }
    if (!any) {
      throw c.error("expected an interval");
    }
    return seconds;
  }

  private static String unit(TokenCursor c) {
    Token t = c.peek();
    String word = t.kind() == Token.Kind.WORD ? t.upper() : "";
    String unit =
        switch (word) {
          case "HOUR", "HOURS" -> "HOUR";
          case "MINUTE", "MINUTES" -> "MINUTE";
          case "SECOND", "SECONDS" -> "SECOND";
          default -> null;
        };
    if (unit == null) {
      throw c.error("expected HOUR, MINUTE or SECOND");
    }
    c.next();
    return unit;
  }

  /** {@code +05:30}, {@code -08:00}, {@code +05:30:15}. */
  static String offset(long seconds) {
    long abs = Math.abs(seconds);
    String text =
        String.format(
            Locale.ROOT, "%s%02d:%02d", seconds < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
    return abs % 60 == 0 ? text : text + String.format(Locale.ROOT, ":%02d", abs % 60);
  }
}
