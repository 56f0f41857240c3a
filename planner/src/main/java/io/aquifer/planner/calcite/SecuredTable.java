package io.aquifer.planner.calcite;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.PlannerCatalog.TablePolicy;
import java.util.List;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A Delta table with a row filter or column masks (Unity Catalog's): every reference to it is
 * expanded, where the scan is made, into the table's rows filtered and its columns masked by the
 * table's SQL functions. The expansion reads the table itself under its {@linkplain #RAW raw} name,
 * which resolves only while that expansion is planned, so no statement can read around the filter
 * (time travel keeps its version: the raw name carries it).
 */
public final class SecuredTable extends AbstractTable implements TranslatableTable {
  /** Suffix of the name under which the expansion reads the unfiltered table. */
  public static final String RAW = "\u0001raw";

  /** Plans the filtered and masked rows of a secured table. */
  public interface Expander {
    RelRoot expand(SecuredTable table, RelDataType rowType);
  }

  private final DeltaTable table;
  private final List<String> name;
  private final TablePolicy policy;
  private final Expander expander;

  SecuredTable(DeltaTable table, List<String> name, TablePolicy policy, Expander expander) {
    this.table = requireNonNull(table, "table");
    this.name = List.copyOf(name);
    this.policy = requireNonNull(policy, "policy");
    this.expander = requireNonNull(expander, "expander");
  }

  /** Catalog, schema and table as resolved (the table with its time-travel suffix, if any). */
  public List<String> name() {
    return name;
  }

  /** Catalog, schema and table, without time travel. */
  public List<String> baseName() {
    return List.of(name.get(0), name.get(1), NameLookup.baseName(name.get(2)));
  }

  /** The name that reads this table (at the same version) without filter and masks. */
  public List<String> rawName() {
    return List.of(name.get(0), name.get(1), name.get(2) + RAW);
  }

  public TablePolicy policy() {
    return policy;
  }

  /** The table's columns; a masked one is nullable, as its mask may return NULL. */
  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataType raw = table.getRowType(typeFactory);
    RelDataTypeFactory.Builder builder = typeFactory.builder();
    for (var field : raw.getFieldList()) {
      boolean masked =
          policy.masks().containsKey(field.getName().toLowerCase(java.util.Locale.ROOT));
      builder.add(
          field.getName(),
          masked ? typeFactory.createTypeWithNullability(field.getType(), true) : field.getType());
    }
    return builder.build();
  }

  /** The filtered and masked rows, cast to exactly the row type above (as a view's are). */
  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    RelDataType rowType = relOptTable.getRowType();
    RelNode rel =
        expander.expand(this, table.getRowType(context.getCluster().getTypeFactory())).project();
    if (org.apache.calcite.plan.RelOptUtil.areRowTypesEqual(rel.getRowType(), rowType, false)
        && rel.getRowType().equals(rowType)) {
      return rel;
    }
    return org.apache.calcite.plan.RelOptUtil.createCastRel(rel, rowType, true);
  }

  /** A name as a plan shows it: without the raw suffix. */
  public static String withoutRaw(String name) {
    return name.endsWith(RAW) ? name.substring(0, name.length() - RAW.length()) : name;
  }
}
