package io.aquifer.planner.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Databricks' {@code named_struct('a', 1, 'b', 'x')}: a STRUCT whose field names are the string
 * literals and whose values are the expressions after them.
 */
public final class NamedStructFunction extends SqlFunction {
  public static final NamedStructFunction INSTANCE = new NamedStructFunction();

  private NamedStructFunction() {
    super(
        "NAMED_STRUCT",
        SqlKind.OTHER_FUNCTION,
        NamedStructFunction::rowType,
        null,
        null,
        SqlFunctionCategory.SYSTEM);
  }

  private static RelDataType rowType(SqlOperatorBinding binding) {
    RelDataTypeFactory.Builder builder = binding.getTypeFactory().builder();
    for (int i = 0; i + 1 < binding.getOperandCount(); i += 2) {
      String name = binding.getOperandLiteralValue(i, String.class);
      builder.add(name, binding.getOperandType(i + 1));
    }
    return builder.build();
  }

  @Override
  public SqlOperandCountRange getOperandCountRange() {
    return SqlOperandCountRanges.from(2);
  }

  @Override
  public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
    List<String> names = new ArrayList<>();
    boolean ok = binding.getOperandCount() % 2 == 0;
    for (int i = 0; ok && i < binding.getOperandCount(); i += 2) {
      ok =
          binding.isOperandLiteral(i, false)
              && SqlTypeUtil.inCharFamily(binding.getOperandType(i))
              && !names.contains(binding.getOperandLiteralValue(i, String.class));
      if (ok) {
        names.add(binding.getOperandLiteralValue(i, String.class));
      }
    }
    if (!ok && throwOnFailure) {
      throw binding.newValidationSignatureError();
    }
    return ok;
  }

  @Override
  public String getAllowedSignatures(String opNameToUse) {
    return "NAMED_STRUCT('name1', value1 [, 'name2', value2 ...]) with distinct literal names";
  }
}
