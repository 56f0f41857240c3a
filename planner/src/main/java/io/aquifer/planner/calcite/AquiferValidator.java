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
