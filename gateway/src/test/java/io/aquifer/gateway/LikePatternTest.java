package io.aquifer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LikePatternTest {
  @Test
  void wildcardsEscapesAndCase() {
    assertTrue(LikePattern.of(null).matches("anything"));
    assertTrue(LikePattern.of("%").matches(""));
    assertTrue(LikePattern.of("ORD%").matches("orders"));
    assertTrue(LikePattern.of("o_ders").matches("Orders"));
    assertFalse(LikePattern.of("o_ders").matches("oders"));
    assertTrue(LikePattern.of("%der%").matches("orders"));
    assertTrue(LikePattern.of("a%b%c").matches("aXbYc"));
    assertTrue(LikePattern.of("a%b%c").matches("abc"));
    assertFalse(LikePattern.of("a%b%c").matches("acb"));
    assertFalse(LikePattern.of("ab%ba").matches("aba"), "prefix and suffix must not overlap");
    assertTrue(LikePattern.of("line\\_item").matches("line_item"));
    assertFalse(LikePattern.of("line\\_item").matches("lineXitem"));
    assertTrue(LikePattern.of("100\\%").matches("100%"));
    assertFalse(LikePattern.of("100\\%").matches("1000"));
    assertTrue(LikePattern.of("").matches(""));
    assertFalse(LikePattern.of("").matches("x"));
  }

  @Test
  void patternsThatWouldMakeABacktrackingRegexExplodeAnswerAtOnce() {
    String name = "a".repeat(100_000) + "b";
    assertFalse(LikePattern.of("%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%c").matches(name));
    assertTrue(LikePattern.of("%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b").matches(name));
  }

  @Test
  void longPatternsAreRefused() {
    GatewayException e =
        assertThrows(
            GatewayException.class, () -> LikePattern.of("x".repeat(LikePattern.MAX_LENGTH + 1)));
    assertEquals("INVALID_PATTERN", e.errorClass());
  }
}
