package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.FunctionCategory.JSON;

import io.aquifer.planner.PlannerException;
import io.aquifer.planner.calcite.CalciteTypes;
import io.aquifer.planner.parse.DataTypeParser;
import io.aquifer.storage.types.Column;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlOperatorBinding;

/**
 * {@code from_csv(csvStr, schema)}: one CSV record as a STRUCT of the schema's fields. The
 * warehouse node splits the record (Java function {@code __aquifer_csv_fields}: separator {@code
 * ,}, quote {@code "}, escape {@code \}, an empty field is NULL, as Spark's defaults) and the
 * fields are cast to their types (numbers with surrounding spaces trimmed); a field that does not
 * read as its type is NULL (Spark's PERMISSIVE mode). The options map is not supported yet.
 */
final class CsvFunctions {
  private CsvFunctions() {}

  static void define(DatabricksFunctionCatalog d) {
    d.scalar(
            "from_csv",
            JSON,
            "from_csv(csvStr, schema)",
            "The CSV record as a struct of the schema's fields (a DDL string: 'a INT, b DOUBLE').")
        .args(ArgKind.STRING, ArgKind.STRING_LITERAL)
        .returns(CsvFunctions::resultType)
        .nullable()
        .duckdbCode(CsvFunctions::engineSql);
  }

  private static List<Column> schema(String text) {
    return DataTypeParser.columns(text);
  }

  private static RelDataType resultType(SqlOperatorBinding b) {
    String literal = b.getOperandLiteralValue(1, String.class);
    List<Column> columns;
    try {
      columns = literal == null ? List.of() : schema(literal);
    } catch (PlannerException e) {
      columns = List.of();
    }
    if (columns.isEmpty()) {
      throw b.newError(
          org.apache.calcite.util.Static.RESOURCE.typeNotSupported("from_csv schema " + literal));
    }
    RelDataTypeFactory f = b.getTypeFactory();
    RelDataTypeFactory.Builder row = f.builder();
    for (Column c : columns) {
      RelDataType type = CalciteTypes.toCalcite(f, c.type(), true);
      if (engineType(type) == null) {
        throw b.newError(
            org.apache.calcite.util.Static.RESOURCE.typeNotSupported(
                "from_csv field " + c.name() + " of type " + type));
      }
      row.add(c.name(), type);
    }
    return f.createTypeWithNullability(row.build(), true);
  }

  private static String engineSql(List<String> operands) {
    String schemaSql = operands.get(1).strip();
    String text = schemaSql.substring(1, schemaSql.length() - 1).replace("''", "'");
    RelDataTypeFactory f =
        new org.apache.calcite.sql.type.SqlTypeFactoryImpl(
            org.apache.calcite.rel.type.RelDataTypeSystem.DEFAULT);
    String record = "CAST(" + operands.get(0) + " AS VARCHAR)";
    List<String> fields = new ArrayList<>();
    List<Column> columns = schema(text);
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      RelDataType type = CalciteTypes.toCalcite(f, c.type(), true);
      String value = "__aquifer_f[" + (i + 1) + "]";
      if (type.getSqlTypeName() != org.apache.calcite.sql.type.SqlTypeName.VARCHAR) {
        value = "trim(" + value + ")";
      }
      fields.add(
          "\""
              + c.name().replace("\"", "\"\"")
              + "\" := TRY_CAST("
              + value
              + " AS "
              + engineType(type)
              + ")");
    }
    return "CASE WHEN "
        + record
        + " IS NULL THEN NULL ELSE list_transform([from_json(__aquifer_csv_fields("
        + record
        + "), '[\"VARCHAR\"]')], lambda __aquifer_f: struct_pack("
        + String.join(", ", fields)
        + "))[1] END";
  }

  /** The engine's type for a field, or null for types from_csv does not read yet. */
  private static String engineType(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> "BOOLEAN";
      case TINYINT -> "TINYINT";
      case SMALLINT -> "SMALLINT";
      case INTEGER -> "INTEGER";
      case BIGINT -> "BIGINT";
      case REAL, FLOAT -> "FLOAT";
      case DOUBLE -> "DOUBLE";
      case DECIMAL -> "DECIMAL(" + type.getPrecision() + "," + type.getScale() + ")";
      case CHAR, VARCHAR -> "VARCHAR";
      case DATE -> "DATE";
      case TIMESTAMP -> "TIMESTAMP";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TIMESTAMPTZ";
      default -> null;
    };
  }
}
