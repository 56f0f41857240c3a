package io.aquifer.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LambdaParameterNamesTest {
  @Test
  void reservedParameterNamesAreQuotedInTheLambdaOnly() {
    assertEquals(
        "SELECT array_sort(a, (`left`, `right`) -> `left` - `right`), b LEFT JOIN c",
        LambdaParameterNames.quote(
            "SELECT array_sort(a, (left, right) -> left - right), b LEFT JOIN c"));
    assertEquals(
        "SELECT transform(a, `left` -> f(`left`, 1)), 2",
        LambdaParameterNames.quote("SELECT transform(a, left -> f(left, 1)), 2"));
  }

  @Test
  void otherTextIsUnchanged() {
    String plain = "SELECT transform(a, (x, i) -> x + i) FROM t LEFT JOIN u ON t.k = u.k";
    assertEquals(plain, LambdaParameterNames.quote(plain));
    String noLambda = "SELECT a - >b, 'left -> right' FROM t";
    assertEquals(noLambda, LambdaParameterNames.quote(noLambda));
  }
}
