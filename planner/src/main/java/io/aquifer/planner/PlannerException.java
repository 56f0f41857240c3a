package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * A statement that cannot be planned. Carries the 1-based line and column in the user's SQL when
 * known.
 */
public class PlannerException extends RuntimeException {
  private final PlannerErrorCode code;
  private final int line;
  private final int column;

  public PlannerException(PlannerErrorCode code, String message) {
    this(code, message, 0, 0, null);
  }

  public PlannerException(
      PlannerErrorCode code, String message, int line, int column, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code");
    this.line = line;
    this.column = column;
  }

  public PlannerErrorCode code() {
    return code;
  }

  public OptionalInt line() {
    return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
  }

  public OptionalInt column() {
    return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
  }
}
