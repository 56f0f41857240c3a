package io.aquifer.planner.parse;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Databricks' timestamp names in Calcite's terms. In Databricks SQL {@code TIMESTAMP} is an instant
 * (Calcite's TIMESTAMP WITH LOCAL TIME ZONE, Aquifer's {@code TIMESTAMP_LTZ}) and {@code
 * TIMESTAMP_NTZ} a wall clock (Calcite's TIMESTAMP). So:
 *
 * <ul>
 *   <li>{@code TIMESTAMP '2024-05-01 10:00:00'} (and {@code TIMESTAMP_LTZ '...'}) becomes {@code
 *       CAST(TIMESTAMP '...' AS TIMESTAMP_LTZ)}: the engine reads the wall clock in the session
 *       time zone. A literal with an offset or zone ({@code '2024-05-01 10:00:00+02:00'}) becomes
 *       {@code CAST('...' AS TIMESTAMP_LTZ)}, which the engine reads with its own offset.
 *   <li>{@code TIMESTAMP_NTZ '...'} becomes Calcite's {@code TIMESTAMP '...'}.
 *   <li>The type name {@code TIMESTAMP} after {@code AS} or {@code ::} (a CAST) becomes {@code
 *       TIMESTAMP_LTZ}.
 * </ul>
 *
 * Only a literal rewrite changes the length of the text, so positions after such a literal in an
 * error message are off by the added characters.
 */
final class TimestampSyntaxRewriter {
  private static final DateTimeFormatter WALL_CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd[ HH:mm[:ss][.SSSSSS][.SSSSS][.SSSS][.SSS][.SS][.S]]");
  private static final Pattern PLAIN = Pattern.compile("\\d{4}-\\d{2}-\\d{2}( [0-9:.]+)?");
  private static final Set<String> NOT_A_CAST_TYPE = Set.of("WITH", "WITHOUT", "(");

  private TimestampSyntaxRewriter() {}

  static String rewrite(String sql) {
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    StringBuilder out = new StringBuilder(sql);
    for (int i = tokens.size() - 1; i >= 0; i--) {
      Token t = tokens.get(i);
      if (t.kind() != Token.Kind.WORD) {
        continue;
      }
      Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      boolean literal =
          next != null && next.kind() == Token.Kind.STRING && sql.charAt(next.start()) == '\'';
      if (literal && (t.is("TIMESTAMP") || t.is("TIMESTAMP_LTZ"))) {
        String quoted = sql.substring(next.start(), next.end());
        String cast =
            isWallClock(next.text())
                ? "CAST(TIMESTAMP " + quoted + " AS TIMESTAMP_LTZ)"
                : "CAST(" + quoted + " AS TIMESTAMP_LTZ)";
        out.replace(t.start(), next.end(), cast);
      } else if (literal && t.is("TIMESTAMP_NTZ")) {
        out.replace(t.start(), t.end(), "TIMESTAMP    ");
      } else if (t.is("TIMESTAMP")
          && i > 0
          && (tokens.get(i - 1).is("AS") || tokens.get(i - 1).isSymbol("::"))
          && (next == null
              || !(next.kind() == Token.Kind.WORD && NOT_A_CAST_TYPE.contains(next.upper())
                  || next.isSymbol("(")
                  || next.kind() == Token.Kind.STRING))) {
        out.replace(t.start(), t.end(), "TIMESTAMP_LTZ");
      }
    }
    return out.toString();
  }

  /** A date and time without an offset or zone, as Calcite's TIMESTAMP literal takes it. */
  private static boolean isWallClock(String text) {
    if (!PLAIN.matcher(text).matches()) {
      return false;
    }
    try {
      LocalDateTime.parse(text, WALL_CLOCK);
      return text.length() > 10;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
