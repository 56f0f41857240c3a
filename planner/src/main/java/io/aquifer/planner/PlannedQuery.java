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
 * @param labels the result's column labels as the statement wrote them, one per column of {@code
 *     rel}; they may repeat ({@code SELECT 1 AS a, 2 AS a}, or a star over a join of tables with a
 *     column of the same name), where the plan's names are made unique ({@code a, a0})
 */
public record PlannedQuery(
    RelNode rel, RelDataType parameterRowType, List<DeltaTableScan> scans, List<String> labels) {
  public PlannedQuery {
    requireNonNull(rel, "rel");
    requireNonNull(parameterRowType, "parameterRowType");
    scans = List.copyOf(scans);
    labels = List.copyOf(labels);
    if (labels.size() != rel.getRowType().getFieldCount()) {
      throw new IllegalArgumentException(
          labels.size() + " labels for " + rel.getRowType().getFieldCount() + " columns");
    }
  }

  /** A plan whose columns are labelled by their names in the plan. */
  public PlannedQuery(RelNode rel, RelDataType parameterRowType, List<DeltaTableScan> scans) {
    this(rel, parameterRowType, scans, rel.getRowType().getFieldNames());
  }

  public RelDataType rowType() {
    return rel.getRowType();
  }
}
