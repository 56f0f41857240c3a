package io.aquifer.avatica;

import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.WildcardPattern;
import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of the {@link DatabaseMetaData} calls Aquifer answers (catalogs, schemas, tables,
 * columns, table types, type info), in the column shapes Avatica defines and the orders JDBC
 * specifies. Column types are described exactly as result columns of the same type are, see {@link
 * WireColumns}.
 */
final class MetadataRows {
  static final MetadataShape CATALOGS = MetadataShape.of(MetaCatalog.class);
  static final MetadataShape SCHEMAS = MetadataShape.of(MetaSchema.class);
  static final MetadataShape TABLES = MetadataShape.of(MetaTable.class);
  static final MetadataShape COLUMNS = MetadataShape.of(MetaColumn.class);
  static final MetadataShape TABLE_TYPES = MetadataShape.of(MetaTableType.class);
  static final MetadataShape TYPE_INFO = MetadataShape.of(MetaTypeInfo.class);
  static final List<String> TABLE_TYPE_NAMES = List.of("TABLE", "VIEW");

  private static final Logger log = LoggerFactory.getLogger(MetadataRows.class);
  private static final int TIMESTAMP_LENGTH = 26; // yyyy-MM-dd HH:mm:ss.SSSSSS
  private static final int DATE_LENGTH = 10;
  private static final int TIMESTAMP_FRACTION_DIGITS = 6;

  private MetadataRows() {}

  static List<Object[]> catalogs(StatementService service, Session session) {
    return service.catalogs(session).stream()
        .sorted()
        .map(c -> CATALOGS.row().set("TABLE_CAT", c).values())
        .toList();
  }

  static List<Object[]> schemas(
      StatementService service, Session session, String catalog, String schemaPattern) {
    if (catalog != null && catalog.isEmpty()) {
      return List.of(); // "" asks for schemas without a catalog; every Aquifer schema has one.
    }
    return service
        .schemas(session, Optional.ofNullable(catalog), Optional.ofNullable(schemaPattern))
        .stream()
        .sorted(Comparator.comparing(SchemaRef::catalog).thenComparing(SchemaRef::schema))
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
      StatementService service,
      Session session,
      String catalog,
      String schemaPattern,
      String tablePattern,
      List<String> types) {
    return tableRefs(service, session, catalog, schemaPattern, tablePattern, types).stream()
        .sorted(
            Comparator.comparing(TableRef::type)
                .thenComparing(TableRef::catalog)
                .thenComparing(TableRef::schema)
                .thenComparing(TableRef::name))
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
      StatementService service,
      Session session,
      String catalog,
      String schemaPattern,
      String tablePattern,
      String columnPattern) {
    WildcardPattern columnNames = WildcardPattern.sqlLike(columnPattern);
    List<TableRef> tables =
        tableRefs(service, session, catalog, schemaPattern, tablePattern, List.of()).stream()
            .sorted(
                Comparator.comparing(TableRef::catalog)
                    .thenComparing(TableRef::schema)
                    .thenComparing(TableRef::name))
            .toList();
    List<Object[]> rows = new ArrayList<>();
    for (TableRef table : tables) {
      List<Column> columns;
      try {
        columns = service.columns(session, table.catalog(), table.schema(), table.name()).columns();
      } catch (GatewayException e) {
        if (e.category() != ErrorCategory.NOT_FOUND) {
          throw e;
        }
        log.debug(
            "Table {}.{}.{} vanished while listing", table.catalog(), table.schema(), table.name());
        continue;
      }
      for (int i = 0; i < columns.size(); i++) {
        Column column = columns.get(i);
        if (columnNames.matches(column.name())) {
          rows.add(column(table, column, i + 1));
        }
      }
    }
    return rows;
  }

  static List<Object[]> tableTypes() {
    return TABLE_TYPE_NAMES.stream()
        .map(t -> TABLE_TYPES.row().set("TABLE_TYPE", t).values())
        .toList();
  }

  /** Every Aquifer type, ordered by JDBC type code as the specification asks. */
  static List<Object[]> typeInfo() {
    List<Object[]> rows = new ArrayList<>();
    List<TypeRow> types = new ArrayList<>();
    types.add(
        new TypeRow(
            "BOOLEAN",
            PrimitiveType.BOOLEAN,
            null,
            null,
            null,
            false,
            DatabaseMetaData.typePredBasic));
    for (PrimitiveType type :
        List.of(
            PrimitiveType.TINYINT,
            PrimitiveType.SMALLINT,
            PrimitiveType.INT,
            PrimitiveType.BIGINT,
            PrimitiveType.FLOAT,
            PrimitiveType.DOUBLE)) {
      types.add(
          new TypeRow(type.sql(), type, null, null, null, false, DatabaseMetaData.typePredBasic));
    }
    types.add(
        new TypeRow(
            "DECIMAL",
            new DecimalType(DecimalType.MAX_PRECISION, 0),
            null,
            null,
            "precision,scale",
            false,
            DatabaseMetaData.typePredBasic));
    types.add(
        new TypeRow(
            "STRING", PrimitiveType.STRING, "'", "'", null, true, DatabaseMetaData.typeSearchable));
    types.add(
        new TypeRow(
            "BINARY",
            PrimitiveType.BINARY,
            "X'",
            "'",
            null,
            false,
            DatabaseMetaData.typePredBasic));
    types.add(
        new TypeRow(
            "DATE",
            PrimitiveType.DATE,
            "DATE '",
            "'",
            null,
            false,
            DatabaseMetaData.typePredBasic));
    types.add(
        new TypeRow(
            "TIMESTAMP",
            PrimitiveType.TIMESTAMP,
            "TIMESTAMP '",
            "'",
            null,
            false,
            DatabaseMetaData.typePredBasic));
    types.add(
        new TypeRow(
            "TIMESTAMP_NTZ",
            PrimitiveType.TIMESTAMP_NTZ,
            "TIMESTAMP_NTZ '",
            "'",
            null,
            false,
            DatabaseMetaData.typePredBasic));
    types.add(
        new TypeRow(
            "ARRAY",
            new ArrayType(PrimitiveType.STRING, true),
            null,
            null,
            "element_type",
            false,
            DatabaseMetaData.typePredNone));
    types.add(
        new TypeRow(
            "MAP",
            new MapType(PrimitiveType.STRING, PrimitiveType.STRING, true),
            null,
            null,
            "key_type,value_type",
            false,
            DatabaseMetaData.typePredNone));
    types.add(
        new TypeRow(
            "STRUCT",
            new StructType(List.of(Column.of("f", PrimitiveType.STRING))),
            null,
            null,
            "fields",
            false,
            DatabaseMetaData.typePredNone));
    // Stable sort: within one JDBC type, the closest Aquifer type comes first.
    types.sort(Comparator.comparingInt(t -> describedSqlType(t.type())));
    for (TypeRow type : types) {
      JdbcType jdbc = type.jdbc();
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
              .set("CREATE_PARAMS", type.createParams())
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

  private record TypeRow(
      String name,
      DataType type,
      String literalPrefix,
      String literalSuffix,
      String createParams,
      boolean caseSensitive,
      int searchable) {
    JdbcType jdbc() {
      return jdbcType(type);
    }
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

  private static List<TableRef> tableRefs(
      StatementService service,
      Session session,
      String catalog,
      String schemaPattern,
      String tablePattern,
      List<String> types) {
    if (catalog != null && catalog.isEmpty()) {
      return List.of(); // "" asks for tables without a catalog; every Aquifer table has one.
    }
    return service.tables(
        session,
        Optional.ofNullable(catalog),
        Optional.ofNullable(schemaPattern),
        Optional.ofNullable(tablePattern),
        types == null ? List.of() : List.copyOf(types));
  }
}
