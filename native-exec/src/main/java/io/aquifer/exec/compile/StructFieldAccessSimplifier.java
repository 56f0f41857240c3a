package io.aquifer.exec.compile;

import io.aquifer.planner.calcite.NamedStructFunction;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;

/**
 * A field of a struct built in the same expression is that field's value: {@code named_struct('a',
 * x, 'b', y).a} is {@code x}, {@code ROW(x, y).f0} is {@code x}. Calcite's SQL writer cannot spell
 * a field access on a call, so without this rewrite such queries could not be compiled.
 */
final class StructFieldAccessSimplifier {
  private StructFieldAccessSimplifier() {}

  static RelNode apply(RelNode rel) {
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (RelNode input : rel.getInputs()) {
      RelNode simplified = apply(input);
      changed |= simplified != input;
      inputs.add(simplified);
    }
    RelNode node = changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
    return node.accept(new Shuttle(node.getCluster().getRexBuilder()));
  }

  private static final class Shuttle extends RexShuttle {
    private final RexBuilder rex;

    Shuttle(RexBuilder rex) {
      this.rex = rex;
    }

    @Override
    public RexNode visitFieldAccess(RexFieldAccess fieldAccess) {
      RexNode reference = fieldAccess.getReferenceExpr().accept(this);
      int index = fieldAccess.getField().getIndex();
      if (reference instanceof RexCall call) {
        RexNode value = null;
        if (call.getOperator() == NamedStructFunction.INSTANCE
            && 2 * index + 1 < call.getOperands().size()) {
          value = call.getOperands().get(2 * index + 1);
        } else if (call.getKind() == SqlKind.ROW && index < call.getOperands().size()) {
          value = call.getOperands().get(index);
        }
        if (value != null) {
          return rex.ensureType(fieldAccess.getType(), value, true);
        }
      }
      return reference == fieldAccess.getReferenceExpr()
          ? fieldAccess
          : rex.makeFieldAccess(reference, index);
    }
  }
}
