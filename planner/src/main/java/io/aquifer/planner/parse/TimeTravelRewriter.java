package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Folds Delta time travel into the table name so that Calcite's parser accepts it: {@code t VERSION
 * AS OF 3} and {@code t@v3} become {@code `t@v3`}, and {@code t TIMESTAMP AS OF '2024-01-01
 * 10:00:00'} becomes {@code `t@ts<epoch millis>`}. The replacement is padded with spaces to the
 * original length, so error positions still match the user's text.
 */
public final class TimeTravelRewriter {
  /** Separator between a table name and its time-travel suffix. */
  public static final char MARKER = '@';

  private TimeTravelRewriter() {}

  public static String rewrite(String sql) {
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    StringBuilder out = new StringBuilder(sql);
    for (int i = 0; i < tokens.size(); i++) {
      Token name = tokens.get(i);
      if (name.kind() != Token.Kind.WORD && name.kind() != Token.Kind.QUOTED_IDENTIFIER) {
        continue;
      }
      String suffix = null;
      int endToken = -1;
      Token t1 = at(tokens, i + 1);
      if ((t1.is("VERSION") || t1.is("TIMESTAMP"))
          && at(tokens, i + 2).is("AS")
          && at(tokens, i + 3).is("OF")) {
        Token value = at(tokens, i + 4);
        if (t1.is("VERSION")) {
          if (value.kind() != Token.Kind.NUMBER || !value.text().matches("\\d+")) {
            throw ParseErrors.at(
                sql,
                value.start(),
                PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC,
                "VERSION AS OF needs a non-negative integer version");
          }
          suffix = "v" + value.text();
        } else {
          if (value.kind() != Token.Kind.STRING) {
            throw ParseErrors.at(
                sql,
                value.start(),
                PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC,
                "TIMESTAMP AS OF needs a timestamp literal such as '2024-01-31 12:00:00'");
          }
          suffix = "ts" + epochMillis(sql, value);
        }
        endToken = i + 4;
      } else if (t1.isSymbol("@")
          && at(tokens, i + 2).kind() == Token.Kind.WORD
          && at(tokens, i + 2).text().matches("[vV]\\d+")
          && t1.start() == name.end()) {
        suffix = "v" + at(tokens, i + 2).text().substring(1);
        endToken = i + 2;
      }
      if (suffix == null) {
        continue;
      }
      int start = name.start();
      int end = tokens.get(endToken).end();
      String replacement = "`" + name.text().replace("`", "``") + MARKER + suffix + "`";
      if (replacement.length() > end - start) {
        // Cannot happen for the forms above; keep the text longer rather than corrupt it.
        out.replace(start, end, replacement);
        return rewrite(out.toString());
      }
      out.replace(start, end, replacement + " ".repeat(end - start - replacement.length()));
      i = endToken;
    }
    return out.toString();
  }

  private static Token at(List<Token> tokens, int i) {
    return tokens.get(Math.min(i, tokens.size() - 1));
  }

  static long epochMillis(String sql, Token literal) {
    String text = literal.text().trim();
    try {
      if (text.length() <= 10) {
        return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ParseErrors.at(
          sql,
          literal.start(),
          PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC,
          "cannot read '" + text + "' as a timestamp (expected yyyy-MM-dd[ HH:mm:ss[.SSS]], UTC)");
    }
  }
}
