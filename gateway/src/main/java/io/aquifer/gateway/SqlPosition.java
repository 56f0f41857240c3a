package io.aquifer.gateway;

/** A 1-based line and column in the user's SQL text. */
public record SqlPosition(int line, int column) {
  public SqlPosition {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("position is 1-based: " + line + ":" + column);
    }
  }

  @Override
  public String toString() {
    return "line " + line + ", column " + column;
  }
}
