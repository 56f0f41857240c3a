package io.aquifer.exec.duckdb;

import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.util.stream.Collectors;

/**
 * Aquifer's (Delta's) types as DuckDB spells them. TIMESTAMP is an instant and maps to {@code
 * TIMESTAMPTZ}; the engine runs each fragment in the session time zone, so casts between the two
 * timestamp kinds and from strings are read in that zone (values read from files are not).
 */
public final class DuckDbTypes {
  private DuckDbTypes() {}

  /** Which names a STRUCT type carries: the logical names users see, or the names in files. */
  public enum FieldNames {
    LOGICAL,
    PHYSICAL
  }

  /** The DuckDB type of {@code type}, with logical struct field names. */
  public static String toDuckDb(DataType type) {
    return toDuckDb(type, FieldNames.LOGICAL);
  }

  public static String toDuckDb(DataType type, FieldNames names) {
    if (type instanceof PrimitiveType p) {
      return switch (p) {
        case BOOLEAN -> "BOOLEAN";
        case TINYINT -> "TINYINT";
        case SMALLINT -> "SMALLINT";
        case INT -> "INTEGER";
        case BIGINT -> "BIGINT";
        case FLOAT -> "FLOAT";
        case DOUBLE -> "DOUBLE";
        case STRING -> "VARCHAR";
        case BINARY -> "BLOB";
        case DATE -> "DATE";
        case TIMESTAMP -> "TIMESTAMPTZ";
        case TIMESTAMP_NTZ -> "TIMESTAMP";
      };
    } else if (type instanceof DecimalType d) {
      return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
    } else if (type instanceof ArrayType a) {
      return toDuckDb(a.elementType(), names) + "[]";
    } else if (type instanceof MapType m) {
      return "MAP(" + toDuckDb(m.keyType(), names) + ", " + toDuckDb(m.valueType(), names) + ")";
    } else if (type instanceof StructType s) {
      return s.fields().stream()
          .map(f -> DuckDbQuoting.identifier(fieldName(f, names)) + " " + toDuckDb(f.type(), names))
          .collect(Collectors.joining(", ", "STRUCT(", ")"));
    }
    throw new IllegalArgumentException("unknown type " + type);
  }

  /** True when a struct somewhere inside {@code type} has a field whose names differ. */
  static boolean hasRenamedFields(DataType type) {
    if (type instanceof ArrayType a) {
      return hasRenamedFields(a.elementType());
    } else if (type instanceof MapType m) {
      return hasRenamedFields(m.keyType()) || hasRenamedFields(m.valueType());
    } else if (type instanceof StructType s) {
      return s.fields().stream()
          .anyMatch(f -> !f.name().equals(f.physicalName()) || hasRenamedFields(f.type()));
    }
    return false;
  }

  static String fieldName(Column field, FieldNames names) {
    return names == FieldNames.LOGICAL ? field.name() : field.physicalName();
  }
}
