package io.aquifer.avatica;

import io.aquifer.gateway.Session;
import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.gateway.frontend.CatalogMetadata;
import io.aquifer.gateway.frontend.SqlTypes;
import io.aquifer.gateway.frontend.SqlTypes.SqlType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.StructType;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.avatica.MetaImpl.MetaCatalog;
import org.apache.calcite.avatica.MetaImpl.MetaColumn;
import org.apache.calcite.avatica.MetaImpl.MetaSchema;
import org.apache.calcite.avatica.MetaImpl.MetaTable;
import org.apache.calcite.avatica.MetaImpl.MetaTableType;
import org.apache.calcite.avatica.MetaImpl.MetaTypeInfo;

/**
 * The rows of the {@link DatabaseMetaData} calls Aquifer answers (catalogs, schemas, tables,
 * columns, table types, type info), read through the gateway's {@link CatalogMetadata} and {@link
 * SqlTypes} and encoded in the column shapes Avatica defines, in the orders JDBC specifies. Column
 * types are described exactly as result columns of the same type are, see {@link WireColumns}.
 */
final class MetadataRows {
  static final MetadataShape CATALOGS = MetadataShape.of(MetaCatalog.class);
  static final MetadataShape SCHEMAS = MetadataShape.of(MetaSchema.class);
  static final MetadataShape TABLES = MetadataShape.of(MetaTable.class);
  static final MetadataShape COLUMNS = MetadataShape.of(MetaColumn.class);
  static final MetadataShape TABLE_TYPES = MetadataShape.of(MetaTableType.class);
  static final MetadataShape TYPE_INFO = MetadataShape.of(MetaTypeInfo.class);

  private static final int TIMESTAMP_LENGTH = 26; // yyyy-MM-dd HH:mm:ss.SSSSSS
  private static final int DATE_LENGTH = 10;
  private static final int TIMESTAMP_FRACTION_DIGITS = 6;

  private MetadataRows() {}

  static List<Object[]> catalogs(CatalogMetadata metadata, Session session) {
    return metadata.catalogs(session).stream()
        .map(c -> CATALOGS.row().set("TABLE_CAT", c).values())
        .toList();
  }

  static List<Object[]> schemas(
      CatalogMetadata metadata, Session session, String catalog, String schemaPattern) {
    return metadata
        .schemas(session, Optional.ofNullable(catalog), Optional.ofNullable(schemaPattern))
        .stream()
        .map(
            s ->
                SCHEMAS
                    .row()
                    .set("TABLE_CATALOG", s.catalog())
                    .set("TABLE_SCHEM", s.schema())
                    .values())
        .toList();
  }

  static List<Object[]> tables(
      CatalogMetadata metadata,
      Session session,
      String catalog,
      String schemaPattern,
      String tablePattern,
      List<String> types) {
    return metadata
        .tables(
            session,
            Optional.ofNullable(catalog),
            Optional.ofNullable(schemaPattern),
            Optional.ofNullable(tablePattern),
            types,
            CatalogMetadata.BY_TYPE_THEN_NAME)
        .stream()
        .map(
            t ->
                TABLES
                    .row()
                    .set("TABLE_CAT", t.catalog())
                    .set("TABLE_SCHEM", t.schema())
                    .set("TABLE_NAME", t.name())
                    .set("TABLE_TYPE", t.type())
                    .set("REMARKS", t.comment().orElse(null))
                    .values())
        .toList();
  }

  static List<Object[]> columns(
      CatalogMetadata metadata,
      Session session,
      String catalog,
      String schemaPattern,
      String tablePattern,
      String columnPattern) {
    return metadata
        .columns(
            session,
            Optional.ofNullable(catalog),
            Optional.ofNullable(schemaPattern),
            Optional.ofNullable(tablePattern),
            Optional.ofNullable(columnPattern))
        .stream()
        .map(c -> column(c.table(), c.column(), c.ordinal()))
        .toList();
  }

  static List<Object[]> tableTypes() {
    return CatalogMetadata.TABLE_TYPES.stream()
        .map(t -> TABLE_TYPES.row().set("TABLE_TYPE", t).values())
        .toList();
  }

  /** Every Aquifer type ({@link SqlTypes}), ordered by JDBC type code as the specification asks. */
  static List<Object[]> typeInfo() {
    List<Object[]> rows = new ArrayList<>();
    List<SqlType> types = new ArrayList<>(SqlTypes.ALL);
    // Stable sort: within one JDBC type, the closest Aquifer type comes first.
    types.sort(Comparator.comparingInt(t -> describedSqlType(t.type())));
    for (SqlType type : types) {
      JdbcType jdbc = jdbcType(type.type());
      boolean exactNumeric =
          jdbc.sqlType() == Types.DECIMAL
              || jdbc.sqlType() == Types.TINYINT
              || jdbc.sqlType() == Types.SMALLINT
              || jdbc.sqlType() == Types.INTEGER
              || jdbc.sqlType() == Types.BIGINT;
      rows.add(
          TYPE_INFO
              .row()
              .set("TYPE_NAME", type.name())
              .set("DATA_TYPE", describedSqlType(type.type()))
              .set("PRECISION", columnSize(jdbc))
              .set("LITERAL_PREFIX", type.literalPrefix())
              .set("LITERAL_SUFFIX", type.literalSuffix())
              .set(
                  "CREATE_PARAMS",
                  type.createParams().isEmpty() ? null : String.join(",", type.createParams()))
              .set("NULLABLE", DatabaseMetaData.typeNullable)
              .set("CASE_SENSITIVE", type.caseSensitive())
              .set("SEARCHABLE", type.searchable())
              .set("UNSIGNED_ATTRIBUTE", false)
              .set("FIXED_PREC_SCALE", jdbc.sqlType() == Types.DECIMAL)
              .set("AUTO_INCREMENT", false)
              .set("LOCAL_TYPE_NAME", type.name())
              .set("MINIMUM_SCALE", minimumScale(jdbc, exactNumeric))
              .set("MAXIMUM_SCALE", maximumScale(jdbc, exactNumeric))
              .set("NUM_PREC_RADIX", jdbc.isNumeric() ? Integer.valueOf(10) : null)
              .values());
    }
    return rows;
  }

  /**
   * The JDBC type code metadata (getTypeInfo, getColumns) reports: MAP is {@link Types#OTHER} and
   * STRUCT is {@link Types#STRUCT}, as Databricks names them, although their values travel as JSON
   * text that {@code getString} and {@code getObject} read; every other type as in results.
   */
  static int describedSqlType(DataType type) {
    if (type instanceof MapType) {
      return Types.OTHER;
    }
    if (type instanceof StructType) {
      return Types.STRUCT;
    }
    return jdbcType(type).sqlType();
  }

  /** How a column of this type looks in results. */
  static JdbcType jdbcType(DataType type) {
    return WireColumns.of(ArrowTypeMapping.field("column", type, true)).type();
  }

  private static Object[] column(TableRef table, Column column, int ordinal) {
    JdbcType jdbc = jdbcType(column.type());
    boolean decimal = jdbc.sqlType() == Types.DECIMAL;
    Integer decimalDigits = null;
    if (decimal) {
      decimalDigits = jdbc.scale();
    } else if (jdbc.isNumeric()
        && jdbc.sqlType() != Types.FLOAT
        && jdbc.sqlType() != Types.DOUBLE) {
      decimalDigits = 0;
    } else if (isTimestamp(jdbc)) {
      decimalDigits = TIMESTAMP_FRACTION_DIGITS;
    }
    boolean text = jdbc.sqlType() == Types.VARCHAR || jdbc.sqlType() == Types.VARBINARY;
    return COLUMNS
        .row()
        .set("TABLE_CAT", table.catalog())
        .set("TABLE_SCHEM", table.schema())
        .set("TABLE_NAME", table.name())
        .set("COLUMN_NAME", column.name())
        .set("DATA_TYPE", describedSqlType(column.type()))
        .set("TYPE_NAME", jdbc.typeName())
        .set("COLUMN_SIZE", columnSize(jdbc))
        .set("DECIMAL_DIGITS", decimalDigits)
        .set("NUM_PREC_RADIX", jdbc.isNumeric() ? Integer.valueOf(10) : null)
        .set(
            "NULLABLE",
            column.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls)
        .set("REMARKS", column.comment().orElse(null))
        .set("CHAR_OCTET_LENGTH", text ? Integer.valueOf(Integer.MAX_VALUE) : null)
        .set("ORDINAL_POSITION", ordinal)
        .set("IS_NULLABLE", column.nullable() ? "YES" : "NO")
        .set("IS_AUTOINCREMENT", "NO")
        .set("IS_GENERATEDCOLUMN", "NO")
        .values();
  }

  private static Integer minimumScale(JdbcType jdbc, boolean exactNumeric) {
    if (exactNumeric) {
      return 0;
    }
    return isTimestamp(jdbc) ? Integer.valueOf(TIMESTAMP_FRACTION_DIGITS) : null;
  }

  private static Integer maximumScale(JdbcType jdbc, boolean exactNumeric) {
    if (jdbc.sqlType() == Types.DECIMAL) {
      return DecimalType.MAX_PRECISION;
    }
    return minimumScale(jdbc, exactNumeric);
  }

  /** JDBC's column size: digits of numbers, characters of dates and timestamps, length of text. */
  private static Integer columnSize(JdbcType jdbc) {
    if (jdbc.isNumeric() || jdbc.sqlType() == Types.BOOLEAN) {
      return jdbc.precision();
    }
    return switch (jdbc.sqlType()) {
      case Types.DATE -> DATE_LENGTH;
      case Types.TIMESTAMP -> TIMESTAMP_LENGTH;
      case Types.VARCHAR, Types.VARBINARY -> Integer.MAX_VALUE;
      default -> null;
    };
  }

  private static boolean isTimestamp(JdbcType jdbc) {
    return jdbc.sqlType() == Types.TIMESTAMP;
  }
}
