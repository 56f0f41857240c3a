package io.aquifer.gateway;

/**
 * Told once about every statement when it ends (SUCCEEDED, FAILED or CANCELED): the one place where
 * a statement's end is observed, for query history and metrics. Called on the statement's thread,
 * after its last log line; must be quick and must not throw (a failure is logged and ignored).
 */
@FunctionalInterface
public interface StatementEndListener {
  void statementEnded(StatementStatus status, String sql);
}
