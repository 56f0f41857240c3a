package io.aquifer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WildcardPatternTest {
  @Test
  void wildcardsEscapesAndCase() {
    assertTrue(WildcardPattern.sqlLike(null).matches("anything"));
    assertTrue(WildcardPattern.sqlLike("%").matches(""));
    assertTrue(WildcardPattern.sqlLike("ORD%").matches("orders"));
    assertTrue(WildcardPattern.sqlLike("o_ders").matches("Orders"));
    assertFalse(WildcardPattern.sqlLike("o_ders").matches("oders"));
    assertTrue(WildcardPattern.sqlLike("%der%").matches("orders"));
    assertTrue(WildcardPattern.sqlLike("a%b%c").matches("aXbYc"));
    assertTrue(WildcardPattern.sqlLike("a%b%c").matches("abc"));
    assertFalse(WildcardPattern.sqlLike("a%b%c").matches("acb"));
    assertFalse(
        WildcardPattern.sqlLike("ab%ba").matches("aba"), "prefix and suffix must not overlap");
    assertTrue(WildcardPattern.sqlLike("line\\_item").matches("line_item"));
    assertFalse(WildcardPattern.sqlLike("line\\_item").matches("lineXitem"));
    assertTrue(WildcardPattern.sqlLike("100\\%").matches("100%"));
    assertFalse(WildcardPattern.sqlLike("100\\%").matches("1000"));
    assertTrue(WildcardPattern.sqlLike("").matches(""));
    assertFalse(WildcardPattern.sqlLike("").matches("x"));
  }

  @Test
  void patternsThatWouldMakeABacktrackingRegexExplodeAnswerAtOnce() {
    String name = "a".repeat(100_000) + "b";
    assertFalse(WildcardPattern.sqlLike("%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%c").matches(name));
    assertTrue(WildcardPattern.sqlLike("%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b").matches(name));
  }

  @Test
  void longPatternsAreRefused() {
    GatewayException e =
        assertThrows(
            GatewayException.class,
            () -> WildcardPattern.sqlLike("x".repeat(WildcardPattern.MAX_LENGTH + 1)));
    assertEquals("INVALID_PATTERN", e.errorClass());
  }

  @Test
  void showPatternsTakeStarsAndAlternatives() {
    assertTrue(WildcardPattern.showPattern("ord*").matches("Orders"));
    assertTrue(WildcardPattern.showPattern("x | line*").matches("lineitem"));
    assertFalse(WildcardPattern.showPattern("x|line").matches("lineitem"));
    assertTrue(WildcardPattern.showPattern("a_b").matches("a-b"));
  }
}
