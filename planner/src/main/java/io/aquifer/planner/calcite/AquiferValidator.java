package io.aquifer.planner.calcite;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.validate.SelectScope;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;
import org.apache.calcite.sql.validate.SqlValidatorTable;

/**
 * Calcite's validator, but a star leaves out hidden columns: a read_files table's {@code _metadata}
 * column is there only when the statement names it, as in Databricks.
 */
public final class AquiferValidator extends SqlValidatorImpl {
  private AquiferValidator(
      SqlOperatorTable operators,
      SqlValidatorCatalogReader reader,
      RelDataTypeFactory typeFactory,
      Config config) {
    super(operators, reader, typeFactory, config);
  }

  public static AquiferValidator create(
      SqlOperatorTable operators,
      SqlValidatorCatalogReader reader,
      RelDataTypeFactory typeFactory,
      Config config) {
    return new AquiferValidator(operators, reader, typeFactory, config);
  }

  /**
   * Databricks' struct star: {@code s.*} and {@code t.s.*}, where {@code s} is a STRUCT column and
   * not a table, become one select item per field of the struct ({@code s.f AS f}, in the struct's
   * order). A prefix that names a table keeps Calcite's meaning; one that is neither a table nor a
   * struct fails with CANNOT_RESOLVE_STAR_EXPAND (42704), as in Databricks.
   */
  @Override
  protected RelDataType validateSelectList(
      org.apache.calcite.sql.SqlNodeList selectItems,
      org.apache.calcite.sql.SqlSelect select,
      RelDataType targetRowType) {
    org.apache.calcite.sql.SqlNodeList expanded = null;
    for (int i = 0; i < selectItems.size(); i++) {
      SqlNode item = selectItems.get(i);
      List<SqlNode> fields = structStarFields(item, select);
      if (fields != null && expanded == null) {
        expanded = new org.apache.calcite.sql.SqlNodeList(selectItems.getParserPosition());
        for (int j = 0; j < i; j++) {
          expanded.add(selectItems.get(j));
        }
      }
      if (fields != null) {
        expanded.addAll(fields);
      } else if (expanded != null) {
        expanded.add(item);
      }
    }
    if (expanded == null) {
      return super.validateSelectList(selectItems, select, targetRowType);
    }
    // The SELECT keeps the expanded list, so that later passes see the items the result has.
    select.setSelectList(expanded);
    return super.validateSelectList(expanded, select, targetRowType);
  }

  /** The items a struct star stands for, or null if the item is no struct star. */
  private List<SqlNode> structStarFields(SqlNode item, org.apache.calcite.sql.SqlSelect select) {
    if (!(item instanceof SqlIdentifier id) || !id.isStar() || id.names.size() < 2) {
      return null;
    }
    SqlIdentifier prefix = id.skipLast(1);
    org.apache.calcite.sql.validate.SqlValidatorScope scope = getSelectScope(select);
    org.apache.calcite.sql.validate.SqlValidatorScope.ResolvedImpl resolved =
        new org.apache.calcite.sql.validate.SqlValidatorScope.ResolvedImpl();
    scope.resolve(prefix.names, getCatalogReader().nameMatcher(), false, resolved);
    if (resolved.count() > 0) {
      return null;
    }
    RelDataType type;
    try {
      type = deriveType(scope, prefix);
    } catch (org.apache.calcite.runtime.CalciteException e) {
      type = null;
    }
    if (type == null || !type.isStruct()) {
      org.apache.calcite.sql.validate.SqlValidatorScope.ResolvedImpl deep =
          new org.apache.calcite.sql.validate.SqlValidatorScope.ResolvedImpl();
      scope.resolve(prefix.names, getCatalogReader().nameMatcher(), true, deep);
      if (deep.count() > 0) {
        return null; // Calcite expands it (a table named through its schema)
      }
      throw cannotExpand(id, scope);
    }
    // A column's name alone would read as a table's in "s.x": name the field through the column's
    // table ("t.s.x").
    SqlIdentifier column = scope.fullyQualify(prefix).identifier;
    List<SqlNode> fields = new java.util.ArrayList<>();
    org.apache.calcite.sql.parser.SqlParserPos pos = id.getParserPosition();
    for (org.apache.calcite.rel.type.RelDataTypeField f : type.getFieldList()) {
      fields.add(
          org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
              pos, column.plus(f.getName(), pos), new SqlIdentifier(f.getName(), pos)));
    }
    return fields;
  }

  /** Databricks' CANNOT_RESOLVE_STAR_EXPAND, naming the columns the FROM clause offers. */
  private static io.aquifer.planner.PlannerException cannotExpand(
      SqlIdentifier star, org.apache.calcite.sql.validate.SqlValidatorScope scope) {
    List<String> columns = new java.util.ArrayList<>();
    if (scope instanceof org.apache.calcite.sql.validate.ListScope list) {
      for (org.apache.calcite.sql.validate.SqlValidatorNamespace child : list.getChildren()) {
        columns.addAll(child.getRowType().getFieldNames());
      }
    }
    return new io.aquifer.planner.PlannerException(
        io.aquifer.planner.PlannerErrorCode.CANNOT_RESOLVE_STAR_EXPAND,
        "Cannot resolve "
            + star.skipLast(1)
            + ".* given input columns "
            + String.join(", ", columns)
            + ": it names no table of the FROM clause and no STRUCT column",
        star.getParserPosition().getLineNum(),
        star.getParserPosition().getColumnNum(),
        null);
  }

  @Override
  protected void addToSelectList(
      List<SqlNode> list,
      Set<String> aliases,
      List<Map.Entry<String, RelDataType>> fieldList,
      SqlNode exp,
      SelectScope scope,
      boolean includeSystemVars) {
    if (hidden(exp, scope)) {
      return;
    }
    super.addToSelectList(list, aliases, fieldList, exp, scope, includeSystemVars);
  }

  /** Whether a star's column is a read_files table's hidden {@code _metadata}. */
  private static boolean hidden(SqlNode exp, SelectScope scope) {
    if (!(exp instanceof SqlIdentifier id) || id.names.size() != 2) {
      return false;
    }
    org.apache.calcite.sql.validate.SqlQualified qualified = scope.fullyQualify(id);
    if (qualified.namespace == null) {
      return false;
    }
    SqlValidatorTable table = qualified.namespace.getTable();
    FileSourceTable files = table == null ? null : table.unwrap(FileSourceTable.class);
    return files != null && files.isHidden(id.names.get(1));
  }
}
