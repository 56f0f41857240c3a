package io.aquifer.avatica;

import java.util.regex.Pattern;

/**
 * A JDBC metadata pattern ({@code %} any run, {@code _} one character, {@code \} escapes), matched
 * without regard to case as the gateway matches schema and table patterns. Null matches all.
 */
final class LikePattern {
  private final Pattern pattern;

  private LikePattern(Pattern pattern) {
    this.pattern = pattern;
  }

  static LikePattern of(String like) {
    if (like == null) {
      return new LikePattern(null);
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < like.length(); i++) {
      char c = like.charAt(i);
      if (c == '\\' && i + 1 < like.length()) {
        regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new LikePattern(
        Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
  }

  boolean matches(String name) {
    return pattern == null || pattern.matcher(name).matches();
  }
}
