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
  /** The character in the names of a write read, its hidden columns, which no statement may use. */
  public static final char INTERNAL = '\u0002';

  /** Whether a statement may not use this name: a secured table's raw or write read, or columns. */
  public static boolean isInternal(String name) {
    return name.indexOf(INTERNAL) >= 0 || name.endsWith(RAW);
  }

  /** Suffix of the name under which the expansion reads the unfiltered table. */
  public static final String RAW = "\u0001raw";

  /**
   * Suffix of the name under which an UPDATE, DELETE or MERGE reads its target: every row (none
   * filtered out), with the columns masked as a read shows them, then each column's stored value
   * under {@link #storedColumn} and whether the caller may see the row under {@link #VISIBLE}. The
   * name resolves only while the planner has been told that the statement writes the table ({@code
   * QueryPlanner#allowWriteTarget}); no statement can name those columns (their names hold a
   * control character the parser refuses in identifiers).
   */
  public static final String WRITE = "\u0002write";

  /**
   * The column of a {@link #WRITE} read that tells whether the row filter lets the caller see it.
   */
  public static final String VISIBLE = "\u0002visible";

  /** The column of a {@link #WRITE} read that holds a column's stored (unmasked) value. */
  public static String storedColumn(String column) {
    return INTERNAL + column;
  }

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
    String table = name.get(2);
    if (table.endsWith(WRITE)) {
      table = table.substring(0, table.length() - WRITE.length());
    }
    return List.of(name.get(0), name.get(1), table + RAW);
  }

  /** Whether this is the {@link #WRITE} read of the table: all rows, with stored values. */
  public boolean forWrite() {
    return name.get(2).endsWith(WRITE);
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
    if (forWrite()) {
      for (var field : raw.getFieldList()) {
        builder.add(storedColumn(field.getName()), field.getType());
      }
      builder.add(
          VISIBLE,
          typeFactory.createTypeWithNullability(
              typeFactory.createSqlType(org.apache.calcite.sql.type.SqlTypeName.BOOLEAN), false));
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

  /** A name as a plan shows it: without the raw (or write) suffix. */
  public static String withoutRaw(String name) {
    if (name.endsWith(WRITE)) {
      return name.substring(0, name.length() - WRITE.length());
    }
    return name.endsWith(RAW) ? name.substring(0, name.length() - RAW.length()) : name;
  }
}
