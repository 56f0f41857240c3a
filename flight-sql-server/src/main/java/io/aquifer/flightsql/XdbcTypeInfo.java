package io.aquifer.flightsql;

import io.aquifer.gateway.frontend.SqlTypes;
import io.aquifer.gateway.frontend.SqlTypes.SqlType;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
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
 * The SQL types Aquifer supports ({@link SqlTypes}, shared by every front end), as GetXdbcTypeInfo
 * rows. JDBC codes follow what the Flight SQL JDBC driver reports for the Arrow type of each (see
 * {@link io.aquifer.gateway.arrow.ArrowTypeMapping}): FLOAT is {@link Types#FLOAT}, TIMESTAMP (with
 * local time zone) is {@link Types#TIMESTAMP_WITH_TIMEZONE}, TIMESTAMP_NTZ is {@link
 * Types#TIMESTAMP}.
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
      SqlTypes.ALL.stream()
          .map(XdbcTypeInfo::row)
          .sorted(Comparator.comparingInt(TypeRow::dataType).thenComparing(TypeRow::name))
          .toList();

  private XdbcTypeInfo() {}

  /** The row of a type, with the JDBC code and sizes the Flight SQL JDBC driver reports for it. */
  private static TypeRow row(SqlType type) {
    List<String> createParams = type.createParams().isEmpty() ? null : type.createParams();
    DataType dataType = type.type();
    if (dataType instanceof DecimalType) {
      return row(type, Types.DECIMAL, 38, createParams, false, true, 0, 38, null, 10);
    }
    if (dataType instanceof ArrayType) {
      return row(type, Types.ARRAY, null, createParams, null, false, null, null, null, null);
    }
    if (dataType instanceof MapType || dataType instanceof StructType) {
      return row(type, Types.JAVA_OBJECT, null, createParams, null, false, null, null, null, null);
    }
    PrimitiveType primitive = (PrimitiveType) dataType;
    return switch (primitive) {
      case TINYINT -> numeric(type, Types.TINYINT, 3);
      case SMALLINT -> numeric(type, Types.SMALLINT, 5);
      case INT -> numeric(type, Types.INTEGER, 10);
      case BIGINT -> numeric(type, Types.BIGINT, 19);
      case FLOAT -> numeric(type, Types.FLOAT, 7);
      case DOUBLE -> numeric(type, Types.DOUBLE, 15);
      case BOOLEAN -> row(type, Types.BOOLEAN, 1, null, null, false, null, null, null, null);
      case STRING ->
          row(type, Types.VARCHAR, MAX_LENGTH, null, null, false, null, null, null, null);
      case BINARY ->
          row(type, Types.VARBINARY, MAX_LENGTH, null, null, false, null, null, null, null);
      case DATE -> row(type, Types.DATE, 10, null, null, false, null, null, SQL_CODE_DATE, null);
      case TIMESTAMP_NTZ ->
          row(type, Types.TIMESTAMP, 26, null, null, false, 6, 6, SQL_CODE_TIMESTAMP, null);
      case TIMESTAMP ->
          row(
              type,
              Types.TIMESTAMP_WITH_TIMEZONE,
              26,
              null,
              null,
              false,
              6,
              6,
              SQL_CODE_TIMESTAMP,
              null);
    };
  }

  private static TypeRow numeric(SqlType type, int dataType, int precision) {
    return row(type, dataType, precision, null, false, false, 0, 0, null, 10);
  }

  private static TypeRow row(
      SqlType type,
      int dataType,
      Integer columnSize,
      List<String> createParams,
      Boolean unsigned,
      boolean fixedPrecScale,
      Integer minimumScale,
      Integer maximumScale,
      Integer datetimeSubcode,
      Integer numPrecRadix) {
    return new TypeRow(
        type.name(),
        dataType,
        columnSize,
        type.literalPrefix(),
        type.literalSuffix(),
        createParams,
        type.caseSensitive(),
        type.searchable(),
        unsigned,
        fixedPrecScale,
        minimumScale,
        maximumScale,
        datetimeSubcode == null ? dataType : SQL_DATETIME,
        datetimeSubcode,
        numPrecRadix);
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
