package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.calcite.DeltaTableScan;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A validated, optimized logical plan. Every table scan in it is bound to one snapshot and lists
 * the files left after data skipping.
 *
 * @param rel the plan; its row type has the result's column names
 * @param parameterRowType one field per {@code ?} marker
 */
public record PlannedQuery(RelNode rel, RelDataType parameterRowType, List<DeltaTableScan> scans) {
  public PlannedQuery {
    requireNonNull(rel, "rel");
    requireNonNull(parameterRowType, "parameterRowType");
    scans = List.copyOf(scans);
  }

  public RelDataType rowType() {
    return rel.getRowType();
  }
}
