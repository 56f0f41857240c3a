package io.aquifer.planner.calcite;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.PlannerCatalog.FileSourceEntry;
import io.aquifer.storage.delta.DeltaSnapshot;
import java.net.URI;
import java.util.List;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/** The table of one {@code read_files} call, as Calcite sees it. */
final class FileSourceTable extends AbstractTable implements TranslatableTable {
  private final FileSourceEntry entry;
  private final DeltaSnapshot snapshot;

  FileSourceTable(FileSourceEntry entry) {
    this.entry = requireNonNull(entry, "entry");
    this.snapshot =
        new DeltaSnapshot(
            URI.create("read-files:/"), 0, 0, entry.schema(), List.of(), entry.files());
  }

  /** Whether a column is hidden from {@code SELECT *} (the {@code _metadata} column). */
  boolean isHidden(String column) {
    return entry.schema().columns().stream()
        .anyMatch(
            c ->
                c.name().equals(column)
                    && c.physicalName().equals(io.aquifer.planner.FileSource.METADATA_COLUMN));
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return CalciteTypes.rowType(typeFactory, entry.schema());
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return new FileSourceScan(
        context.getCluster(), relOptTable, snapshot, entry.files(), entry.source());
  }
}
