package io.aquifer.gateway;

import java.util.regex.Pattern;

/**
 * JDBC metadata patterns: {@code %} any run, {@code _} one character, {@code \} escapes. The
 * pattern is capped in length and built so that it cannot backtrack (see {@link WildcardPattern}).
 */
final class SqlLikePattern {
  private SqlLikePattern() {}

  static Pattern compile(String like) {
    return WildcardPattern.sqlLike(like).toRegex();
  }
}
