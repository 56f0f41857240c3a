package io.aquifer.planner.calcite;

import io.aquifer.storage.delta.DataFile;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptCostImpl;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data skipping: finds the filters that apply to each Delta scan and drops the files whose
 * statistics (or partition values) show that no row can pass. The plan sent to the engine keeps its
 * filters, so skipping only ever removes files that contribute no rows.
 *
 * <p>Filters are located on a copy of the plan in which Calcite's rules push them down to the
 * scans; the plan itself is not rewritten, so the engine still sees the query's own shape.
 */
public final class FilePruner {
  private static final Logger LOG = LoggerFactory.getLogger(FilePruner.class);

  /**
   * The rules that move filters down to the scans. Built once: a program holds no state of its own
   * (each planner prepares its own).
   */
  private static final HepProgram PUSH_FILTERS_DOWN =
      HepProgram.builder()
          .addRuleCollection(
              List.of(
                  CoreRules.FILTER_INTO_JOIN,
                  CoreRules.JOIN_CONDITION_PUSH,
                  CoreRules.FILTER_PROJECT_TRANSPOSE,
                  CoreRules.FILTER_SET_OP_TRANSPOSE,
                  CoreRules.FILTER_AGGREGATE_TRANSPOSE,
                  CoreRules.FILTER_MERGE))
          .build();

  private FilePruner() {}

  public static RelNode prune(RelNode rel) {
    Map<DeltaTableScan, List<RexNode>> filters = new IdentityHashMap<>();
    try {
      // A tree, not a DAG: two scans of one table (same version and files) are two vertices, so
      // each keeps its own filters. Merged, one scan would get both branches' filters and skip
      // files the other branch reads (and the merging itself is a digest per node, wasted here).
      HepPlanner planner =
          new HepPlanner(PUSH_FILTERS_DOWN, null, true, null, RelOptCostImpl.FACTORY);
      planner.setRoot(rel);
      RelNode pushed = planner.findBestExp();
      collect(pushed, filters);
    } catch (RuntimeException e) {
      // Skipping is an optimisation: without it every file is read, which is still correct.
      LOG.debug("data skipping analysis failed; reading all files", e);
      return rel;
    }
    if (filters.isEmpty()) {
      return rel;
    }
    return rel.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(TableScan scan) {
            if (scan instanceof DeltaTableScan delta && filters.containsKey(delta)) {
              return delta.withFiles(select(delta, filters.get(delta)));
            }
            return scan;
          }
        });
  }

  private static void collect(RelNode node, Map<DeltaTableScan, List<RexNode>> filters) {
    if (node instanceof Filter filter
        && filter.getInput() instanceof DeltaTableScan scan
        && !RexUtil.SubQueryFinder.containsSubQuery(filter)) {
      filters
          .computeIfAbsent(scan, s -> new ArrayList<>())
          .addAll(RelOptUtil.conjunctions(filter.getCondition()));
    }
    for (RelNode input : node.getInputs()) {
      collect(input, filters);
    }
  }

  private static List<DataFile> select(DeltaTableScan scan, List<RexNode> conjuncts) {
    StatsPredicate predicate = new StatsPredicate(scan.snapshot(), scan.getRowType());
    List<DataFile> kept = new ArrayList<>();
    for (DataFile file : scan.files()) {
      if (!predicate.canSkip(file, conjuncts)) {
        kept.add(file);
      }
    }
    return kept;
  }
}
