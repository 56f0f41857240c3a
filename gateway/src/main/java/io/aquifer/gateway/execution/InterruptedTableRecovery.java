package io.aquifer.gateway.execution;

import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.PendingTableOperation;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes table creates and drops that a crash interrupted (rows left CREATING or DROPPING): both
 * end with no table, and a managed table's directory is deleted. Runs before a process starts
 * committing to a data directory.
 */
public final class InterruptedTableRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(InterruptedTableRecovery.class);

  private InterruptedTableRecovery() {}

  public static void recover(CatalogStore catalog, ManagedTableLocations locations) {
    for (PendingTableOperation op : catalog.pendingTableOperations()) {
      TableInfo t = op.table();
      if (t.kind() == TableKind.MANAGED && t.location().isPresent()) {
        locations.delete(URI.create(t.location().get()));
      }
      switch (op.state()) {
        case CREATING -> catalog.abortCreateTable(t.name());
        case DROPPING -> catalog.finishDropTable(t.name());
        default -> {}
      }
      LOG.info("recovered interrupted {} of {}", op.state(), t.name());
    }
  }
}
