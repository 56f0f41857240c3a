package io.aquifer.flightsql;

import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;

/**
 * The SQL types Aquifer supports (those of Delta Lake), as GetXdbcTypeInfo rows. JDBC codes follow
 * what the Flight SQL JDBC driver reports for the Arrow type of each (see {@link
 * io.aquifer.gateway.arrow.ArrowTypeMapping}): FLOAT is {@link Types#FLOAT}, TIMESTAMP (with local
 * time zone) is {@link Types#TIMESTAMP_WITH_TIMEZONE}, TIMESTAMP_NTZ is {@link Types#TIMESTAMP}.
 */
final class XdbcTypeInfo {
  private static final int SQL_DATETIME = 9;
  private static final int SQL_CODE_DATE = 1;
  private static final int SQL_CODE_TIMESTAMP = 3;
  private static final int MAX_LENGTH = Integer.MAX_VALUE;

  /** One row; null stands for a SQL NULL in the nullable columns. */
  record TypeRow(
      String name,
      int dataType,
      Integer columnSize,
      String literalPrefix,
      String literalSuffix,
      List<String> createParams,
      boolean caseSensitive,
      int searchable,
      Boolean unsigned,
      boolean fixedPrecScale,
      Integer minimumScale,
      Integer maximumScale,
      int sqlDataType,
      Integer datetimeSubcode,
      Integer numPrecRadix) {}

  static final List<TypeRow> TYPES =
      List.of(
              numeric("TINYINT", Types.TINYINT, 3),
              numeric("SMALLINT", Types.SMALLINT, 5),
              numeric("INT", Types.INTEGER, 10),
              numeric("BIGINT", Types.BIGINT, 19),
              numeric("FLOAT", Types.FLOAT, 7),
              numeric("DOUBLE", Types.DOUBLE, 15),
              new TypeRow(
                  "DECIMAL",
                  Types.DECIMAL,
                  38,
                  null,
                  null,
                  List.of("precision", "scale"),
                  false,
                  DatabaseMetaData.typeSearchable,
                  false,
                  true,
                  0,
                  38,
                  Types.DECIMAL,
                  null,
                  10),
              new TypeRow(
                  "BOOLEAN",
                  Types.BOOLEAN,
                  1,
                  null,
                  null,
                  null,
                  false,
                  DatabaseMetaData.typePredBasic,
                  null,
                  false,
                  null,
                  null,
                  Types.BOOLEAN,
                  null,
                  null),
              new TypeRow(
                  "STRING",
                  Types.VARCHAR,
                  MAX_LENGTH,
                  "'",
                  "'",
                  null,
                  true,
                  DatabaseMetaData.typeSearchable,
                  null,
                  false,
                  null,
                  null,
                  Types.VARCHAR,
                  null,
                  null),
              new TypeRow(
                  "BINARY",
                  Types.VARBINARY,
                  MAX_LENGTH,
                  "X'",
                  "'",
                  null,
                  false,
                  DatabaseMetaData.typePredBasic,
                  null,
                  false,
                  null,
                  null,
                  Types.VARBINARY,
                  null,
                  null),
              new TypeRow(
                  "DATE",
                  Types.DATE,
                  10,
                  "DATE '",
                  "'",
                  null,
                  false,
                  DatabaseMetaData.typeSearchable,
                  null,
                  false,
                  null,
                  null,
                  SQL_DATETIME,
                  SQL_CODE_DATE,
                  null),
              new TypeRow(
                  "TIMESTAMP_NTZ",
                  Types.TIMESTAMP,
                  26,
                  "TIMESTAMP_NTZ '",
                  "'",
                  null,
                  false,
                  DatabaseMetaData.typeSearchable,
                  null,
                  false,
                  6,
                  6,
                  SQL_DATETIME,
                  SQL_CODE_TIMESTAMP,
                  null),
              new TypeRow(
                  "TIMESTAMP",
                  Types.TIMESTAMP_WITH_TIMEZONE,
                  26,
                  "TIMESTAMP '",
                  "'",
                  null,
                  false,
                  DatabaseMetaData.typeSearchable,
                  null,
                  false,
                  6,
                  6,
                  SQL_DATETIME,
                  SQL_CODE_TIMESTAMP,
                  null),
              new TypeRow(
                  "ARRAY",
                  Types.ARRAY,
                  null,
                  null,
                  null,
                  List.of("element_type"),
                  false,
                  DatabaseMetaData.typePredNone,
                  null,
                  false,
                  null,
                  null,
                  Types.ARRAY,
                  null,
                  null),
              new TypeRow(
                  "MAP",
                  Types.JAVA_OBJECT,
                  null,
                  null,
                  null,
                  List.of("key_type", "value_type"),
                  false,
                  DatabaseMetaData.typePredNone,
                  null,
                  false,
                  null,
                  null,
                  Types.JAVA_OBJECT,
                  null,
                  null),
              new TypeRow(
                  "STRUCT",
                  Types.JAVA_OBJECT,
                  null,
                  null,
                  null,
                  List.of("fields"),
                  false,
                  DatabaseMetaData.typePredNone,
                  null,
                  false,
                  null,
                  null,
                  Types.JAVA_OBJECT,
                  null,
                  null))
          .stream()
          .sorted(Comparator.comparingInt(TypeRow::dataType).thenComparing(TypeRow::name))
          .toList();

  private XdbcTypeInfo() {}

  private static TypeRow numeric(String name, int dataType, int precision) {
    return new TypeRow(
        name,
        dataType,
        precision,
        null,
        null,
        null,
        false,
        DatabaseMetaData.typePredBasic,
        false,
        false,
        0,
        0,
        dataType,
        null,
        10);
  }

  /** Fills a root of {@code GET_TYPE_INFO_SCHEMA}, all types or those of one JDBC type code. */
  static void fill(VectorSchemaRoot root, Optional<Integer> dataType) {
    List<TypeRow> rows =
        TYPES.stream().filter(t -> dataType.isEmpty() || t.dataType() == dataType.get()).toList();
    ListVector createParams = (ListVector) root.getVector("create_params");
    VarCharVector createParamItems = (VarCharVector) createParams.getDataVector();
    for (int i = 0; i < rows.size(); i++) {
      TypeRow row = rows.get(i);
      setString(root, "type_name", i, row.name());
      setInt(root, "data_type", i, row.dataType());
      setInt(root, "column_size", i, row.columnSize());
      setString(root, "literal_prefix", i, row.literalPrefix());
      setString(root, "literal_suffix", i, row.literalSuffix());
      if (row.createParams() != null) {
        int offset = createParams.startNewValue(i);
        for (int p = 0; p < row.createParams().size(); p++) {
          createParamItems.setSafe(offset + p, utf8(row.createParams().get(p)));
        }
        createParams.endValue(i, row.createParams().size());
      }
      setInt(root, "nullable", i, DatabaseMetaData.typeNullable);
      setBit(root, "case_sensitive", i, row.caseSensitive());
      setInt(root, "searchable", i, row.searchable());
      setBit(root, "unsigned_attribute", i, row.unsigned());
      setBit(root, "fixed_prec_scale", i, row.fixedPrecScale());
      setBit(root, "auto_increment", i, false);
      setString(root, "local_type_name", i, row.name());
      setInt(root, "minimum_scale", i, row.minimumScale());
      setInt(root, "maximum_scale", i, row.maximumScale());
      setInt(root, "sql_data_type", i, row.sqlDataType());
      setInt(root, "datetime_subcode", i, row.datetimeSubcode());
      setInt(root, "num_prec_radix", i, row.numPrecRadix());
      setInt(root, "interval_precision", i, null);
    }
    root.setRowCount(rows.size());
  }

  private static void setString(VectorSchemaRoot root, String column, int row, String value) {
    VarCharVector vector = (VarCharVector) root.getVector(column);
    if (value == null) {
      vector.setNull(row);
    } else {
      vector.setSafe(row, utf8(value));
    }
  }

  private static void setInt(VectorSchemaRoot root, String column, int row, Integer value) {
    IntVector vector = (IntVector) root.getVector(column);
    if (value == null) {
      vector.setNull(row);
    } else {
      vector.setSafe(row, value);
    }
  }

  private static void setBit(VectorSchemaRoot root, String column, int row, Boolean value) {
    BitVector vector = (BitVector) root.getVector(column);
    if (value == null) {
      vector.setNull(row);
    } else {
      vector.setSafe(row, value ? 1 : 0);
    }
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
