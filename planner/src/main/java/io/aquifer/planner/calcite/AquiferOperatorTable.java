package io.aquifer.planner.calcite;

import io.aquifer.planner.functions.DatabricksFunctionCatalog;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The operators Aquifer's SQL knows: the Databricks function catalog ({@link
 * DatabricksFunctionCatalog}) first, then Calcite's standard and Spark libraries, with Databricks
 * semantics where they differ (division). The validator looks operators up again by name while
 * deriving types, so a replacement must live here, not only in the parsed tree.
 */
public final class AquiferOperatorTable implements SqlOperatorTable {
  public static final AquiferOperatorTable INSTANCE = new AquiferOperatorTable();

  private final SqlOperatorTable base =
      SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(
          SqlLibrary.STANDARD, SqlLibrary.SPARK);

  private AquiferOperatorTable() {}

  @Override
  public void lookupOperatorOverloads(
      SqlIdentifier opName,
      @Nullable SqlFunctionCategory category,
      SqlSyntax syntax,
      List<SqlOperator> operatorList,
      SqlNameMatcher nameMatcher) {
    int before = operatorList.size();
    if (opName.isSimple() && syntax == SqlSyntax.FUNCTION) {
      // Databricks' own semantics first: the function catalog.
      var own = DatabricksFunctionCatalog.INSTANCE.operator(opName.getSimple());
      if (own.isPresent()) {
        operatorList.add(own.get());
        return;
      }
    }
    if (opName.isSimple()
        && nameMatcher.matches(opName.getSimple(), NamedStructFunction.INSTANCE.getName())) {
      operatorList.add(NamedStructFunction.INSTANCE);
      return;
    }
    if (opName.isSimple()
        && syntax == SqlSyntax.FUNCTION
        && nameMatcher.matches(opName.getSimple(), "TRY_CAST")) {
      // Databricks' try_cast(expr AS type): NULL where CAST fails.
      operatorList.add(org.apache.calcite.sql.fun.SqlLibraryOperators.TRY_CAST);
      return;
    }
    if (opName.isSimple() && syntax != SqlSyntax.FUNCTION) {
      // Databricks' infix ILIKE and RLIKE (Calcite keeps them in other libraries).
      SqlOperator infix =
          switch (opName.getSimple().toUpperCase(java.util.Locale.ROOT)) {
            case "ILIKE" -> org.apache.calcite.sql.fun.SqlLibraryOperators.ILIKE;
            case "NOT ILIKE" -> org.apache.calcite.sql.fun.SqlLibraryOperators.NOT_ILIKE;
            case "RLIKE" -> org.apache.calcite.sql.fun.SqlLibraryOperators.RLIKE;
            case "NOT RLIKE" -> org.apache.calcite.sql.fun.SqlLibraryOperators.NOT_RLIKE;
            default -> null;
          };
      if (infix != null) {
        operatorList.add(infix);
        return;
      }
    }
    if (opName.isSimple() && syntax != SqlSyntax.FUNCTION && opName.getSimple().equals("::")) {
      // Databricks' expr::type, a cast.
      operatorList.add(org.apache.calcite.sql.fun.SqlLibraryOperators.INFIX_CAST);
      return;
    }
    if (opName.isSimple() && syntax == SqlSyntax.BINARY && opName.getSimple().equals("<=>")) {
      // Databricks' null-safe equality.
      operatorList.add(SqlStdOperatorTable.IS_NOT_DISTINCT_FROM);
      return;
    }
    if (opName.isSimple()
        && syntax == SqlSyntax.FUNCTION
        && nameMatcher.matches(opName.getSimple(), "SUBSTR")) {
      // Databricks substr(s, pos[, len]): 1-based, negative positions count from the end.
      operatorList.add(org.apache.calcite.sql.fun.SqlLibraryOperators.SUBSTR_BIG_QUERY);
      return;
    }
    base.lookupOperatorOverloads(opName, category, syntax, operatorList, nameMatcher);
    for (int i = before; i < operatorList.size(); i++) {
      if (operatorList.get(i) == SqlStdOperatorTable.DIVIDE) {
        operatorList.set(i, DatabricksDivide.INSTANCE);
      }
    }
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    List<SqlOperator> operators =
        base.getOperatorList().stream()
            .map(op -> op == SqlStdOperatorTable.DIVIDE ? DatabricksDivide.INSTANCE : op)
            .collect(Collectors.toList());
    operators.add(NamedStructFunction.INSTANCE);
    operators.addAll(DatabricksFunctionCatalog.INSTANCE.operators());
    return operators;
  }
}
