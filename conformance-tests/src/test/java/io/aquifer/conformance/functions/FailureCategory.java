package io.aquifer.conformance.functions;

import java.util.Arrays;

/** Why an example failed, from the error's SQLSTATE or from the comparison of results. */
enum FailureCategory {
  /** The function (or an operator) is not known: UNRESOLVED_ROUTINE, 42883. */
  UNKNOWN_FUNCTION("unknown-function"),
  /** The statement does not parse: 42601. */
  SYNTAX("syntax"),
  /** The planner refused the arguments' types, or the statement: 42804, 42000, 0A000. */
  REFUSED("refused"),
  /** The statement failed while running, with a data error (22xxx) Spark did not raise. */
  RUNTIME_ERROR("runtime-error"),
  /** The engine failed (XX000 and anything else). */
  ENGINE_ERROR("engine-error"),
  /** The statement ran but its rows differ from Spark's. */
  WRONG_RESULT("wrong-result");

  private final String label;

  FailureCategory(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static FailureCategory fromLabel(String label) {
    return Arrays.stream(values())
        .filter(c -> c.label.equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown failure category " + label));
  }

  /** The category of an error a client saw, from the {@code SQLSTATE: xxxxx} in its message. */
  static FailureCategory ofError(String message) {
    String m = String.valueOf(message);
    int at = m.indexOf("SQLSTATE: ");
    String state = at < 0 ? "" : m.substring(at + 10, Math.min(m.length(), at + 15));
    if (state.equals("42883")) {
      return UNKNOWN_FUNCTION;
    }
    if (state.equals("42601")) {
      return SYNTAX;
    }
    if (state.startsWith("42") || state.equals("0A000")) {
      return REFUSED;
    }
    if (state.startsWith("22")) {
      return RUNTIME_ERROR;
    }
    return ENGINE_ERROR;
  }
}
