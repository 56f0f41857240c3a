package io.aquifer.exec.duckdb;

import io.aquifer.exec.duckdb.DuckDbTypes.FieldNames;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.StructType;
import java.util.stream.Collectors;

/**
 * SQL expressions that convert a value to a column's type, renaming struct fields between logical
 * and physical names (Delta column mapping renames nested fields too). DuckDB casts structs by
 * field name, so a plain CAST only works when no name changes; otherwise the value is rebuilt.
 */
final class DuckDbValueConversion {
  private DuckDbValueConversion() {}

  /**
   * Converts {@code expression}, whose struct fields are named by {@code from}, into {@code type}
   * with struct fields named by {@code to}.
   */
  static String convert(String expression, DataType type, FieldNames from, FieldNames to) {
    return convert(expression, type, from, to, 0);
  }

  private static String convert(
      String expression, DataType type, FieldNames from, FieldNames to, int depth) {
    if (type == io.aquifer.storage.types.PrimitiveType.TIMESTAMP
        && from == FieldNames.PHYSICAL
        && to == FieldNames.LOGICAL) {
      // A file's timestamp is an instant whether DuckDB reads it as TIMESTAMPTZ (adjusted to UTC)
      // or as TIMESTAMP (INT96, not adjusted): its microseconds are UTC either way, and a CAST of
      // a TIMESTAMP would read it in the session time zone.
      return "timezone('UTC', make_timestamp(epoch_us(" + expression + ")))";
    }
    if (from == to || !DuckDbTypes.hasRenamedFields(type)) {
      return "CAST(" + expression + " AS " + DuckDbTypes.toDuckDb(type, to) + ")";
    }
    String variable = "v" + depth;
    if (type instanceof ArrayType a) {
      return "list_transform("
          + expression
          + ", lambda "
          + variable
          + ": "
          + convert(variable, a.elementType(), from, to, depth + 1)
          + ")";
    }
    if (type instanceof MapType m) {
      return "map_from_entries(list_transform(map_entries("
          + expression
          + "), lambda "
          + variable
          + ": struct_pack(key := "
          + convert(variable + ".key", m.keyType(), from, to, depth + 1)
          + ", value := "
          + convert(variable + ".value", m.valueType(), from, to, depth + 1)
          + ")))";
    }
    StructType s = (StructType) type;
    String fields =
        s.fields().stream()
            .map(f -> field(expression, f, from, to, depth))
            .collect(Collectors.joining(", "));
    return "CASE WHEN " + expression + " IS NULL THEN NULL ELSE struct_pack(" + fields + ") END";
  }

  private static String field(
      String expression, Column field, FieldNames from, FieldNames to, int depth) {
    String source =
        "struct_extract("
            + expression
            + ", "
            + DuckDbQuoting.string(DuckDbTypes.fieldName(field, from))
            + ")";
    return DuckDbQuoting.identifier(DuckDbTypes.fieldName(field, to))
        + " := "
        + convert(source, field.type(), from, to, depth + 1);
  }
}
