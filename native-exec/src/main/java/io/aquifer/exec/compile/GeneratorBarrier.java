package io.aquifer.exec.compile;

import java.util.List;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;

/**
 * Keeps a projection that generates rows ({@code explode}, which the engine runs as {@code unnest}
 * in its SELECT list) in a query of its own when an aggregate reads it. Calcite's SQL writer folds
 * an aggregate into the SELECT of the projection below it, which would put the generator inside the
 * aggregate ({@code SUM(unnest(...))}), a form DuckDB refuses; {@code SELECT max(x) FROM (SELECT
 * explode(a) AS x)} and {@code SELECT sum(id) FROM range(10)} need the generator's rows first.
 * {@link DuckDbPlanCompiler.ScanNamingConverter} writes the barrier as a sub-query.
 */
public final class GeneratorBarrier extends SingleRel {
  private GeneratorBarrier(RelNode input) {
    super(input.getCluster(), input.getTraitSet(), input);
  }

  @Override
  protected RelDataType deriveRowType() {
    return input.getRowType();
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new GeneratorBarrier(sole(inputs));
  }

  /** The plan with a barrier between every aggregate and a generating projection it reads. */
  static RelNode apply(RelNode plan) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode rel = super.visit(other);
            if (rel instanceof Aggregate aggregate
                && aggregate.getInput() instanceof Project project
                && generates(project)) {
              return aggregate.copy(
                  aggregate.getTraitSet(), List.of(new GeneratorBarrier(project)));
            }
            return rel;
          }
        });
  }

  /** Whether an expression of the projection is a call the engine runs as {@code unnest}. */
  private static boolean generates(Project project) {
    return project.getProjects().stream().anyMatch(GeneratorBarrier::generates);
  }

  private static boolean generates(RexNode node) {
    if (!(node instanceof RexCall call)) {
      return false;
    }
    if (call.getOperator() instanceof CatalogFunctionBinder.EngineFunction f
        && f.template.startsWith("unnest(")) {
      return true;
    }
    return call.getOperands().stream().anyMatch(GeneratorBarrier::generates);
  }
}
