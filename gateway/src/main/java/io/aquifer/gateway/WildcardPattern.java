package io.aquifer.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * A name pattern with wildcards, matched without regard to case and without a backtracking regex:
 * JDBC metadata patterns ({@link #sqlLike}) and the patterns of Databricks' SHOW statements ({@link
 * #showPattern}).
 *
 * <p>A pattern is split at its any-run wildcards into segments of fixed length (literal characters
 * and any-one wildcards). A name matches when the first segment matches its start, the last its
 * end, and the segments between occur in order in the rest; taking each middle segment at its
 * leftmost occurrence is never worse than any other choice, so one pass decides. Time is at most
 * the name's length times the pattern's, whatever the pattern ({@code %a%a%a%a%b} included), and
 * patterns are capped at {@value #MAX_LENGTH} characters.
 */
public final class WildcardPattern {
  public static final int MAX_LENGTH = 1_000;

  private static final char ANY_ONE = '\uFFFF';

  private final List<Alternative> alternatives;

  private WildcardPattern(List<Alternative> alternatives) {
    this.alternatives = List.copyOf(alternatives);
  }

  private static final WildcardPattern ALL =
      new WildcardPattern(List.of(new Alternative(List.of("", ""))));

  /**
   * JDBC metadata pattern: {@code %} any run, {@code _} one character, {@code \} escapes; null
   * matches every name.
   */
  public static WildcardPattern sqlLike(String like) {
    if (like == null) {
      return ALL;
    }
    checkLength(like);
    return new WildcardPattern(List.of(parse(like, true, false)));
  }

  /**
   * Databricks SHOW ... LIKE pattern: {@code *} (and {@code %}) any run, {@code _} one character,
   * {@code |} separates alternatives, which are trimmed.
   */
  public static WildcardPattern showPattern(String pattern) {
    checkLength(pattern);
    List<Alternative> alternatives = new ArrayList<>();
    for (String alternative : pattern.split("\\|", -1)) {
      alternatives.add(parse(alternative.trim(), false, true));
    }
    return new WildcardPattern(alternatives);
  }

  public boolean matches(String name) {
    for (Alternative a : alternatives) {
      if (a.matches(name)) {
        return true;
      }
    }
    return false;
  }

  private static void checkLength(String pattern) {
    if (pattern.length() > MAX_LENGTH) {
      throw GatewayErrorCode.INVALID_PATTERN.exception(
          "name patterns have at most "
              + MAX_LENGTH
              + " characters; this one has "
              + pattern.length());
    }
  }

  private static Alternative parse(String pattern, boolean backslashEscapes, boolean starIsAny) {
    List<String> segments = new ArrayList<>();
    StringBuilder segment = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (backslashEscapes && c == '\\' && i + 1 < pattern.length()) {
        segment.append(pattern.charAt(++i));
      } else if (c == '%' || (starIsAny && c == '*')) {
        segments.add(segment.toString());
        segment.setLength(0);
      } else if (c == '_') {
        segment.append(ANY_ONE);
      } else {
        segment.append(c);
      }
    }
    segments.add(segment.toString());
    return new Alternative(segments);
  }

  /** Segments between any-run wildcards; one segment means no any-run at all. */
  private record Alternative(List<String> segments) {
    boolean matches(String name) {
      String first = segments.get(0);
      if (segments.size() == 1) {
        return name.length() == first.length() && matchesAt(first, name, 0);
      }
      String last = segments.get(segments.size() - 1);
      int end = name.length() - last.length();
      if (end < first.length() || !matchesAt(first, name, 0) || !matchesAt(last, name, end)) {
        return false;
      }
      int position = first.length();
      for (int s = 1; s < segments.size() - 1; s++) {
        String segment = segments.get(s);
        int found = -1;
        for (int p = position; p + segment.length() <= end; p++) {
          if (matchesAt(segment, name, p)) {
            found = p;
            break;
          }
        }
        if (found < 0) {
          return false;
        }
        position = found + segment.length();
      }
      return true;
    }

    private static boolean matchesAt(String segment, String name, int offset) {
      for (int i = 0; i < segment.length(); i++) {
        char p = segment.charAt(i);
        char c = name.charAt(offset + i);
        if (p != ANY_ONE
            && p != c
            && Character.toUpperCase(p) != Character.toUpperCase(c)
            && Character.toLowerCase(p) != Character.toLowerCase(c)) {
          return false;
        }
      }
      return true;
    }
  }
}
