package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A table create or drop that was begun and not finished, found by start-up recovery. For both,
 * recovery deletes the table's data (for a MANAGED table) and then calls {@link
 * CatalogStore#abortCreateTable} or {@link CatalogStore#finishDropTable}; a CREATING table whose
 * Delta log is complete may instead be committed with {@link CatalogStore#commitCreateTable}.
 */
public record PendingTableOperation(TableState state, TableInfo table) {
  public PendingTableOperation {
    requireNonNull(state, "state");
    requireNonNull(table, "table");
    if (state == TableState.ACTIVE) {
      throw new IllegalArgumentException(
          "an ACTIVE table is not a pending operation: " + table.name());
    }
  }
}
