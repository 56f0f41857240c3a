package io.aquifer.gateway.execution;

import io.aquifer.catalog.CatalogException;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.TableDefinition;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.catalog.ViewDefinition;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.TemporaryView;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.calcite.CalciteTypes;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.calcite.sql.SqlNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CREATE and DROP of catalogs, schemas, tables and views. Table create and drop follow the
 * catalog's two-phase protocol, so a crash at any point leaves either the whole table or nothing
 * (start-up recovery finishes what a crash interrupted).
 */
final class DdlExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(DdlExecutor.class);
  static final long TARGET_FILE_ROWS = 1_000_000;

  private DdlExecutor() {}

  /** CREATE TABLE (or VIEW) on the schema, when it exists (else the create says it does not). */
  private static void requireCreate(StatementContext ctx, TableName name, boolean view) {
    if (ctx.catalog().getSchema(name.catalog(), name.schema()).isPresent()) {
      ctx.access().requireCreateTable(name.catalog(), name.schema(), view);
    }
  }

  static StatementResult createCatalog(StatementContext ctx, ParsedStatement.CreateCatalog s) {
    // admins, and holders of CREATE CATALOG on the metastore; the creator owns the catalog
    ctx.access().requireCreateCatalog();
    if (io.aquifer.gateway.system.SystemCatalog.isSystem(s.name())) {
      throw GatewayErrorCode.CATALOG_ALREADY_EXISTS.exception(
          "catalog system is the read-only system catalog and cannot be created");
    }
    ctx.catalog().createCatalog(s.name(), owner(ctx), s.comment(), s.ifNotExists());
    return new StatementResult.UpdateCount(0);
  }

  static StatementResult createSchema(StatementContext ctx, ParsedStatement.CreateSchema s) {
    String catalog;
    String schema;
    if (s.name().size() == 1) {
      catalog = ctx.session().currentCatalog();
      schema = s.name().get(0);
    } else if (s.name().size() == 2) {
      catalog = s.name().get(0);
      schema = s.name().get(1);
    } else {
      throw GatewayErrorCode.INVALID_IDENTIFIER.exception(
          "schema names have at most two parts: catalog.schema");
    }
    if (ctx.catalog().getCatalog(catalog).isPresent()) {
      ctx.access().requireCreateSchema(catalog);
    }
    ctx.catalog().createSchema(catalog, schema, owner(ctx), s.comment(), s.ifNotExists());
    return new StatementResult.UpdateCount(0);
  }

  static StatementResult createTable(StatementContext ctx, ParsedStatement.CreateTable s) {
    if (s.location().isPresent()) {
      throw new IllegalStateException("CREATE TABLE ... LOCATION goes to createExternalTable");
    }
    TableName name = ctx.tableName(s.name());
    requireCreate(ctx, name, false);
    CatalogStore catalog = ctx.catalog();
    Optional<TableInfo> existing = catalog.getTable(name);
    if (s.ifNotExists() && existing.isPresent()) {
      return new StatementResult.UpdateCount(0);
    }
    requireSchema(catalog, name);
    if (s.orReplace() && existing.isPresent()) {
      requireReplaceable(ctx, existing.get());
    }
    QueryPlanner planner = ctx.newPlanner();
    PlannedQuery query = null;
    TableSchema schema;
    if (s.asQuery().isPresent()) {
      SqlNode node = planner.parse(s.asQuery().get());
      requireDistinctOutputNames(name, node);
      query = planner.plan(node);
      requireDistinctLabels(name, query.labels());
      schema = new TableSchema(CalciteTypes.columns(query.rowType()));
      if (!s.columns().isEmpty()) {
        throw new PlannerException(
            PlannerErrorCode.UNSUPPORTED_FEATURE,
            "CREATE TABLE ... AS takes its columns from the query; drop the column list");
      }
    } else {
      List<Column> columns = new ArrayList<>();
      for (ParsedStatement.ColumnDefinition c : s.columns()) {
        Column column =
            new Column(
                c.name(),
                c.type(),
                c.nullable(),
                c.name(),
                c.comment(),
                c.defaultValue(),
                c.generationExpression());
        if (c.defaultValue().isPresent()) {
          ColumnDefaultValues.check(planner, name, column, c.defaultValue().get());
        }
        columns.add(column);
      }
      try {
        schema = new TableSchema(columns);
      } catch (IllegalArgumentException e) {
        throw GatewayErrorCode.COLUMN_ALREADY_EXISTS.exception(e.getMessage());
      }
      GeneratedColumnValues.check(planner, schema);
    }
    schema.columns().forEach(c -> checkColumnName(name, c.name()));
    for (String p : s.partitionedBy()) {
      if (schema.column(p).isEmpty()) {
        throw GatewayErrorCode.PARTITION_COLUMN_NOT_FOUND.exception(
            "partition column " + p + " is not a column of " + name);
      }
    }
    List<String> partitionColumns =
        s.partitionedBy().stream().map(p -> schema.column(p).orElseThrow().name()).toList();
    checkPartitionColumns(name, schema, partitionColumns);

    if (s.orReplace() && existing.isPresent()) {
      return replaceTable(ctx, s, existing.get(), query, schema, partitionColumns);
    }
    URI location = ctx.locations().newLocation(name);
    TableDefinition managed =
        TableDefinition.managed(name, owner(ctx), location.toString())
            .withProperties(s.properties());
    TableDefinition definition = s.comment().map(managed::withComment).orElse(managed);
    ctx.checkCanceled();
    Optional<TableInfo> begun = catalog.beginCreateTable(definition, s.ifNotExists());
    if (begun.isEmpty()) {
      return new StatementResult.UpdateCount(0);
    }
    try {
      List<NewDataFile> files = List.of();
      if (query != null) {
        ctx.execution().statistics().writeTable(name.toString());
        files = DmlExecutor.write(ctx, query.rel(), location, schema, partitionColumns);
      }
      ctx.execution().beginCommit();
      ctx.deltaTables().create(location, schema, partitionColumns, s.properties(), files);
      catalog.commitCreateTable(name);
      long rows = files.stream().mapToLong(f -> f.stats().numRecords()).sum();
      return new StatementResult.UpdateCount(query == null ? 0 : rows);
    } catch (RuntimeException e) {
      rollbackCreate(ctx, name, location);
      throw e;
    }
  }

  /**
   * CREATE TABLE ... LIKE: an empty managed table with the columns (names, types, NOT NULL,
   * comments) of the source table or view, and the properties of a source table that a statement
   * can set (its Delta protocol is the new table's writer's choice), overridden by the statement's
   * own. A partitioned source is refused like PARTITIONED BY.
   */
  static StatementResult createTableLike(StatementContext ctx, ParsedStatement.CreateTableLike s) {
    requireCreate(ctx, ctx.tableName(s.name()), false);
    TableName sourceName = ctx.tableName(s.source());
    TableInfo source = ResolvedTable.tableOrView(ctx, sourceName);
    ctx.access().requireSelect(sourceName);
    List<Column> columns;
    List<String> partitionColumns = List.of();
    java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
    if (source.kind() == TableKind.VIEW) {
      columns = MetadataExecutor.describeColumns(ctx, sourceName);
    } else {
      ResolvedTable table = ResolvedTable.latest(ctx, source);
      columns = table.snapshot().schema().columns();
      partitionColumns = table.snapshot().partitionColumns();
      ctx.deltaTables()
          .properties(table.location())
          .forEach(
              (k, v) -> {
                if (ShowCreateTableExecutor.settable(k)) {
                  properties.put(k, v);
                }
              });
    }
    properties.putAll(s.properties());
    List<ParsedStatement.ColumnDefinition> definitions = new ArrayList<>();
    for (Column c : columns) {
      definitions.add(
          new ParsedStatement.ColumnDefinition(c.name(), c.type(), c.nullable(), c.comment()));
    }
    return createTable(
        ctx,
        new ParsedStatement.CreateTable(
            s.name(),
            s.orReplace(),
            s.ifNotExists(),
            definitions,
            partitionColumns,
            s.comment(),
            properties,
            Optional.empty()));
  }

  /** Databricks' CLONE result columns. */
  static final List<org.apache.arrow.vector.types.pojo.Field> CLONE_FIELDS =
      List.of(
          io.aquifer.gateway.results.LocalResultStream.longField("source_table_size"),
          io.aquifer.gateway.results.LocalResultStream.longField("source_num_of_files"),
          io.aquifer.gateway.results.LocalResultStream.longField("num_removed_files"),
          io.aquifer.gateway.results.LocalResultStream.longField("num_copied_files"),
          io.aquifer.gateway.results.LocalResultStream.longField("removed_files_size"),
          io.aquifer.gateway.results.LocalResultStream.longField("copied_files_size"));

  /**
   * CREATE TABLE ... SHALLOW CLONE: a new managed table whose first version references the data
   * files of the source's version (nothing is copied), with the source's columns and the properties
   * a statement can set, overridden by the statement's own. The clone's later writes go to its own
   * location; dropping or vacuuming it never touches the source's files (VACUUM of the source can
   * delete files the clone still reads, as in Databricks).
   */
  static StatementResult shallowClone(StatementContext ctx, ParsedStatement.ShallowClone s) {
    TableName name = ctx.tableName(s.name());
    requireCreate(ctx, name, false);
    CatalogStore catalog = ctx.catalog();
    if (s.ifNotExists() && catalog.getTable(name).isPresent()) {
      return new StatementResult.Rows(
          io.aquifer.gateway.results.LocalResultStream.of(
              ctx.allocator(), CLONE_FIELDS, List.of()));
    }
    requireSchema(catalog, name);
    List<String> sourceParts = new ArrayList<>(s.source());
    String last = sourceParts.get(sourceParts.size() - 1);
    int at = last.lastIndexOf(io.aquifer.planner.parse.TimeTravelRewriter.MARKER);
    String timeTravel = at > 0 ? last.substring(at + 1) : "";
    if (at > 0) {
      sourceParts.set(sourceParts.size() - 1, last.substring(0, at));
    }
    TableName sourceName = ctx.tableName(sourceParts);
    TableInfo source = ResolvedTable.table(ctx, sourceName, "clone");
    ctx.access().requireVisible(io.aquifer.catalog.Securable.table(sourceName));
    ctx.access().requireSelect(sourceName);
    if (!catalog.functions().policies(sourceName).isEmpty()) {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "cannot clone "
              + sourceName
              + ": it has a row filter or column mask, and the clone would read its files"
              + " without them");
    }
    URI sourceLocation = URI.create(source.location().orElseThrow());
    DeltaSnapshot snapshot;
    if (timeTravel.startsWith("v")) {
      snapshot =
          ctx.deltaTables().atVersion(sourceLocation, Long.parseLong(timeTravel.substring(1)));
    } else if (timeTravel.startsWith("ts")) {
      snapshot =
          ctx.deltaTables().atTimestamp(sourceLocation, Long.parseLong(timeTravel.substring(2)));
    } else {
      snapshot = ctx.deltaTables().latest(sourceLocation);
    }
    java.util.Map<String, String> sourceProperties = ctx.deltaTables().properties(sourceLocation);
    String mapping = sourceProperties.getOrDefault("delta.columnMapping.mode", "none");
    if (!mapping.equalsIgnoreCase("none")) {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "SHALLOW CLONE of "
              + sourceName
              + " is not supported yet: it uses column mapping ("
              + mapping
              + ")");
    }
    List<NewDataFile> files = new ArrayList<>();
    for (io.aquifer.storage.delta.DataFile f : snapshot.files()) {
      if (f.hasDeletionVector() || f.stats().isEmpty()) {
        throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
            "SHALLOW CLONE of "
                + sourceName
                + " is not supported yet: its file "
                + f.pathInLog()
                + (f.hasDeletionVector() ? " has a deletion vector" : " has no statistics"));
      }
      files.add(
          new NewDataFile(
              f.path(), f.size(), f.modificationTime(), f.partitionValues(), f.stats().get()));
    }
    java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
    sourceProperties.forEach(
        (k, v) -> {
          if (ShowCreateTableExecutor.settable(k)) {
            properties.put(k, v);
          }
        });
    properties.putAll(s.properties());
    URI location = ctx.locations().newLocation(name);
    TableDefinition definition =
        TableDefinition.managed(name, owner(ctx), location.toString()).withProperties(properties);
    ctx.checkCanceled();
    Optional<TableInfo> begun = catalog.beginCreateTable(definition, s.ifNotExists());
    if (begun.isEmpty()) {
      return new StatementResult.Rows(
          io.aquifer.gateway.results.LocalResultStream.of(
              ctx.allocator(), CLONE_FIELDS, List.of()));
    }
    try {
      ctx.execution().beginCommit();
      ctx.deltaTables()
          .create(location, snapshot.schema(), snapshot.partitionColumns(), properties, files);
      catalog.commitCreateTable(name);
    } catch (RuntimeException e) {
      // Only the clone's own (empty) location goes; the source's files are not the clone's.
      rollbackCreate(ctx, name, location);
      throw e;
    }
    long size = files.stream().mapToLong(NewDataFile::size).sum();
    List<Object> row = java.util.Arrays.asList(size, (long) files.size(), 0L, 0L, 0L, 0L);
    return new StatementResult.Rows(
        io.aquifer.gateway.results.LocalResultStream.of(
            ctx.allocator(), CLONE_FIELDS, List.of(row)));
  }

  /**
   * CREATE OR REPLACE TABLE of a table that exists may replace a managed table its caller owns (or
   * any, for an admin); a view or an external table is refused.
   */
  private static void requireReplaceable(StatementContext ctx, TableInfo table) {
    if (table.kind() == TableKind.VIEW) {
      throw GatewayErrorCode.EXPECT_TABLE_NOT_VIEW.exception(
          table.name()
              + " is a view; CREATE OR REPLACE TABLE replaces tables only (DROP VIEW first)");
    }
    if (table.kind() != TableKind.MANAGED) {
      throw new PlannerException(
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "CREATE OR REPLACE TABLE of the external table "
              + table.name()
              + " is not supported yet; DROP TABLE first");
    }
    OwnershipRules.requireManage(
        ctx, io.aquifer.catalog.Securable.table(table.name()), "replace table " + table.name());
  }

  /**
   * CREATE OR REPLACE TABLE of an existing managed table: the new files are written into the
   * table's location and one Delta commit gives the table its new schema, partitioning and
   * properties, removes every old file and adds the new ones. The table keeps its log (DESCRIBE
   * HISTORY and time travel see the versions before), its location and its owner; the catalog takes
   * the new comment. A failure before the commit deletes the new files and leaves the table as it
   * was; a concurrent commit to the table since it was read fails with DELTA_CONCURRENT_WRITE.
   */
  private static StatementResult replaceTable(
      StatementContext ctx,
      ParsedStatement.CreateTable s,
      TableInfo table,
      PlannedQuery query,
      TableSchema schema,
      List<String> partitionColumns) {
    URI location = URI.create(table.location().orElseThrow());
    DeltaSnapshot read = ctx.deltaTables().latest(location);
    List<NewDataFile> files = List.of();
    if (query != null) {
      ctx.execution().statistics().writeTable(table.name().toString());
      files = DmlExecutor.write(ctx, query.rel(), location, schema, partitionColumns);
    }
    java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();
    parameters.put("isManaged", "true");
    parameters.put("partitionBy", partitionColumns.toString());
    try {
      DmlExecutor.commitNewFiles(
          ctx,
          location,
          io.aquifer.storage.delta.CommitRequest.replaceTable(
              read.version(),
              query == null ? "CREATE OR REPLACE TABLE" : "CREATE OR REPLACE TABLE AS SELECT",
              parameters,
              new io.aquifer.storage.delta.TableReplacement(
                  schema, partitionColumns, s.properties()),
              files,
              read.files()));
    } catch (RuntimeException e) {
      // Kernel refused the new definition, or the commit conflicted: nothing may stay behind.
      if (ctx.deltaTables().latest(location).version() == read.version()) {
        DmlExecutor.deleteFiles(files);
      }
      throw e;
    }
    if (!table.comment().equals(s.comment())) {
      ctx.catalog().setTableComment(table.name(), s.comment());
    }
    long rows = files.stream().mapToLong(f -> f.stats().numRecords()).sum();
    return new StatementResult.UpdateCount(query == null ? 0 : rows);
  }

  /**
   * CREATE TABLE ... LOCATION: registers the Delta table already at the location as an EXTERNAL
   * table. Its log defines the schema and partitioning; a column list, if given, must match it.
   * Nothing is written, and DROP TABLE later removes only the catalog entry.
   */
  static StatementResult createExternalTable(
      StatementContext ctx, ParsedStatement.CreateTable s, ExternalLocations external) {
    if (s.orReplace()) {
      throw new PlannerException(
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "CREATE OR REPLACE TABLE is not supported yet; DROP TABLE first");
    }
    if (!s.properties().isEmpty()) {
      throw new PlannerException(
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "TBLPROPERTIES cannot be set when registering an external table; its Delta log keeps them");
    }
    TableName name = ctx.tableName(s.name());
    requireCreate(ctx, name, false);
    CatalogStore catalog = ctx.catalog();
    if (s.ifNotExists() && catalog.getTable(name).isPresent()) {
      return new StatementResult.UpdateCount(0);
    }
    requireSchema(catalog, name);
    URI location = external.resolve(s.location().orElseThrow(), ctx.locations().root());
    DeltaSnapshot snapshot;
    try {
      snapshot = ctx.deltaTables().latest(location);
    } catch (StorageException e) {
      if (e.code() == StorageErrorCode.DELTA_TABLE_NOT_FOUND) {
        throw GatewayErrorCode.DELTA_TABLE_NOT_FOUND.exception(
            "no Delta table at LOCATION '"
                + s.location().get()
                + "' (no _delta_log); external"
                + " tables register an existing Delta table");
      }
      throw e;
    }
    requireMatchingColumns(name, s.columns(), snapshot.schema());
    if (!s.partitionedBy().isEmpty()
        && !lowerCase(s.partitionedBy()).equals(lowerCase(snapshot.partitionColumns()))) {
      throw GatewayErrorCode.DELTA_CREATE_TABLE_SCHEME_MISMATCH.exception(
          "PARTITIONED BY "
              + s.partitionedBy()
              + " does not match the partition columns "
              + snapshot.partitionColumns()
              + " of the Delta table at "
              + s.location().get());
    }
    TableDefinition plain = TableDefinition.external(name, owner(ctx), location.toString());
    TableDefinition definition = s.comment().map(plain::withComment).orElse(plain);
    ctx.checkCanceled();
    ctx.execution().beginCommit();
    if (catalog.beginCreateTable(definition, s.ifNotExists()).isPresent()) {
      catalog.commitCreateTable(name);
    }
    return new StatementResult.UpdateCount(0);
  }

  private static void requireMatchingColumns(
      TableName name, List<ParsedStatement.ColumnDefinition> declared, TableSchema actual) {
    if (declared.isEmpty()) {
      return;
    }
    boolean matches = declared.size() == actual.columns().size();
    for (int i = 0; matches && i < declared.size(); i++) {
      ParsedStatement.ColumnDefinition d = declared.get(i);
      Column a = actual.columns().get(i);
      matches = d.name().equalsIgnoreCase(a.name()) && d.type().equals(a.type());
    }
    if (!matches) {
      throw GatewayErrorCode.DELTA_CREATE_TABLE_SCHEME_MISMATCH.exception(
          "the columns declared for "
              + name
              + " do not match the schema of the Delta table at its"
              + " location: "
              + actual.columns().stream().map(c -> c.name() + " " + c.type()).toList()
              + "; leave the column list out to take the table's own");
    }
  }

  /**
   * CREATE TABLE ... AS a query that names two columns alike fails (COLUMN_ALREADY_EXISTS), as in
   * Databricks; Calcite would rename the second one silently ({@code a, a0}).
   */
  private static void requireDistinctOutputNames(TableName table, SqlNode query) {
    org.apache.calcite.sql.SqlSelect select =
        io.aquifer.planner.calcite.LeadingSelect.of(query, true).orElse(null);
    if (select == null) {
      return;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    List<SqlNode> items = select.getSelectList().getList();
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      if (item instanceof org.apache.calcite.sql.SqlIdentifier id && id.isStar()) {
        continue;
      }
      String alias = org.apache.calcite.sql.validate.SqlValidatorUtil.alias(item, i);
      if (alias != null && !names.add(alias.toLowerCase(Locale.ROOT))) {
        throw GatewayErrorCode.COLUMN_ALREADY_EXISTS.exception(
            "the query of CREATE TABLE "
                + table
                + " has two columns named "
                + alias
                + "; give them distinct aliases");
      }
    }
  }

  /**
   * The same for the labels of the planned query, which also name the columns of a star ({@code
   * SELECT * FROM t1 JOIN t2} where both have a column {@code a}).
   */
  private static void requireDistinctLabels(TableName table, List<String> labels) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String label : labels) {
      if (!names.add(label.toLowerCase(Locale.ROOT))) {
        throw GatewayErrorCode.COLUMN_ALREADY_EXISTS.exception(
            "the query of CREATE TABLE "
                + table
                + " has two columns named "
                + label
                + "; give them distinct aliases");
      }
    }
  }

  /**
   * Column names follow the limits of other names: at most 255 characters, no control characters.
   */
  /**
   * The partition columns of a table Aquifer writes: each once, of a type Delta partitions by
   * (numbers, strings, booleans, dates, timestamps), and not every column.
   */
  static void checkPartitionColumns(
      TableName table, TableSchema schema, List<String> partitionColumns) {
    java.util.Set<String> seen = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String p : partitionColumns) {
      if (!seen.add(p)) {
        throw GatewayErrorCode.COLUMN_ALREADY_EXISTS.exception(
            "The column `" + p + "` already exists in the partition columns of " + table);
      }
      io.aquifer.storage.types.DataType type = schema.column(p).orElseThrow().type();
      if (!(type instanceof io.aquifer.storage.types.DecimalType)
          && (!(type instanceof io.aquifer.storage.types.PrimitiveType primitive)
              || primitive == io.aquifer.storage.types.PrimitiveType.BINARY)) {
        throw GatewayErrorCode.DELTA_INVALID_PARTITION_COLUMN_TYPE.exception(
            "Using column " + p + " of type " + type + " as a partition column is not supported.");
      }
    }
    if (!partitionColumns.isEmpty() && seen.size() == schema.columns().size()) {
      throw GatewayErrorCode.DELTA_CANNOT_USE_ALL_COLUMNS_FOR_PARTITION.exception(
          "Cannot use all columns for partition columns (" + table + ").");
    }
  }

  static void checkColumnName(TableName table, String column) {
    if (column.isEmpty() || column.length() > io.aquifer.catalog.ObjectNames.MAX_LENGTH) {
      throw GatewayErrorCode.INVALID_IDENTIFIER.exception(
          "column names of "
              + table
              + " must have 1 to "
              + io.aquifer.catalog.ObjectNames.MAX_LENGTH
              + " characters; one has "
              + column.length());
    }
    for (int i = 0; i < column.length(); i++) {
      if (Character.isISOControl(column.charAt(i))) {
        throw GatewayErrorCode.INVALID_IDENTIFIER.exception(
            "column names of "
                + table
                + " must not contain control characters (U+"
                + String.format("%04X", (int) column.charAt(i))
                + ")");
      }
    }
  }

  private static List<String> lowerCase(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  /**
   * CREATE INDEX: Delta tables have no indexes (data skipping uses file statistics), so the
   * statement is accepted for compatibility and ignored once its table and columns are checked.
   */
  static StatementResult createIndex(StatementContext ctx, ParsedStatement.CreateIndex s) {
    TableName name = ctx.tableName(s.table());
    TableInfo table = ResolvedTable.tableOrView(ctx, name);
    if (table.kind() == TableKind.VIEW) {
      throw GatewayErrorCode.WRONG_OBJECT_KIND.exception(
          name + " is a view; indexes are created on tables");
    }
    TableSchema schema = ResolvedTable.latest(ctx, table).snapshot().schema();
    for (String column : s.columns()) {
      if (schema.column(column).isEmpty()) {
        throw GatewayErrorCode.UNRESOLVED_COLUMN.exception(
            "column " + column + " is not a column of " + name);
      }
    }
    LOG.debug(
        "CREATE INDEX {} on {} accepted and ignored: Delta tables have no indexes", s.name(), name);
    return new StatementResult.UpdateCount(0);
  }

  /** DROP INDEX: there is never an index to drop, since CREATE INDEX keeps none. */
  static StatementResult dropIndex(StatementContext ctx, ParsedStatement.DropIndex s) {
    if (s.ifExists()) {
      return new StatementResult.UpdateCount(0);
    }
    throw GatewayErrorCode.INDEX_NOT_FOUND.exception(
        "index "
            + s.name()
            + " does not exist: Aquifer keeps no indexes (CREATE INDEX is accepted"
            + " and ignored)");
  }

  private static void rollbackCreate(StatementContext ctx, TableName name, URI location) {
    try {
      ctx.locations().delete(location);
      ctx.catalog().abortCreateTable(name);
    } catch (RuntimeException cleanup) {
      // Start-up recovery finishes the rollback from the CREATING row.
      LOG.warn("could not roll back creation of {}; recovery will", name, cleanup);
    }
  }

  static StatementResult createView(StatementContext ctx, ParsedStatement.CreateView s) {
    if (s.temporary()) {
      return createTemporaryView(ctx, s);
    }
    TableName name = ctx.tableName(s.name());
    requireSchema(ctx.catalog(), name);
    requireCreate(ctx, name, true);
    if (s.orReplace()) {
      ctx.catalog()
          .getTable(name)
          .ifPresent(
              t ->
                  OwnershipRules.requireManage(
                      ctx, io.aquifer.catalog.Securable.table(name), "replace view " + name));
    }
    if (s.ifNotExists() && ctx.catalog().getTable(name).isPresent()) {
      return new StatementResult.UpdateCount(0);
    }
    validateViewQuery(ctx, s);
    if (!ctx.session().temporaryViews().isEmpty()) {
      try {
        QueryPlanner permanent = ctx.newPlannerWithoutTemporaryViews();
        permanent.validateQuery(permanent.parse(s.query()));
      } catch (RuntimeException e) {
        throw GatewayErrorCode.INVALID_TEMP_OBJ_REFERENCE.exception(
            "Cannot create the persistent view "
                + name
                + " because it references a temporary view of this session; make it a"
                + " TEMPORARY VIEW or read the tables directly");
      }
    }
    TableDefinition plain =
        TableDefinition.view(
            name,
            owner(ctx),
            new ViewDefinition(
                s.queryText(), ctx.session().currentCatalog(), ctx.session().currentSchema()));
    TableDefinition view = s.comment().map(plain::withComment).orElse(plain);
    ctx.checkCanceled();
    ctx.catalog().createView(view, s.orReplace());
    return new StatementResult.UpdateCount(0);
  }

  /**
   * CREATE [OR REPLACE] TEMPORARY VIEW: validated like a view in the catalog, kept in the session
   * alone.
   */
  private static StatementResult createTemporaryView(
      StatementContext ctx, ParsedStatement.CreateView s) {
    if (s.name().size() != 1) {
      throw GatewayErrorCode.TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS.exception(
          "CREATE TEMPORARY VIEW can only take a one-part name, not " + String.join(".", s.name()));
    }
    String key = s.name().get(0).toLowerCase(Locale.ROOT);
    java.util.Map<String, TemporaryView> views = ctx.session().temporaryViews();
    if (views.containsKey(key)) {
      if (s.ifNotExists()) {
        return new StatementResult.UpdateCount(0);
      }
      if (!s.orReplace()) {
        throw GatewayErrorCode.TEMP_TABLE_OR_VIEW_ALREADY_EXISTS.exception(
            "Cannot create the temporary view "
                + s.name().get(0)
                + " because it already exists; use CREATE OR REPLACE TEMPORARY VIEW");
      }
    }
    validateViewQuery(ctx, s);
    ctx.checkCanceled();
    views.put(
        key,
        new TemporaryView(
            s.name().get(0),
            s.queryText(),
            ctx.session().currentCatalog(),
            ctx.session().currentSchema()));
    return new StatementResult.UpdateCount(0);
  }

  /** Checks that a view's text is a query that resolves in the session. */
  private static void validateViewQuery(StatementContext ctx, ParsedStatement.CreateView s) {
    QueryPlanner planner = ctx.newPlanner();
    SqlNode query = planner.parse(s.query());
    if (!query.isA(org.apache.calcite.sql.SqlKind.QUERY)) {
      throw GatewayErrorCode.INVALID_VIEW_TEXT.exception(
          "a view is defined by a query (SELECT, WITH, VALUES), not by " + query.getKind());
    }
    planner.validateQuery(query);
  }

  static StatementResult drop(StatementContext ctx, ParsedStatement.Drop s) {
    CatalogStore catalog = ctx.catalog();
    switch (s.kind()) {
      case CATALOG -> {
        if (s.name().size() != 1) {
          throw GatewayErrorCode.INVALID_IDENTIFIER.exception("catalog names have one part");
        }
        OwnershipRules.requireAdmin(ctx, "drop catalog " + s.name().get(0));
        if (s.name().get(0).equalsIgnoreCase(ctx.session().currentCatalog())
            && !s.ifExists()
            && catalog.getCatalog(s.name().get(0)).isPresent()) {
          LOG.info("dropping the session's current catalog {}", s.name().get(0));
        }
        finishDrops(ctx, catalog.dropCatalog(s.name().get(0), s.ifExists(), s.cascade()));
      }
      case SCHEMA -> {
        String c = s.name().size() == 2 ? s.name().get(0) : ctx.session().currentCatalog();
        String schema = s.name().get(s.name().size() - 1);
        if (s.name().size() > 2) {
          throw GatewayErrorCode.INVALID_IDENTIFIER.exception(
              "schema names have at most two parts");
        }
        catalog
            .getSchema(c, schema)
            .ifPresent(
                info ->
                    OwnershipRules.requireManage(
                        ctx,
                        io.aquifer.catalog.Securable.schema(c, schema),
                        "drop schema " + c + "." + schema));
        finishDrops(ctx, catalog.dropSchema(c, schema, s.ifExists(), s.cascade()));
      }
      case TABLE -> {
        TableName name = ctx.tableName(s.name());
        Optional<TableInfo> existing = catalog.getTable(name);
        if (existing.isPresent() && existing.get().kind() == TableKind.VIEW) {
          throw GatewayErrorCode.WRONG_OBJECT_KIND.exception(name + " is a view; use DROP VIEW");
        }
        existing.ifPresent(
            t ->
                OwnershipRules.requireManage(
                    ctx, io.aquifer.catalog.Securable.table(name), "drop table " + name));
        ctx.execution().beginCommit();
        catalog.beginDropTable(name, s.ifExists()).ifPresent(t -> finishDrops(ctx, List.of(t)));
      }
      case VIEW -> {
        if (s.name().size() == 1
            && ctx.session().temporaryViews().remove(s.name().get(0).toLowerCase(Locale.ROOT))
                != null) {
          return new StatementResult.UpdateCount(0); // a temporary view goes first, as in Spark
        }
        TableName name = ctx.tableName(s.name());
        catalog
            .getTable(name)
            .ifPresent(
                t ->
                    OwnershipRules.requireManage(
                        ctx, io.aquifer.catalog.Securable.table(name), "drop view " + name));
        ctx.execution().beginCommit();
        catalog.dropView(name, s.ifExists());
      }
    }
    return new StatementResult.UpdateCount(0);
  }

  /** Deletes the data of tables now DROPPING and removes their rows. */
  static void finishDrops(StatementContext ctx, List<TableInfo> dropping) {
    for (TableInfo t : dropping) {
      if (t.kind() == TableKind.MANAGED && t.location().isPresent()) {
        ctx.locations().delete(URI.create(t.location().get()));
      }
      ctx.catalog().finishDropTable(t.name());
    }
  }

  private static void requireSchema(CatalogStore catalog, TableName name) {
    if (catalog.getSchema(name.catalog(), name.schema()).isEmpty()) {
      throw GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
          "schema " + name.catalog() + "." + name.schema() + " does not exist");
    }
  }

  private static String owner(StatementContext ctx) {
    return ctx.session().principal().name().toLowerCase(Locale.ROOT);
  }

  static boolean isNotFound(CatalogException e) {
    return e.code() == io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
  }
}
