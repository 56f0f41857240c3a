package io.aquifer.planner.calcite;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.delta.DeltaSnapshot;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/** A Delta table bound to one snapshot, as Calcite sees it. */
final class DeltaTable extends AbstractTable implements TranslatableTable {
  private final DeltaSnapshot snapshot;

  DeltaTable(DeltaSnapshot snapshot) {
    this.snapshot = requireNonNull(snapshot, "snapshot");
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return CalciteTypes.rowType(typeFactory, snapshot.schema());
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return new DeltaTableScan(context.getCluster(), relOptTable, snapshot, snapshot.files());
  }
}
