package io.aquifer.gateway.execution;

import static io.aquifer.storage.types.PrimitiveType.BOOLEAN;
import static io.aquifer.storage.types.PrimitiveType.INT;
import static io.aquifer.storage.types.PrimitiveType.STRING;
import static io.aquifer.storage.types.PrimitiveType.TIMESTAMP;

import io.aquifer.catalog.CatalogInfo;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.SchemaInfo;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.planner.PlannerCatalog.SystemTableEntry;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code information_schema} of every catalog: read-only tables whose rows describe that catalog's
 * objects, with Databricks' table and column names (CATALOGS, SCHEMATA, TABLES, COLUMNS, VIEWS,
 * ROUTINES). As in Databricks, a catalog's information schema lists that catalog only. The rows
 * come from the catalog store the JDBC and Flight metadata calls read, and column types from the
 * same source as {@code DESCRIBE TABLE}, so both agree.
 */
final class InformationSchema {
  static final String NAME = "information_schema";
  private static final Logger LOG = LoggerFactory.getLogger(InformationSchema.class);

  private static final TableSchema CATALOGS =
      schema(
          "catalog_name", STRING,
          "catalog_owner", STRING,
          "comment", STRING,
          "created", TIMESTAMP,
          "created_by", STRING,
          "last_altered", TIMESTAMP,
          "last_altered_by", STRING);
  private static final TableSchema SCHEMATA =
      schema(
          "catalog_name", STRING,
          "schema_name", STRING,
          "schema_owner", STRING,
          "comment", STRING,
          "created", TIMESTAMP,
          "created_by", STRING,
          "last_altered", TIMESTAMP,
          "last_altered_by", STRING);
  private static final TableSchema TABLES =
      schema(
          "table_catalog", STRING,
          "table_schema", STRING,
          "table_name", STRING,
          "table_type", STRING,
          "is_insertable_into", STRING,
          "commit_action", STRING,
          "table_owner", STRING,
          "comment", STRING,
          "created", TIMESTAMP,
          "created_by", STRING,
          "last_altered", TIMESTAMP,
          "last_altered_by", STRING,
          "data_source_format", STRING,
          "storage_sub_directory", STRING);
  private static final TableSchema COLUMNS =
      schema(
          "table_catalog", STRING,
          "table_schema", STRING,
          "table_name", STRING,
          "column_name", STRING,
          "ordinal_position", INT,
          "column_default", STRING,
          "is_nullable", STRING,
          "full_data_type", STRING,
          "data_type", STRING,
          "character_maximum_length", INT,
          "character_octet_length", INT,
          "numeric_precision", INT,
          "numeric_precision_radix", INT,
          "numeric_scale", INT,
          "datetime_precision", INT,
          "is_identity", STRING,
          "is_generated", STRING,
          "is_updatable", STRING,
          "partition_index", INT,
          "comment", STRING);
  private static final TableSchema VIEWS =
      schema(
          "table_catalog", STRING,
          "table_schema", STRING,
          "table_name", STRING,
          "view_definition", STRING,
          "check_option", STRING,
          "is_updatable", STRING,
          "is_insertable_into", STRING,
          "sql_path", STRING,
          "is_materialized", BOOLEAN);

  /** Databricks' ROUTINES columns that Aquifer's SQL functions fill. */
  private static final TableSchema ROUTINES =
      schema(
          "specific_catalog", STRING,
          "specific_schema", STRING,
          "specific_name", STRING,
          "routine_catalog", STRING,
          "routine_schema", STRING,
          "routine_name", STRING,
          "routine_owner", STRING,
          "routine_type", STRING,
          "data_type", STRING,
          "full_data_type", STRING,
          "routine_body", STRING,
          "routine_definition", STRING,
          "is_deterministic", STRING,
          "sql_data_access", STRING,
          "is_null_call", STRING,
          "security_type", STRING,
          "comment", STRING,
          "created", TIMESTAMP,
          "created_by", STRING,
          "last_altered", TIMESTAMP,
          "last_altered_by", STRING);

  private static final Map<String, TableSchema> TABLE_SCHEMAS =
      Map.of(
          "catalogs", CATALOGS,
          "schemata", SCHEMATA,
          "tables", TABLES,
          "columns", COLUMNS,
          "views", VIEWS,
          "routines", ROUTINES);

  /** A table's columns and partition columns, as DESCRIBE TABLE gives them. */
  record TableColumns(List<Column> columns, List<String> partitionColumns) {}

  private final CatalogStore catalog;
  private final Function<TableInfo, TableColumns> columns;

  /** Rows are only of what the session's principal may see. */
  private final AccessControl access;

  /**
   * @param columns the columns of a table or view (may throw for a view that no longer validates:
   *     its columns are then left out)
   */
  InformationSchema(
      CatalogStore catalog, Function<TableInfo, TableColumns> columns, AccessControl access) {
    this.catalog = catalog;
    this.columns = columns;
    this.access = java.util.Objects.requireNonNull(access, "access");
  }

  static boolean isInformationSchema(String schema) {
    return NAME.equalsIgnoreCase(schema);
  }

  static Set<String> tableNames() {
    return TABLE_SCHEMAS.keySet();
  }

  Optional<SystemTableEntry> table(String catalogName, String table) {
    String name = table.toLowerCase(Locale.ROOT);
    TableSchema schema = TABLE_SCHEMAS.get(name);
    Optional<CatalogInfo> info = catalog.getCatalog(catalogName.toLowerCase(Locale.ROOT));
    if (schema == null || info.isEmpty()) {
      return Optional.empty();
    }
    String c = info.get().name();
    return Optional.of(
        new SystemTableEntry(List.of(c, NAME, name), schema, () -> rows(info.get(), name)));
  }

  private List<List<Object>> rows(CatalogInfo c, String table) {
    List<List<Object>> rows = new ArrayList<>();
    switch (table) {
      case "catalogs" -> {
        if (access.canSeeCatalog(c.name())) {
          rows.add(
              row(
                  c.name(),
                  c.owner(),
                  c.comment().orElse(null),
                  c.createdAt(),
                  c.owner(),
                  c.updatedAt(),
                  c.owner()));
        }
      }
      case "schemata" -> {
        for (SchemaInfo s : access.visibleSchemas(catalog.listSchemas(c.name()))) {
          rows.add(
              row(
                  s.catalog(),
                  s.name(),
                  s.owner(),
                  s.comment().orElse(null),
                  s.createdAt(),
                  s.owner(),
                  s.updatedAt(),
                  s.owner()));
        }
        rows.add(row(c.name(), NAME, "System user", null, null, null, null, null));
      }
      case "tables" -> {
        for (TableInfo t : tables(c)) {
          boolean view = t.kind() == TableKind.VIEW;
          rows.add(
              row(
                  t.name().catalog(),
                  t.name().schema(),
                  t.name().table(),
                  t.kind().name(),
                  view ? "NO" : "YES",
                  "PRESERVE",
                  t.owner(),
                  t.comment().orElse(null),
                  t.createdAt(),
                  t.owner(),
                  t.updatedAt(),
                  t.owner(),
                  view ? null : "DELTA",
                  null));
        }
      }
      case "columns" -> {
        for (TableInfo t : tables(c)) {
          TableColumns described;
          try {
            described = columns.apply(t);
          } catch (RuntimeException e) {
            LOG.debug("information_schema.columns leaves out {}: {}", t.name(), e.getMessage());
            continue;
          }
          int position = 0;
          for (Column column : described.columns()) {
            int partition = indexOfIgnoreCase(described.partitionColumns(), column.name());
            rows.add(
                row(
                    t.name().catalog(),
                    t.name().schema(),
                    t.name().table(),
                    column.name(),
                    position++,
                    null,
                    column.nullable() ? "YES" : "NO",
                    column.type().sql().toLowerCase(Locale.ROOT),
                    baseName(column.type()),
                    null,
                    null,
                    precision(column.type()),
                    radix(column.type()),
                    scale(column.type()),
                    datetimePrecision(column.type()),
                    "NO",
                    "NO",
                    t.kind() == TableKind.VIEW ? "NO" : "YES",
                    partition < 0 ? null : partition,
                    column.comment().orElse(null)));
          }
        }
      }
      case "views" -> {
        for (TableInfo t : tables(c)) {
          if (t.kind() == TableKind.VIEW) {
            rows.add(
                row(
                    t.name().catalog(),
                    t.name().schema(),
                    t.name().table(),
                    t.view().map(v -> v.sql()).orElse(null),
                    "NONE",
                    "NO",
                    "NO",
                    null,
                    false));
          }
        }
      }
      case "routines" -> {
        for (SchemaInfo s : catalog.listSchemas(c.name())) {
          for (io.aquifer.catalog.FunctionInfo f : catalog.functions().list(c.name(), s.name())) {
            if (!access.canSeeFunction(f.name())) {
              continue;
            }
            String type = f.returnType().isEmpty() ? null : f.returnType();
            rows.add(
                row(
                    f.name().catalog(),
                    f.name().schema(),
                    f.name().table(),
                    f.name().catalog(),
                    f.name().schema(),
                    f.name().table(),
                    f.owner(),
                    "FUNCTION",
                    type == null ? null : baseName(type),
                    type == null ? null : type.toLowerCase(Locale.ROOT),
                    "SQL",
                    f.body(),
                    "YES",
                    "CONTAINS SQL",
                    "NO",
                    "DEFINER",
                    f.comment().orElse(null),
                    f.createdAt(),
                    f.owner(),
                    f.createdAt(),
                    f.owner()));
          }
        }
      }
      default -> throw new IllegalArgumentException("no information_schema table " + table);
    }
    return rows;
  }

  private List<TableInfo> tables(CatalogInfo c) {
    List<TableInfo> tables = new ArrayList<>();
    for (SchemaInfo s : catalog.listSchemas(c.name())) {
      tables.addAll(access.visibleTables(catalog.listTables(c.name(), s.name())));
    }
    return tables;
  }

  private static String baseName(DataType type) {
    return baseName(type.sql());
  }

  private static String baseName(String typeSql) {
    String sql = typeSql.toUpperCase(Locale.ROOT);
    int end = sql.length();
    for (char stop : new char[] {'(', '<'}) {
      int i = sql.indexOf(stop);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    return sql.substring(0, end);
  }

  private static Integer precision(DataType type) {
    if (type instanceof DecimalType d) {
      return d.precision();
    }
    if (type instanceof PrimitiveType p) {
      return switch (p) {
        case TINYINT -> 3;
        case SMALLINT -> 5;
        case INT -> 10;
        case BIGINT -> 19;
        case FLOAT -> 24;
        case DOUBLE -> 53;
        default -> null;
      };
    }
    return null;
  }

  private static Integer radix(DataType type) {
    if (type instanceof DecimalType) {
      return 10;
    }
    if (type instanceof PrimitiveType p) {
      return switch (p) {
        case TINYINT, SMALLINT, INT, BIGINT -> 10;
        case FLOAT, DOUBLE -> 2;
        default -> null;
      };
    }
    return null;
  }

  private static Integer scale(DataType type) {
    if (type instanceof DecimalType d) {
      return d.scale();
    }
    if (type instanceof PrimitiveType p) {
      return switch (p) {
        case TINYINT, SMALLINT, INT, BIGINT -> 0;
        default -> null;
      };
    }
    return null;
  }

  private static Integer datetimePrecision(DataType type) {
    if (type instanceof PrimitiveType p) {
      return switch (p) {
        case DATE -> 0;
        case TIMESTAMP, TIMESTAMP_NTZ -> 6;
        default -> null;
      };
    }
    return null;
  }

  private static int indexOfIgnoreCase(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  private static TableSchema schema(Object... namesAndTypes) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      columns.add(Column.of((String) namesAndTypes[i], (DataType) namesAndTypes[i + 1]));
    }
    return new TableSchema(columns);
  }
}
