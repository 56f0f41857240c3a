package io.aquifer.planner.calcite;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import java.util.List;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;

/**
 * A scan of one Delta snapshot, with the files that survived data skipping. EXPLAIN shows the
 * version and how many files are read out of how many.
 */
public class DeltaTableScan extends TableScan {
  private final DeltaSnapshot snapshot;
  private final List<DataFile> files;

  public DeltaTableScan(
      RelOptCluster cluster, RelOptTable table, DeltaSnapshot snapshot, List<DataFile> files) {
    super(cluster, cluster.traitSetOf(Convention.NONE), List.of(), table);
    this.snapshot = requireNonNull(snapshot, "snapshot");
    this.files = List.copyOf(files);
  }

  public DeltaSnapshot snapshot() {
    return snapshot;
  }

  /** The files to read: the snapshot's live files minus those skipped by statistics. */
  public List<DataFile> files() {
    return files;
  }

  public DeltaTableScan withFiles(List<DataFile> selected) {
    return new DeltaTableScan(getCluster(), getTable(), snapshot, selected);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return this;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .item("version", snapshot.version())
        .item("files", files.size() + "/" + snapshot.files().size());
  }
}
