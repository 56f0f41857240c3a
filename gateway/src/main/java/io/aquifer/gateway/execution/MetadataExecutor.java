package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.longField;
import static io.aquifer.gateway.results.LocalResultStream.stringField;
import static io.aquifer.gateway.results.LocalResultStream.timestampField;

import io.aquifer.catalog.CatalogInfo;
import io.aquifer.catalog.SchemaInfo;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.exec.compile.DuckDbPlanCompiler;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.WildcardPattern;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.SystemTableQueries;
import io.aquifer.planner.calcite.CalciteTypes;
import io.aquifer.planner.functions.DatabricksFunction;
import io.aquifer.planner.functions.DatabricksFunctionCatalog;
import io.aquifer.planner.functions.FunctionCategory;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.HistoryEntry;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

/** USE, SHOW, DESCRIBE, DESCRIBE HISTORY and EXPLAIN: answered by the gateway itself. */
final class MetadataExecutor {
  private static final List<Field> CATALOGS = List.of(stringField("catalog"));
  private static final List<Field> SCHEMAS = List.of(stringField("databaseName"));
  private static final List<Field> TABLES =
      List.of(
          stringField("database"),
          stringField("tableName"),
          LocalResultStream.booleanField("isTemporary"));
  private static final List<Field> COLUMNS = List.of(stringField("col_name"));
  private static final List<Field> DESCRIBE =
      List.of(stringField("col_name"), stringField("data_type"), stringField("comment"));
  private static final List<Field> HISTORY =
      List.of(
          longField("version"),
          timestampField("timestamp"),
          stringField("operation"),
          stringField("operationParameters"),
          stringField("operationMetrics"),
          stringField("engineInfo"));
  private static final List<Field> EXPLAIN = List.of(stringField("plan"));
  private static final List<Field> FUNCTIONS = List.of(stringField("function"));
  private static final List<Field> FUNCTION_DESC = List.of(stringField("function_desc"));
  private static final List<Field> CATALOG_DESC =
      List.of(stringField("info_name"), stringField("info_value"));
  private static final List<Field> SCHEMA_DESC =
      List.of(stringField("database_description_item"), stringField("database_description_value"));

  private MetadataExecutor() {}

  /** The columns a statement answered here returns; empty for USE. */
  static List<Field> resultFields(ParsedStatement statement) {
    if (statement instanceof ParsedStatement.Show s) {
      return switch (s.kind()) {
        case CATALOGS -> CATALOGS;
        case SCHEMAS -> SCHEMAS;
        case TABLES, VIEWS -> TABLES;
        case COLUMNS -> COLUMNS;
        case FUNCTIONS -> FUNCTIONS;
      };
    }
    if (statement instanceof ParsedStatement.ShowInCatalog s) {
      return CatalogListingExecutor.resultFields(s);
    }
    if (statement instanceof ParsedStatement.DescribeFunction) {
      return FUNCTION_DESC;
    }
    if (statement instanceof ParsedStatement.DescribeNamespace s) {
      return s.catalog() ? CATALOG_DESC : SCHEMA_DESC;
    }
    if (statement instanceof ParsedStatement.Describe) {
      return DESCRIBE;
    }
    if (statement instanceof ParsedStatement.DescribeHistory) {
      return HISTORY;
    }
    if (statement instanceof ParsedStatement.Explain e) {
      return e.analyze() ? ExplainAnalyzeExecutor.FIELDS : EXPLAIN;
    }
    if (statement instanceof ParsedStatement.ShowGrants
        || statement instanceof ParsedStatement.ShowGrantsTo) {
      return GrantExecutor.SHOW_GRANTS;
    }
    if (statement instanceof ParsedStatement.ShowPrincipals s) {
      return GrantExecutor.showPrincipalsFields(s);
    }
    List<Field> volumes = VolumeExecutor.resultFields(statement);
    if (!volumes.isEmpty()) {
      return volumes;
    }
    return AlterTableExecutor.resultFields(statement);
  }

  static StatementResult use(StatementContext ctx, ParsedStatement.Use s) {
    String catalog = s.catalog().orElse(ctx.session().currentCatalog());
    if (ctx.catalog().getCatalog(catalog).isEmpty()) {
      throw GatewayErrorCode.CATALOG_NOT_FOUND.exception("catalog " + catalog + " does not exist");
    }
    // USE CATALOG needs USE CATALOG, USE SCHEMA also USE SCHEMA; what the caller may not see does
    // not exist for it
    ctx.access().requireUseCatalog(catalog);
    String schema = s.schema().orElse("default");
    if (s.schema().isPresent() && ctx.catalog().getSchema(catalog, schema).isPresent()) {
      ctx.access().requireUseSchema(catalog, schema);
    }
    if (ctx.catalog().getSchema(catalog, schema).isEmpty()) {
      if (s.schema().isEmpty()) {
        // USE CATALOG into a catalog without a default schema: keep the first schema, if any.
        List<SchemaInfo> schemas = ctx.catalog().listSchemas(catalog);
        schema = schemas.isEmpty() ? "default" : schemas.get(0).name();
      } else {
        throw GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
            "schema " + catalog + "." + schema + " does not exist");
      }
    }
    ctx.session()
        .use(catalog.toLowerCase(java.util.Locale.ROOT), schema.toLowerCase(java.util.Locale.ROOT));
    return new StatementResult.UpdateCount(0);
  }

  static StatementResult show(StatementContext ctx, ParsedStatement.Show s) {
    Optional<WildcardPattern> like = s.like().map(WildcardPattern::showPattern);
    List<List<Object>> rows = new ArrayList<>();
    switch (s.kind()) {
      case FUNCTIONS -> {
        // The SQL functions of the schema (qualified, as Databricks lists them), then the
        // built-in functions of the function catalog.
        List<String> in = s.in();
        String catalogName = in.size() == 2 ? in.get(0) : ctx.session().currentCatalog();
        String schemaName = in.isEmpty() ? ctx.session().currentSchema() : in.get(in.size() - 1);
        if (ctx.catalog().getSchema(catalogName, schemaName).isPresent()
            && ctx.access().canSeeSchema(catalogName, schemaName)) {
          for (io.aquifer.catalog.FunctionInfo f :
              ctx.catalog().functions().list(catalogName, schemaName)) {
            if (matches(like, f.name().table()) && ctx.access().canSeeFunction(f.name())) {
              rows.add(row(f.name().toString()));
            }
          }
        }
        for (DatabricksFunction f : DatabricksFunctionCatalog.INSTANCE.all()) {
          if (matches(like, f.name())) {
            rows.add(row(f.name()));
          }
        }
        return rows(ctx, FUNCTIONS, rows);
      }
      case CATALOGS -> {
        for (CatalogInfo c : ctx.access().visibleCatalogs(ctx.catalog().listCatalogs())) {
          if (matches(like, c.name())) {
            rows.add(row(c.name()));
          }
        }
        return rows(ctx, CATALOGS, rows);
      }
      case SCHEMAS -> {
        String catalog = s.in().isEmpty() ? ctx.session().currentCatalog() : s.in().get(0);
        requireCatalog(ctx, catalog);
        for (SchemaInfo schema : ctx.access().visibleSchemas(ctx.catalog().listSchemas(catalog))) {
          if (matches(like, schema.name())) {
            rows.add(row(schema.name()));
          }
        }
        return rows(ctx, SCHEMAS, rows);
      }
      case TABLES, VIEWS -> {
        String catalog = ctx.session().currentCatalog();
        String schema = ctx.session().currentSchema();
        if (s.in().size() == 1) {
          schema = s.in().get(0);
        } else if (s.in().size() == 2) {
          catalog = s.in().get(0);
          schema = s.in().get(1);
        }
        requireCatalog(ctx, catalog);
        if (ctx.catalog().getSchema(catalog, schema).isEmpty()) {
          throw GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
              "schema " + catalog + "." + schema + " does not exist");
        }
        for (TableInfo t : ctx.access().visibleTables(ctx.catalog().listTables(catalog, schema))) {
          boolean view = t.kind() == TableKind.VIEW;
          if ((s.kind() == ParsedStatement.ShowKind.VIEWS) != view
              && s.kind() != ParsedStatement.ShowKind.TABLES) {
            continue;
          }
          if (matches(like, t.name().table())) {
            rows.add(row(t.name().schema(), t.name().table(), false));
          }
        }
        return rows(ctx, TABLES, rows);
      }
      case COLUMNS -> {
        TableName name = ctx.tableName(s.in());
        for (Column c : describeColumns(ctx, name)) {
          if (matches(like, c.name())) {
            rows.add(row(c.name()));
          }
        }
        return rows(ctx, COLUMNS, rows);
      }
    }
    throw new IllegalStateException("unknown SHOW " + s.kind());
  }

  static StatementResult describe(StatementContext ctx, ParsedStatement.Describe s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = table(ctx, name);
    List<List<Object>> rows = new ArrayList<>();
    List<Column> columns = describeColumns(ctx, name);
    for (Column c : columns) {
      rows.add(row(c.name(), c.type().sql(), c.comment().orElse(null)));
    }
    if (info.kind() != TableKind.VIEW) {
      // Databricks' partition section: the partition columns again, under a header row.
      List<String> partitions =
          ctx.deltaTables().latest(URI.create(info.location().orElseThrow())).partitionColumns();
      if (!partitions.isEmpty()) {
        rows.add(row("# Partition Information", "", ""));
        rows.add(row("# col_name", "data_type", "comment"));
        for (String p : partitions) {
          columns.stream()
              .filter(c -> c.name().equalsIgnoreCase(p))
              .findFirst()
              .ifPresent(c -> rows.add(row(c.name(), c.type().sql(), c.comment().orElse(null))));
        }
      }
    }
    if (s.extended()) {
      rows.add(row("", "", ""));
      rows.add(row("# Detailed Table Information", "", ""));
      rows.add(row("Catalog", name.catalog(), ""));
      rows.add(row("Database", name.schema(), ""));
      rows.add(row("Table", name.table(), ""));
      rows.add(row("Type", info.kind().name(), ""));
      rows.add(row("Owner", info.owner(), ""));
      rows.add(row("Created Time", info.createdAt().toString(), ""));
      info.comment().ifPresent(c -> rows.add(row("Comment", c, "")));
      if (info.kind() == TableKind.VIEW) {
        rows.add(row("View Text", info.view().orElseThrow().sql(), ""));
      } else {
        rows.add(row("Location", info.location().orElse(""), ""));
        rows.add(row("Provider", "delta", ""));
        DeltaSnapshot snapshot =
            ctx.deltaTables().latest(URI.create(info.location().orElseThrow()));
        rows.add(row("Version", Long.toString(snapshot.version()), ""));
        rows.add(row("Number of Files", Integer.toString(snapshot.files().size()), ""));
        if (!snapshot.partitionColumns().isEmpty()) {
          rows.add(row("Partition Columns", String.join(", ", snapshot.partitionColumns()), ""));
        }
        if (!info.properties().isEmpty()) {
          rows.add(row("Table Properties", new TreeMap<>(info.properties()).toString(), ""));
        }
        policyRows(ctx.catalog().functions().policies(name), rows);
      }
    }
    return rows(ctx, DESCRIBE, rows);
  }

  /**
   * A table's column masks and row filter, after its detailed information: a {@code # Column Masks}
   * section with a row per masked column (column, function, USING COLUMNS), then a {@code # Row
   * Filter} section (function, ON columns).
   */
  private static void policyRows(
      io.aquifer.catalog.TablePolicies policies, List<List<Object>> rows) {
    if (!policies.masks().isEmpty()) {
      rows.add(row("", "", ""));
      rows.add(row("# Column Masks", "", ""));
      rows.add(row("Column Name", "Mask Function", "Using Columns"));
      for (io.aquifer.catalog.TablePolicies.ColumnMask m :
          new TreeMap<>(policies.masks()).values()) {
        rows.add(
            row(
                m.column(),
                m.function().toString(),
                "[" + String.join(", ", m.usingColumns()) + "]"));
      }
    }
    policies
        .rowFilter()
        .ifPresent(
            f -> {
              rows.add(row("", "", ""));
              rows.add(row("# Row Filter", "", ""));
              rows.add(row("Filter Function", f.function().toString(), ""));
              rows.add(row("Filter Columns", "[" + String.join(", ", f.columns()) + "]", ""));
            });
  }

  /**
   * DESCRIBE CATALOG and DESCRIBE SCHEMA [EXTENDED], with Databricks' row names ({@code Catalog
   * Name}, {@code Namespace Name}, {@code Comment}, {@code Owner}; EXTENDED adds {@code Created
   * Time} and {@code Updated Time}, ISO-8601 instants). An object the caller may not see is
   * reported as not existing, as in SHOW CATALOGS and SHOW SCHEMAS.
   */
  static StatementResult describeNamespace(
      StatementContext ctx, ParsedStatement.DescribeNamespace s) {
    List<List<Object>> rows = new ArrayList<>();
    if (s.catalog()) {
      String name = s.name().get(0);
      CatalogInfo c =
          ctx.catalog()
              .getCatalog(name)
              .filter(info -> !ctx.access().visibleCatalogs(List.of(info)).isEmpty())
              .orElseThrow(
                  () ->
                      GatewayErrorCode.CATALOG_NOT_FOUND.exception(
                          "catalog " + name + " does not exist"));
      rows.add(row("Catalog Name", c.name()));
      rows.add(row("Comment", c.comment().orElse("")));
      rows.add(row("Owner", c.owner()));
      if (s.extended()) {
        rows.add(row("Created Time", c.createdAt().toString()));
        rows.add(row("Updated Time", c.updatedAt().toString()));
      }
      return rows(ctx, CATALOG_DESC, rows);
    }
    String catalog = s.name().size() == 2 ? s.name().get(0) : ctx.session().currentCatalog();
    String schema = s.name().get(s.name().size() - 1);
    SchemaInfo info =
        ctx.catalog()
            .getSchema(catalog, schema)
            .filter(i -> !ctx.access().visibleSchemas(List.of(i)).isEmpty())
            .orElseThrow(
                () ->
                    GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
                        "schema " + catalog + "." + schema + " does not exist"));
    rows.add(row("Catalog Name", info.catalog()));
    rows.add(row("Namespace Name", info.name()));
    rows.add(row("Comment", info.comment().orElse("")));
    rows.add(row("Owner", info.owner()));
    if (s.extended()) {
      rows.add(row("Created Time", info.createdAt().toString()));
      rows.add(row("Updated Time", info.updatedAt().toString()));
    }
    return rows(ctx, SCHEMA_DESC, rows);
  }

  /** DESCRIBE FUNCTION [EXTENDED]: Databricks' rows of "Function:", "Usage:" (and more). */
  static StatementResult describeFunction(
      StatementContext ctx, ParsedStatement.DescribeFunction s) {
    Optional<io.aquifer.catalog.FunctionInfo> user = userFunction(ctx, s.name());
    if (user.isPresent()) {
      io.aquifer.catalog.FunctionInfo f = user.get();
      List<List<Object>> rows = new ArrayList<>();
      rows.add(row("Function: " + f.name()));
      rows.add(row("Type: SCALAR"));
      rows.add(row("Input: " + f.parameterList()));
      rows.add(row("Returns: " + f.returnType()));
      if (s.extended()) {
        rows.add(row("Comment: " + f.comment().orElse("")));
        rows.add(row("Owner: " + f.owner()));
        rows.add(row("Create Time: " + f.createdAt()));
        rows.add(row("Body: " + f.body()));
      }
      return rows(ctx, FUNCTION_DESC, rows);
    }
    DatabricksFunction f =
        DatabricksFunctionCatalog.INSTANCE
            .function(s.name())
            .orElseThrow(
                () ->
                    GatewayErrorCode.UNRESOLVED_ROUTINE.exception(
                        "function "
                            + s.name()
                            + " does not exist; SHOW FUNCTIONS lists the built-in functions"));
    List<List<Object>> rows = new ArrayList<>();
    rows.add(row("Function: " + f.name()));
    rows.add(row("Type: " + (f.category() == FunctionCategory.AGGREGATE ? "AGGREGATE" : "SCALAR")));
    rows.add(row("Usage: " + f.usage() + " - " + f.description()));
    if (s.extended()) {
      rows.add(row("Category: " + f.category().name().toLowerCase(java.util.Locale.ROOT)));
    }
    return rows(ctx, FUNCTION_DESC, rows);
  }

  /**
   * The SQL function a DESCRIBE FUNCTION names, if the caller may see it: a qualified name, or a
   * one-part name that is no built-in function, in the current schema.
   */
  private static Optional<io.aquifer.catalog.FunctionInfo> userFunction(
      StatementContext ctx, String name) {
    List<String> parts = List.of(name.split("\\."));
    if (parts.size() == 1 && DatabricksFunctionCatalog.INSTANCE.function(name).isPresent()) {
      return Optional.empty();
    }
    if (parts.size() > 3) {
      return Optional.empty();
    }
    TableName n;
    try {
      n = ctx.tableName(parts);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (!ctx.access().canSeeFunction(n)) {
      return Optional.empty();
    }
    return ctx.catalog().functions().get(n);
  }

  static StatementResult history(StatementContext ctx, ParsedStatement.DescribeHistory s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = table(ctx, name);
    if (info.kind() == TableKind.VIEW) {
      throw GatewayErrorCode.EXPECT_TABLE_NOT_VIEW.exception(
          name + " is a view; views have no history");
    }
    List<List<Object>> rows = new ArrayList<>();
    for (HistoryEntry h : ctx.deltaTables().history(URI.create(info.location().orElseThrow()))) {
      if (s.limit().isPresent() && rows.size() >= s.limit().getAsInt()) {
        break;
      }
      rows.add(
          Arrays.asList(
              h.version(),
              Instant.ofEpochMilli(h.timestampMillis()),
              h.operation(),
              new TreeMap<>(h.operationParameters()).toString(),
              new TreeMap<>(h.operationMetrics()).toString(),
              h.engineInfo()));
    }
    return rows(ctx, HISTORY, rows);
  }

  /**
   * {@code SHOW PARTITIONS t}: one row per distinct combination of the partition columns' values,
   * read by a query over the table (so the caller's privileges, row filters and masks apply).
   */
  static StatementResult showPartitions(StatementContext ctx, ParsedStatement.ShowPartitions s) {
    return QueryExecutor.run(ctx, showPartitionsQuery(ctx, s), List.of());
  }

  /** The query SHOW PARTITIONS runs, after checking that the table is a partitioned table. */
  static String showPartitionsQuery(StatementContext ctx, ParsedStatement.ShowPartitions s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = table(ctx, name);
    if (info.kind() == TableKind.VIEW) {
      throw GatewayErrorCode.EXPECT_TABLE_NOT_VIEW.exception(
          name + " is a view; SHOW PARTITIONS needs a Delta table");
    }
    List<String> partitionColumns =
        ctx.deltaTables().latest(URI.create(info.location().orElseThrow())).partitionColumns();
    if (partitionColumns.isEmpty()) {
      throw GatewayErrorCode.DELTA_SHOW_PARTITION_IN_NON_PARTITIONED_TABLE.exception(
          "SHOW PARTITIONS is not allowed on a table that is not partitioned: " + name);
    }
    List<String> quoted =
        partitionColumns.stream().map(c -> "`" + c.replace("`", "``") + "`").toList();
    return "SELECT DISTINCT "
        + String.join(", ", quoted)
        + " FROM `"
        + name.catalog().replace("`", "``")
        + "`.`"
        + name.schema().replace("`", "``")
        + "`.`"
        + name.table().replace("`", "``")
        + "` ORDER BY "
        + String.join(", ", quoted);
  }

  static StatementResult explain(StatementContext ctx, ParsedStatement.Explain s) {
    String sql;
    if (s.statement() instanceof ParsedStatement.Query q) {
      sql = q.calciteSql();
    } else {
      throw new PlannerException(
          PlannerErrorCode.UNSUPPORTED_FEATURE, "EXPLAIN supports queries only for now");
    }
    QueryPlanner planner = ctx.newPlanner();
    SqlNode node = planner.parse(sql);
    if (!node.getKind().belongsTo(SqlKind.QUERY)) {
      throw new PlannerException(PlannerErrorCode.INVALID_STATEMENT, "not a query");
    }
    PlannedQuery plan = planner.plan(node);
    boolean system = SystemTableQueries.readsSystemTables(plan.rel());
    if (s.analyze() && system) {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "EXPLAIN ANALYZE profiles queries on a warehouse; system tables are read in the gateway");
    }
    String text =
        "== Logical Plan ==\n"
            + RelOptUtil.toString(plan.rel())
            + "\n== Engine SQL ==\n"
            + (system
                ? "(none: the gateway reads system tables itself)"
                : engineSql(ctx, plan.rel()))
            + (system ? "" : dataCache(ctx, plan.rel()));
    if (s.analyze()) {
      return ExplainAnalyzeExecutor.run(ctx, plan, text);
    }
    return rows(ctx, EXPLAIN, List.of(row(text)));
  }

  /**
   * Where each table's files would be read from, as decided at planning time: the node data cache's
   * tables or Parquet ({@link NodeDataCacheDecision}).
   */
  private static String dataCache(StatementContext ctx, org.apache.calcite.rel.RelNode plan) {
    List<String> lines;
    try {
      lines = NodeDataCacheDecision.explain(ctx.warehouse(), plan);
    } catch (io.aquifer.catalog.WarehouseException e) {
      if (e.code() != io.aquifer.catalog.WarehouseErrorCode.RESOURCE_DOES_NOT_EXIST) {
        throw e;
      }
      return "";
    }
    return lines.isEmpty() ? "" : "\n== Node Data Cache ==\n" + String.join("\n", lines);
  }

  /**
   * The SQL the session's warehouse would run: DuckDB's for a DuckDB warehouse, Spark SQL for a
   * Spark warehouse. Compiling does not start the warehouse; when the gateway has no warehouse at
   * all, EXPLAIN still answers, with DuckDB's SQL.
   */
  private static String engineSql(StatementContext ctx, org.apache.calcite.rel.RelNode plan) {
    try {
      return ctx.warehouse().compile(ctx.statementId(), plan).engineSql();
    } catch (io.aquifer.catalog.WarehouseException e) {
      if (e.code() != io.aquifer.catalog.WarehouseErrorCode.RESOURCE_DOES_NOT_EXIST) {
        throw e;
      }
      return DuckDbPlanCompiler.compile(ctx.statementId(), plan).engineSql();
    }
  }

  /** Columns of a table (from its Delta schema) or a view (from validating its query). */
  static List<Column> describeColumns(StatementContext ctx, TableName name) {
    TableInfo info = table(ctx, name);
    if (info.kind() == TableKind.VIEW) {
      QueryPlanner planner = ctx.newMetadataPlanner();
      SqlNode node =
          planner.parse(
              "SELECT * FROM `"
                  + name.catalog()
                  + "`.`"
                  + name.schema()
                  + "`.`"
                  + name.table()
                  + "`");
      return CalciteTypes.columns(planner.validateQuery(node));
    }
    TableSchema schema =
        ctx.deltaTables().latest(URI.create(info.location().orElseThrow())).schema();
    return schema.columns();
  }

  /** The table or view, which the caller must be able to see (a privilege on it or above). */
  private static TableInfo table(StatementContext ctx, TableName name) {
    TableInfo info = ResolvedTable.tableOrView(ctx, name);
    ctx.access().requireVisible(io.aquifer.catalog.Securable.table(name));
    return info;
  }

  private static void requireCatalog(StatementContext ctx, String catalog) {
    if (ctx.catalog().getCatalog(catalog).isEmpty()) {
      throw GatewayErrorCode.CATALOG_NOT_FOUND.exception("catalog " + catalog + " does not exist");
    }
  }

  private static StatementResult rows(
      StatementContext ctx, List<Field> fields, List<List<Object>> rows) {
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), fields, rows));
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  private static boolean matches(Optional<WildcardPattern> like, String name) {
    return like.map(p -> p.matches(name)).orElse(true);
  }
}
