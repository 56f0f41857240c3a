package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.TTypeId;
import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.WildcardPattern;
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

/**
 * The rows of the protocol's metadata calls, in the JDBC column layouts HiveServer2 answers with
 * (which the Databricks drivers hand to applications unchanged).
 */
final class MetadataListings {
  static final List<ResultColumn> CATALOGS = columns("TABLE_CAT", TTypeId.STRING_TYPE);
  static final List<ResultColumn> SCHEMAS =
      columns("TABLE_SCHEM", TTypeId.STRING_TYPE, "TABLE_CATALOG", TTypeId.STRING_TYPE);
  static final List<ResultColumn> TABLES =
      columns(
          "TABLE_CAT", TTypeId.STRING_TYPE,
          "TABLE_SCHEM", TTypeId.STRING_TYPE,
          "TABLE_NAME", TTypeId.STRING_TYPE,
          "TABLE_TYPE", TTypeId.STRING_TYPE,
          "REMARKS", TTypeId.STRING_TYPE,
          "TYPE_CAT", TTypeId.STRING_TYPE,
          "TYPE_SCHEM", TTypeId.STRING_TYPE,
          "TYPE_NAME", TTypeId.STRING_TYPE,
          "SELF_REFERENCING_COL_NAME", TTypeId.STRING_TYPE,
          "REF_GENERATION", TTypeId.STRING_TYPE);
  static final List<ResultColumn> TABLE_TYPES = columns("TABLE_TYPE", TTypeId.STRING_TYPE);
  static final List<ResultColumn> COLUMNS =
      columns(
          "TABLE_CAT", TTypeId.STRING_TYPE,
          "TABLE_SCHEM", TTypeId.STRING_TYPE,
          "TABLE_NAME", TTypeId.STRING_TYPE,
          "COLUMN_NAME", TTypeId.STRING_TYPE,
          "DATA_TYPE", TTypeId.INT_TYPE,
          "TYPE_NAME", TTypeId.STRING_TYPE,
          "COLUMN_SIZE", TTypeId.INT_TYPE,
          "BUFFER_LENGTH", TTypeId.TINYINT_TYPE,
          "DECIMAL_DIGITS", TTypeId.INT_TYPE,
          "NUM_PREC_RADIX", TTypeId.INT_TYPE,
          "NULLABLE", TTypeId.INT_TYPE,
          "REMARKS", TTypeId.STRING_TYPE,
          "COLUMN_DEF", TTypeId.STRING_TYPE,
          "SQL_DATA_TYPE", TTypeId.INT_TYPE,
          "SQL_DATETIME_SUB", TTypeId.INT_TYPE,
          "CHAR_OCTET_LENGTH", TTypeId.INT_TYPE,
          "ORDINAL_POSITION", TTypeId.INT_TYPE,
          "IS_NULLABLE", TTypeId.STRING_TYPE,
          "SCOPE_CATALOG", TTypeId.STRING_TYPE,
          "SCOPE_SCHEMA", TTypeId.STRING_TYPE,
          "SCOPE_TABLE", TTypeId.STRING_TYPE,
          "SOURCE_DATA_TYPE", TTypeId.SMALLINT_TYPE,
          "IS_AUTO_INCREMENT", TTypeId.STRING_TYPE);
  static final List<ResultColumn> TYPE_INFO =
      columns(
          "TYPE_NAME", TTypeId.STRING_TYPE,
          "DATA_TYPE", TTypeId.INT_TYPE,
          "PRECISION", TTypeId.INT_TYPE,
          "LITERAL_PREFIX", TTypeId.STRING_TYPE,
          "LITERAL_SUFFIX", TTypeId.STRING_TYPE,
          "CREATE_PARAMS", TTypeId.STRING_TYPE,
          "NULLABLE", TTypeId.SMALLINT_TYPE,
          "CASE_SENSITIVE", TTypeId.BOOLEAN_TYPE,
          "SEARCHABLE", TTypeId.SMALLINT_TYPE,
          "UNSIGNED_ATTRIBUTE", TTypeId.BOOLEAN_TYPE,
          "FIXED_PREC_SCALE", TTypeId.BOOLEAN_TYPE,
          "AUTO_INCREMENT", TTypeId.BOOLEAN_TYPE,
          "LOCAL_TYPE_NAME", TTypeId.STRING_TYPE,
          "MINIMUM_SCALE", TTypeId.SMALLINT_TYPE,
          "MAXIMUM_SCALE", TTypeId.SMALLINT_TYPE,
          "SQL_DATA_TYPE", TTypeId.INT_TYPE,
          "SQL_DATETIME_SUB", TTypeId.INT_TYPE,
          "NUM_PREC_RADIX", TTypeId.INT_TYPE);
  static final List<ResultColumn> PRIMARY_KEYS =
      columns(
          "TABLE_CAT", TTypeId.STRING_TYPE,
          "TABLE_SCHEM", TTypeId.STRING_TYPE,
          "TABLE_NAME", TTypeId.STRING_TYPE,
          "COLUMN_NAME", TTypeId.STRING_TYPE,
          "KEY_SEQ", TTypeId.INT_TYPE,
          "PK_NAME", TTypeId.STRING_TYPE);
  static final List<ResultColumn> CROSS_REFERENCE =
      columns(
          "PKTABLE_CAT", TTypeId.STRING_TYPE,
          "PKTABLE_SCHEM", TTypeId.STRING_TYPE,
          "PKTABLE_NAME", TTypeId.STRING_TYPE,
          "PKCOLUMN_NAME", TTypeId.STRING_TYPE,
          "FKTABLE_CAT", TTypeId.STRING_TYPE,
          "FKTABLE_SCHEM", TTypeId.STRING_TYPE,
          "FKTABLE_NAME", TTypeId.STRING_TYPE,
          "FKCOLUMN_NAME", TTypeId.STRING_TYPE,
          "KEY_SEQ", TTypeId.SMALLINT_TYPE,
          "UPDATE_RULE", TTypeId.SMALLINT_TYPE,
          "DELETE_RULE", TTypeId.SMALLINT_TYPE,
          "FK_NAME", TTypeId.STRING_TYPE,
          "PK_NAME", TTypeId.STRING_TYPE,
          "DEFERRABILITY", TTypeId.SMALLINT_TYPE);

  static final List<ResultColumn> FUNCTIONS =
      columns(
          "FUNCTION_CAT", TTypeId.STRING_TYPE,
          "FUNCTION_SCHEM", TTypeId.STRING_TYPE,
          "FUNCTION_NAME", TTypeId.STRING_TYPE,
          "REMARKS", TTypeId.STRING_TYPE,
          "FUNCTION_TYPE", TTypeId.INT_TYPE,
          "SPECIFIC_NAME", TTypeId.STRING_TYPE);

  /**
   * Where Databricks lists its built-in functions: catalog {@code system}, schema {@code builtin}.
   */
  static final String BUILTIN_CATALOG = "system";

  static final String BUILTIN_SCHEMA = "builtin";

  private MetadataListings() {}

  /**
   * The built-in functions (Aquifer has no user functions yet) whose names match the LIKE pattern,
   * listed under {@code system.builtin} as Databricks lists them, ordered by name.
   */
  static List<Object[]> functions(String catalog, String schemaPattern, String functionPattern) {
    if (catalog != null && !catalog.isEmpty() && !catalog.equalsIgnoreCase(BUILTIN_CATALOG)) {
      return List.of();
    }
    if (schemaPattern != null
        && !schemaPattern.isEmpty()
        && !WildcardPattern.sqlLike(schemaPattern).matches(BUILTIN_SCHEMA)) {
      return List.of();
    }
    WildcardPattern names =
        WildcardPattern.sqlLike(
            functionPattern == null || functionPattern.isEmpty() ? "%" : functionPattern);
    return io.aquifer.planner.functions.DatabricksFunctionCatalog.INSTANCE.all().stream()
        .filter(f -> names.matches(f.name()))
        .sorted(Comparator.comparing(io.aquifer.planner.functions.DatabricksFunction::name))
        .map(
            f ->
                new Object[] {
                  BUILTIN_CATALOG,
                  BUILTIN_SCHEMA,
                  f.name(),
                  f.usage() + ": " + f.description(),
                  DatabaseMetaData.functionResultUnknown,
                  f.name()
                })
        .toList();
  }

  private static List<ResultColumn> columns(Object... nameTypePairs) {
    List<ResultColumn> out = new ArrayList<>();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      out.add(ResultColumn.of((String) nameTypePairs[i], (TTypeId) nameTypePairs[i + 1]));
    }
    return List.copyOf(out);
  }

  static List<Object[]> catalogs(StatementService service, Session session) {
    return service.catalogs(session).stream().sorted().map(c -> new Object[] {c}).toList();
  }

  static List<Object[]> schemas(
      StatementService service, Session session, String catalog, String schemaPattern) {
    return service.schemas(session, nonBlank(catalog), nonBlank(schemaPattern)).stream()
        .sorted(Comparator.comparing(SchemaRef::catalog).thenComparing(SchemaRef::schema))
        .map(s -> new Object[] {s.schema(), s.catalog()})
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
                new Object[] {
                  t.catalog(),
                  t.schema(),
                  t.name(),
                  t.type(),
                  t.comment().orElse(""),
                  null,
                  null,
                  null,
                  null,
                  null
                })
        .toList();
  }

  static List<Object[]> tableTypes() {
    return List.of(new Object[] {"TABLE"}, new Object[] {"VIEW"});
  }

  static List<Object[]> columns(
      StatementService service,
      Session session,
      String catalog,
      String schemaPattern,
      String tablePattern,
      String columnPattern) {
    WildcardPattern names =
        WildcardPattern.sqlLike(
            columnPattern == null || columnPattern.isEmpty() ? "%" : columnPattern);
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
        if (e.category() == ErrorCategory.NOT_FOUND) {
          continue; // dropped while listing
        }
        throw e;
      }
      for (int i = 0; i < columns.size(); i++) {
        Column c = columns.get(i);
        if (names.matches(c.name())) {
          rows.add(column(table, c, i));
        }
      }
    }
    return rows;
  }

  /**
   * Primary keys of a table: Aquifer tables declare none, so an existing table has no rows.
   *
   * @throws GatewayException TABLE_OR_VIEW_NOT_FOUND for a table that does not exist
   */
  static List<Object[]> primaryKeys(
      StatementService service, Session session, String catalog, String schema, String table) {
    service.columns(
        session,
        nonBlank(catalog).orElse(session.currentCatalog()),
        nonBlank(schema).orElse(session.currentSchema()),
        table);
    return List.of();
  }

  /**
   * One GetColumns row. {@code ORDINAL_POSITION} counts from 0 as Spark's Thrift server sends it;
   * the Databricks drivers add 1 for JDBC and ODBC.
   */
  private static Object[] column(TableRef table, Column column, int ordinal) {
    DataType type = column.type();
    int sqlType = sqlType(type);
    Integer size = columnSize(type);
    Integer digits =
        type instanceof DecimalType d
            ? Integer.valueOf(d.scale())
            : isInteger(type) ? Integer.valueOf(0) : null;
    return new Object[] {
      table.catalog(),
      table.schema(),
      table.name(),
      column.name(),
      sqlType,
      type.sql(),
      size,
      null,
      digits,
      isNumeric(type) ? Integer.valueOf(10) : null,
      column.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
      column.comment().orElse(""),
      null,
      null,
      null,
      type == PrimitiveType.STRING || type == PrimitiveType.BINARY
          ? Integer.valueOf(Integer.MAX_VALUE)
          : null,
      ordinal,
      column.nullable() ? "YES" : "NO",
      null,
      null,
      null,
      null,
      "NO"
    };
  }

  /** The rows of GetTypeInfo, ordered by JDBC type code. */
  static List<Object[]> typeInfo() {
    List<DataType> types =
        new ArrayList<>(
            List.of(
                PrimitiveType.BOOLEAN,
                PrimitiveType.TINYINT,
                PrimitiveType.SMALLINT,
                PrimitiveType.INT,
                PrimitiveType.BIGINT,
                PrimitiveType.FLOAT,
                PrimitiveType.DOUBLE,
                new DecimalType(DecimalType.MAX_PRECISION, 0),
                PrimitiveType.STRING,
                PrimitiveType.BINARY,
                PrimitiveType.DATE,
                PrimitiveType.TIMESTAMP,
                PrimitiveType.TIMESTAMP_NTZ,
                new ArrayType(PrimitiveType.STRING, true),
                new MapType(PrimitiveType.STRING, PrimitiveType.STRING, true),
                new StructType(List.of(Column.of("f", PrimitiveType.STRING)))));
    types.sort(Comparator.comparingInt(MetadataListings::sqlType));
    List<Object[]> rows = new ArrayList<>();
    for (DataType t : types) {
      String name = baseName(t);
      boolean exact = isInteger(t) || t instanceof DecimalType;
      String quote =
          switch (name) {
            case "STRING" -> "'";
            case "BINARY" -> "X'";
            case "DATE", "TIMESTAMP", "TIMESTAMP_NTZ" -> name + " '";
            default -> null;
          };
      rows.add(
          new Object[] {
            name,
            sqlType(t),
            columnSize(t),
            quote,
            quote == null ? null : "'",
            t instanceof DecimalType ? "precision,scale" : null,
            (short) DatabaseMetaData.typeNullable,
            t == PrimitiveType.STRING,
            (short)
                (t == PrimitiveType.STRING
                    ? DatabaseMetaData.typeSearchable
                    : isComplex(t)
                        ? DatabaseMetaData.typePredNone
                        : DatabaseMetaData.typePredBasic),
            false,
            t instanceof DecimalType,
            false,
            name,
            exact ? Short.valueOf((short) 0) : null,
            t instanceof DecimalType
                ? Short.valueOf((short) DecimalType.MAX_PRECISION)
                : exact ? Short.valueOf((short) 0) : null,
            null,
            null,
            isNumeric(t) ? Integer.valueOf(10) : null
          });
    }
    return rows;
  }

  private static String baseName(DataType t) {
    String sql = t.sql();
    int paren = sql.indexOf('(');
    int angle = sql.indexOf('<');
    int cut = paren < 0 ? angle : angle < 0 ? paren : Math.min(paren, angle);
    return cut < 0 ? sql : sql.substring(0, cut);
  }

  /** The JDBC type code Databricks reports for a type. */
  static int sqlType(DataType type) {
    if (type instanceof DecimalType) {
      return Types.DECIMAL;
    }
    if (type instanceof ArrayType) {
      return Types.ARRAY;
    }
    if (type instanceof MapType) {
      return Types.OTHER;
    }
    if (type instanceof StructType) {
      return Types.STRUCT;
    }
    return switch ((PrimitiveType) type) {
      case BOOLEAN -> Types.BOOLEAN;
      case TINYINT -> Types.TINYINT;
      case SMALLINT -> Types.SMALLINT;
      case INT -> Types.INTEGER;
      case BIGINT -> Types.BIGINT;
      case FLOAT -> Types.REAL;
      case DOUBLE -> Types.DOUBLE;
      case STRING -> Types.VARCHAR;
      case BINARY -> Types.BINARY;
      case DATE -> Types.DATE;
      case TIMESTAMP, TIMESTAMP_NTZ -> Types.TIMESTAMP;
    };
  }

  private static Integer columnSize(DataType type) {
    if (type instanceof DecimalType d) {
      return d.precision();
    }
    if (!(type instanceof PrimitiveType p)) {
      return null;
    }
    return switch (p) {
      case BOOLEAN -> 1;
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INT -> 10;
      case BIGINT -> 19;
      case FLOAT -> 7;
      case DOUBLE -> 15;
      case STRING, BINARY -> Integer.MAX_VALUE;
      case DATE -> 10;
      case TIMESTAMP, TIMESTAMP_NTZ -> 29;
    };
  }

  private static boolean isInteger(DataType t) {
    return t == PrimitiveType.TINYINT
        || t == PrimitiveType.SMALLINT
        || t == PrimitiveType.INT
        || t == PrimitiveType.BIGINT;
  }

  private static boolean isNumeric(DataType t) {
    return isInteger(t)
        || t instanceof DecimalType
        || t == PrimitiveType.FLOAT
        || t == PrimitiveType.DOUBLE;
  }

  private static boolean isComplex(DataType t) {
    return t instanceof ArrayType || t instanceof MapType || t instanceof StructType;
  }

  private static List<TableRef> tableRefs(
      StatementService service,
      Session session,
      String catalog,
      String schemaPattern,
      String tablePattern,
      List<String> types) {
    return service.tables(
        session,
        nonBlank(catalog),
        nonBlank(schemaPattern),
        nonBlank(tablePattern),
        types == null ? List.of() : List.copyOf(types));
  }

  private static Optional<String> nonBlank(String s) {
    return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
