package io.aquifer.exec;

/**
 * Ids of work on a warehouse node. A statement's calls are {@code <statement id>/<n>}; a cancel of
 * {@code <statement id>} reaches every call of the statement, running or still to come.
 */
public final class WarehouseNodeIds {
  public static final char SEPARATOR = '/';

  private WarehouseNodeIds() {}

  /** The statement a call id belongs to: the part before the first separator, or the id itself. */
  public static String statementOf(String queryId) {
    int separator = queryId.indexOf(SEPARATOR);
    return separator < 0 ? queryId : queryId.substring(0, separator);
  }
}
