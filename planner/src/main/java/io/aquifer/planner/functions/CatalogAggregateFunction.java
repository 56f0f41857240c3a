package io.aquifer.planner.functions;

import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.util.Optionality;

/**
 * An aggregate built-in function of the catalog, validated and typed from its {@link FunctionSpec}.
 */
public final class CatalogAggregateFunction extends SqlAggFunction implements CatalogFunction {
  private final FunctionSpec spec;

  CatalogAggregateFunction(FunctionSpec spec) {
    super(
        spec.name.toUpperCase(java.util.Locale.ROOT),
        null,
        SqlKind.OTHER_FUNCTION,
        spec::inferReturnType,
        InferTypes.FIRST_KNOWN,
        null,
        SqlFunctionCategory.SYSTEM,
        false,
        false,
        Optionality.FORBIDDEN);
    this.spec = spec;
  }

  @Override
  public Optionality requiresGroupOrder() {
    return spec.orderedWithinGroup ? Optionality.OPTIONAL : Optionality.FORBIDDEN;
  }

  @Override
  public FunctionSpec spec() {
    return spec;
  }

  @Override
  public SqlOperator operator() {
    return this;
  }

  @Override
  public SqlOperandCountRange getOperandCountRange() {
    return spec.countRange();
  }

  @Override
  public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
    return spec.checkOperands(binding, throwOnFailure);
  }

  @Override
  public String getAllowedSignatures(String opNameToUse) {
    return spec.signature();
  }
}
