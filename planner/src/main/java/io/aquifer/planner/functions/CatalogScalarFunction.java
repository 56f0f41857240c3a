package io.aquifer.planner.functions;

import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.InferTypes;

/** A scalar built-in function of the catalog, validated and typed from its {@link FunctionSpec}. */
public final class CatalogScalarFunction extends SqlFunction implements CatalogFunction {
  private final FunctionSpec spec;

  CatalogScalarFunction(FunctionSpec spec) {
    super(
        spec.name.toUpperCase(java.util.Locale.ROOT),
        SqlKind.OTHER_FUNCTION,
        spec::inferReturnType,
        InferTypes.FIRST_KNOWN,
        null,
        SqlFunctionCategory.SYSTEM);
    this.spec = spec;
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

  @Override
  public boolean isDeterministic() {
    return !spec.dynamic;
  }

  @Override
  public boolean isDynamicFunction() {
    return spec.dynamic;
  }
}
