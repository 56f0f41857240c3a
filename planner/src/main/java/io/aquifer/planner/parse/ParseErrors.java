package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;

/** Builds {@link PlannerException}s that point at a character offset of the SQL text. */
public final class ParseErrors {
  private ParseErrors() {}

  public static PlannerException at(String sql, int offset, PlannerErrorCode code, String message) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(offset, sql.length()); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new PlannerException(code, message, line, column, null);
  }
}
