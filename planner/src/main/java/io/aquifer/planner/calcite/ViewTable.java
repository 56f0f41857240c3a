package io.aquifer.planner.calcite;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.PlannerCatalog.ViewEntry;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/** A view: its text is planned in place of the reference, in the view's own default schema. */
public final class ViewTable extends AbstractTable implements TranslatableTable {
  /** Computes a view's row type by validating its text. */
  public interface ViewTyper {
    RelDataType rowType(ViewEntry view);
  }

  private final ViewEntry view;
  private final ViewTyper typer;
  private RelDataType rowType;

  ViewTable(ViewEntry view, ViewTyper typer) {
    this.view = requireNonNull(view, "view");
    this.typer = requireNonNull(typer, "typer");
  }

  @Override
  public synchronized RelDataType getRowType(RelDataTypeFactory typeFactory) {
    if (rowType == null) {
      rowType = typer.rowType(view);
    }
    return rowType;
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return context
        .expandView(relOptTable.getRowType(), view.sql(), view.defaultPath(), view.qualifiedName())
        .project();
  }
}
