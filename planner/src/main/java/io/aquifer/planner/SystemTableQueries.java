package io.aquifer.planner;

import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.planner.calcite.SystemTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;

/**
 * Queries over system tables ({@code system.query.history}): their rows live in the gateway, not in
 * Delta files, so such a query runs in the gateway (on its own engine) instead of on a warehouse. A
 * query may not read system tables and Delta tables together.
 */
public final class SystemTableQueries {
  private SystemTableQueries() {}

  /**
   * Whether the plan reads system tables. @throws PlannerException UNSUPPORTED_FEATURE if it reads
   * Delta tables too
   */
  public static boolean readsSystemTables(RelNode rel) {
    List<TableScan> scans = new ArrayList<>();
    collectScans(rel, scans);
    List<String> system = new ArrayList<>();
    boolean delta = false;
    for (TableScan scan : scans) {
      SystemTable table = scan.getTable().unwrap(SystemTable.class);
      if (table != null) {
        system.add(String.join(".", table.qualifiedName()));
      } else if (scan instanceof DeltaTableScan) {
        delta = true;
      }
    }
    if (!system.isEmpty() && delta) {
      throw new PlannerException(
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "system tables ("
              + String.join(", ", system)
              + ") cannot be read together with tables in the same query yet; query them"
              + " separately");
    }
    return !system.isEmpty();
  }

  private static void collectScans(RelNode rel, List<TableScan> scans) {
    if (rel instanceof TableScan scan) {
      scans.add(scan);
    }
    rel.accept(
        new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            collectScans(subQuery.rel, scans);
            return subQuery;
          }
        });
    for (RelNode input : rel.getInputs()) {
      collectScans(input, scans);
    }
  }
}
