package io.aquifer.planner.parse;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A lexical token of the user's SQL with its character range.
 *
 * @param text the token's value: identifier or keyword as written, quoted identifier and string
 *     literal without quotes and with escapes resolved
 */
public record Token(Kind kind, String text, int start, int end) {
  public enum Kind {
    WORD,
    QUOTED_IDENTIFIER,
    STRING,
    NUMBER,
    SYMBOL,
    END
  }

  public Token {
    requireNonNull(kind, "kind");
    requireNonNull(text, "text");
  }

  /** True for an unquoted word equal to the keyword, ignoring case. */
  public boolean is(String keyword) {
    return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
  }

  public boolean isSymbol(String symbol) {
    return kind == Kind.SYMBOL && text.equals(symbol);
  }

  public String upper() {
    return text.toUpperCase(Locale.ROOT);
  }
}
