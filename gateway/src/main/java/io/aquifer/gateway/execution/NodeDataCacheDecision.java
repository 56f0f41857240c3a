package io.aquifer.gateway.execution;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.SourceFormat;
import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.storage.delta.DataFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planning-time decision of which data files a query's scans read from the warehouse node's
 * data cache (DuckDB tables) and which from Parquet: the gateway asks the warehouse's serving nodes
 * which of the bound snapshot's files they hold ({@link WarehouseConnection#dataCacheHolding}, one
 * round trip per statement with scans), and each scan carries the answer ({@link
 * ScanSpec#dataCacheFiles()}). The node honours it; a file it no longer holds when the fragment
 * runs is read from Parquet and counted as a fallback. {@code EXPLAIN} shows the same decision per
 * table.
 *
 * <p>Files are keyed by path, and a Delta data file's path is unique to one version of its
 * contents, so a new version of a table (a rewrite) lists new paths and is never served from an
 * older version's entries; an append's new files are read from Parquet until they are cached.
 */
final class NodeDataCacheDecision {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDataCacheDecision.class);

  private NodeDataCacheDecision() {}

  /** The fragment with each Parquet scan's decision; unchanged when no decision can be made. */
  static QueryFragment apply(WarehouseConnection warehouse, QueryFragment fragment) {
    Set<String> paths = new LinkedHashSet<>();
    for (ScanSpec scan : fragment.scans()) {
      paths.addAll(eligible(scan));
    }
    if (paths.isEmpty()) {
      return fragment;
    }
    Optional<Set<String>> held = ask(warehouse, paths);
    if (held.isEmpty()) {
      return fragment;
    }
    List<ScanSpec> decided = new ArrayList<>(fragment.scans().size());
    for (ScanSpec scan : fragment.scans()) {
      if (scan.format().kind() != SourceFormat.Kind.PARQUET) {
        decided.add(scan);
        continue;
      }
      Set<String> cached = new LinkedHashSet<>(eligible(scan));
      cached.retainAll(held.get());
      decided.add(scan.withDataCacheFiles(cached));
    }
    return fragment.withScans(decided);
  }

  /** One line per Delta table scan of the plan: where its files are read from. */
  static List<String> explain(WarehouseConnection warehouse, RelNode plan) {
    List<DeltaTableScan> scans = new ArrayList<>();
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof DeltaTableScan scan) {
          scans.add(scan);
        }
        super.visit(node, ordinal, parent);
      }
    }.go(plan);
    if (scans.isEmpty()) {
      return List.of();
    }
    Set<String> paths = new LinkedHashSet<>();
    for (DeltaTableScan scan : scans) {
      paths.addAll(eligible(scan));
    }
    Optional<Set<String>> held = paths.isEmpty() ? Optional.of(Set.of()) : ask(warehouse, paths);
    List<String> lines = new ArrayList<>();
    for (DeltaTableScan scan : scans) {
      List<List<String>> named = io.aquifer.planner.QueryPlanner.scannedTables(List.of(scan));
      String table =
          String.join(".", named.isEmpty() ? scan.getTable().getQualifiedName() : named.get(0))
              + " (version "
              + scan.snapshot().version()
              + ", "
              + scan.files().size()
              + (scan.files().size() == 1 ? " file" : " files")
              + "): ";
      if (held.isEmpty()) {
        lines.add(table + "no decision (no serving node with a data cache to ask)");
        continue;
      }
      Set<String> eligible = eligible(scan);
      long cached = eligible.stream().filter(held.get()::contains).count();
      int total = scan.files().size();
      if (total > 0 && cached == total) {
        lines.add(table + "node data cache");
      } else if (cached > 0) {
        lines.add(
            table
                + "node data cache for "
                + cached
                + " of "
                + total
                + " files, Parquet for the rest");
      } else {
        lines.add(table + "Parquet");
      }
    }
    return lines;
  }

  private static Optional<Set<String>> ask(WarehouseConnection warehouse, Set<String> paths) {
    try {
      return warehouse.dataCacheHolding(paths);
    } catch (RuntimeException e) {
      // Only a decision is lost: the node then reads what its cache holds.
      LOG.debug("could not ask the warehouse's data cache: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** The files of a scan the data cache may hold: local Parquet files without deleted rows. */
  private static Set<String> eligible(ScanSpec scan) {
    Set<String> out = new LinkedHashSet<>();
    if (scan.format().kind() != SourceFormat.Kind.PARQUET) {
      return out;
    }
    for (ScanFile f : scan.files()) {
      if (f.deletedRowPositions().length == 0 && local(f.path())) {
        out.add(f.path());
      }
    }
    return out;
  }

  private static Set<String> eligible(DeltaTableScan scan) {
    Set<String> out = new LinkedHashSet<>();
    if (scan instanceof io.aquifer.planner.calcite.FileSourceScan) {
      return out; // read_files: CSV, JSON or Parquet given by path, not a Delta table's files
    }
    for (DataFile f : scan.files()) {
      String path = f.path().toString();
      if (f.deletedRowPositions().length == 0 && local(path)) {
        out.add(path);
      }
    }
    return out;
  }

  private static boolean local(String path) {
    return path.regionMatches(true, 0, "file:", 0, 5) || path.startsWith("/");
  }
}
