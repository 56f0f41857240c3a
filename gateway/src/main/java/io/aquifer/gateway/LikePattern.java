package io.aquifer.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC metadata pattern: {@code %} any run, {@code _} one character, {@code \} escapes the next
 * character. Matched without regard to case, as catalog names are. Null matches everything.
 *
 * <p>No regular expression: the pattern is cut at each {@code %} into segments; the first must
 * match at the start, the last at the end, and the others, in order, at their leftmost place in
 * between. That takes at most (name length × pattern length) character comparisons, with no
 * backtracking, and patterns are capped at {@link #MAX_LENGTH} characters.
 */
public final class LikePattern {
  public static final int MAX_LENGTH = 1024;
  private static final LikePattern ALL = new LikePattern(null);

  /** Segments between {@code %}s; null for the pattern that matches everything. */
  private final List<Segment> segments;

  private LikePattern(List<Segment> segments) {
    this.segments = segments;
  }

  /**
   * @throws GatewayException INVALID_PATTERN if longer than {@link #MAX_LENGTH}
   */
  public static LikePattern of(String like) {
    if (like == null) {
      return ALL;
    }
    if (like.length() > MAX_LENGTH) {
      throw GatewayErrorCode.INVALID_PATTERN.exception(
          "a name pattern may be at most " + MAX_LENGTH + " characters; got " + like.length());
    }
    List<Segment> segments = new ArrayList<>();
    StringBuilder chars = new StringBuilder();
    List<Boolean> any = new ArrayList<>();
    for (int i = 0; i < like.length(); i++) {
      char c = like.charAt(i);
      if (c == '\\' && i + 1 < like.length()) {
        chars.append(like.charAt(++i));
        any.add(false);
      } else if (c == '%') {
        segments.add(Segment.of(chars, any));
        chars.setLength(0);
        any.clear();
      } else {
        chars.append(c);
        any.add(c == '_');
      }
    }
    segments.add(Segment.of(chars, any));
    return new LikePattern(List.copyOf(segments));
  }

  public boolean matches(String name) {
    if (segments == null) {
      return true;
    }
    int n = name.length();
    Segment first = segments.get(0);
    if (segments.size() == 1) {
      return n == first.length() && first.matchesAt(name, 0);
    }
    Segment last = segments.get(segments.size() - 1);
    if (n < first.length() + last.length()
        || !first.matchesAt(name, 0)
        || !last.matchesAt(name, n - last.length())) {
      return false;
    }
    int position = first.length();
    int end = n - last.length();
    for (int i = 1; i < segments.size() - 1; i++) {
      Segment middle = segments.get(i);
      int found = middle.find(name, position, end);
      if (found < 0) {
        return false;
      }
      position = found + middle.length();
    }
    return true;
  }

  /** Literal characters and {@code _} wildcards, without {@code %}. */
  private record Segment(char[] chars, boolean[] any) {
    static Segment of(CharSequence chars, List<Boolean> any) {
      boolean[] wildcard = new boolean[any.size()];
      for (int i = 0; i < wildcard.length; i++) {
        wildcard[i] = any.get(i);
      }
      return new Segment(chars.toString().toCharArray(), wildcard);
    }

    int length() {
      return chars.length;
    }

    boolean matchesAt(String name, int start) {
      for (int i = 0; i < chars.length; i++) {
        if (!any[i] && !sameIgnoringCase(chars[i], name.charAt(start + i))) {
          return false;
        }
      }
      return true;
    }

    /** The leftmost start in [from, end - length] where this matches; -1 if none. */
    int find(String name, int from, int end) {
      for (int start = from; start + chars.length <= end; start++) {
        if (matchesAt(name, start)) {
          return start;
        }
      }
      return -1;
    }

    private static boolean sameIgnoringCase(char a, char b) {
      return a == b
          || Character.toUpperCase(a) == Character.toUpperCase(b)
          || Character.toLowerCase(a) == Character.toLowerCase(b);
    }
  }
}
