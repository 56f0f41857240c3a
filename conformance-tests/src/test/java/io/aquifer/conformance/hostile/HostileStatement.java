package io.aquifer.conformance.hostile;

import static java.util.Objects.requireNonNull;

/**
 * One generated statement.
 *
 * @param category what it tries (truncated SQL, deep nesting, engine function, ...)
 * @param sql the text sent
 * @param mayRead whether it may also succeed: only statements that can at most read (queries,
 *     possibly valid after mutation) are allowed to; everything else must fail with a SQLSTATE
 */
record HostileStatement(String category, String sql, boolean mayRead) {
  HostileStatement {
    requireNonNull(category, "category");
    requireNonNull(sql, "sql");
  }

  /** A short form for failure messages. */
  String excerpt() {
    String oneLine = sql.replaceAll("\\s+", " ");
    return oneLine.length() <= 160
        ? oneLine
        : oneLine.substring(0, 120) + " ... (" + sql.length() + " chars)";
  }
}
