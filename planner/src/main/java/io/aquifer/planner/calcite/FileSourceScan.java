package io.aquifer.planner.calcite;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.FileSource;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelWriter;

/**
 * A scan of the files a {@code read_files} call names: a {@link DeltaTableScan} over a snapshot
 * made up for the files (version 0, no statistics), read as {@link #source()} says.
 */
public final class FileSourceScan extends DeltaTableScan {
  private final FileSource source;

  public FileSourceScan(
      RelOptCluster cluster,
      RelOptTable table,
      DeltaSnapshot snapshot,
      List<DataFile> files,
      FileSource source) {
    super(cluster, table, snapshot, files);
    this.source = requireNonNull(source, "source");
  }

  public FileSource source() {
    return source;
  }

  @Override
  public DeltaTableScan withFiles(List<DataFile> selected) {
    return new FileSourceScan(getCluster(), getTable(), snapshot(), selected, source);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return pw.item("table", "read_files")
        .item("format", source.kind())
        .item("files", files().size());
  }
}
