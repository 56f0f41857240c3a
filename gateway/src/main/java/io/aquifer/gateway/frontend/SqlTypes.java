package io.aquifer.gateway.frontend;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.sql.DatabaseMetaData;
import java.util.List;

/**
 * The SQL types Aquifer has (those of Delta Lake), as every front end's type-info call lists them
 * (JDBC {@code getTypeInfo}, Flight SQL's GetXdbcTypeInfo). What is said here is the same in every
 * protocol; the JDBC type code, sizes and scales follow how each protocol's driver reports a column
 * of the type, so each front end derives them from {@link SqlType#type()}.
 */
public final class SqlTypes {

  /**
   * One type.
   *
   * @param type a representative of the type (DECIMAL at its widest precision, ARRAY of strings)
   * @param literalPrefix what starts a literal of it, null for none
   * @param literalSuffix what ends a literal of it, null for none
   * @param createParams the parameters of its declaration, in order; empty for none
   * @param searchable one of {@link DatabaseMetaData}'s {@code typePred*} and {@code
   *     typeSearchable}
   */
  public record SqlType(
      String name,
      DataType type,
      String literalPrefix,
      String literalSuffix,
      List<String> createParams,
      boolean caseSensitive,
      int searchable) {
    public SqlType {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      createParams = List.copyOf(createParams);
    }
  }

  /** Every type, in no particular order: each protocol orders by its own type codes. */
  public static final List<SqlType> ALL =
      List.of(
          basic("BOOLEAN", PrimitiveType.BOOLEAN),
          basic("TINYINT", PrimitiveType.TINYINT),
          basic("SMALLINT", PrimitiveType.SMALLINT),
          basic("INT", PrimitiveType.INT),
          basic("BIGINT", PrimitiveType.BIGINT),
          basic("FLOAT", PrimitiveType.FLOAT),
          basic("DOUBLE", PrimitiveType.DOUBLE),
          new SqlType(
              "DECIMAL",
              new DecimalType(DecimalType.MAX_PRECISION, 0),
              null,
              null,
              List.of("precision", "scale"),
              false,
              DatabaseMetaData.typePredBasic),
          new SqlType(
              "STRING",
              PrimitiveType.STRING,
              "'",
              "'",
              List.of(),
              true,
              DatabaseMetaData.typeSearchable),
          literal("BINARY", PrimitiveType.BINARY, "X'"),
          literal("DATE", PrimitiveType.DATE, "DATE '"),
          literal("TIMESTAMP", PrimitiveType.TIMESTAMP, "TIMESTAMP '"),
          literal("TIMESTAMP_NTZ", PrimitiveType.TIMESTAMP_NTZ, "TIMESTAMP_NTZ '"),
          complex("ARRAY", new ArrayType(PrimitiveType.STRING, true), "element_type"),
          complex(
              "MAP",
              new MapType(PrimitiveType.STRING, PrimitiveType.STRING, true),
              "key_type",
              "value_type"),
          complex(
              "STRUCT", new StructType(List.of(Column.of("f", PrimitiveType.STRING))), "fields"));

  private SqlTypes() {}

  private static SqlType basic(String name, DataType type) {
    return new SqlType(name, type, null, null, List.of(), false, DatabaseMetaData.typePredBasic);
  }

  private static SqlType literal(String name, DataType type, String prefix) {
    return new SqlType(name, type, prefix, "'", List.of(), false, DatabaseMetaData.typePredBasic);
  }

  private static SqlType complex(String name, DataType type, String... createParams) {
    return new SqlType(
        name, type, null, null, List.of(createParams), false, DatabaseMetaData.typePredNone);
  }
}
