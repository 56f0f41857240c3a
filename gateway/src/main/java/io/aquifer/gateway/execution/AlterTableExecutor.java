package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.stringField;

import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.TableChange;
import io.aquifer.storage.types.Column;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * ALTER TABLE, TRUNCATE TABLE, SHOW TBLPROPERTIES and DESCRIBE DETAIL. Each change is one Delta
 * commit made here, in the gateway, named in the table's history as Databricks names it (ADD
 * COLUMNS, RENAME COLUMN, DROP COLUMNS, CHANGE COLUMN, SET TBLPROPERTIES, UNSET TBLPROPERTIES,
 * TRUNCATE).
 *
 * <p>Delta Kernel changes a schema only under column mapping. As in Databricks, RENAME and DROP
 * COLUMN on a table without it fail with advice to enable it ({@code ALTER TABLE t SET
 * TBLPROPERTIES ('delta.columnMapping.mode' = 'name')}). ADD COLUMNS and ALTER COLUMN, which
 * Databricks allows on any table, enable column mapping first when it is off: one more commit (SET
 * TBLPROPERTIES) before the change, which upgrades the table's protocol (readers need column
 * mapping support, as every current Delta reader has).
 */
final class AlterTableExecutor {
  static final String COLUMN_MAPPING_MODE = "delta.columnMapping.mode";
  static final String TYPE_WIDENING = "delta.enableTypeWidening";
  private static final List<Field> PROPERTIES = List.of(stringField("key"), stringField("value"));
  private static final List<Field> DETAIL =
      List.of(
          stringField("format"),
          stringField("name"),
          stringField("description"),
          stringField("location"),
          LocalResultStream.timestampField("createdAt"),
          LocalResultStream.timestampField("lastModified"),
          stringField("partitionColumns"),
          LocalResultStream.longField("numFiles"),
          LocalResultStream.longField("sizeInBytes"),
          stringField("properties"),
          LocalResultStream.longField("version"));

  private AlterTableExecutor() {}

  static List<Field> resultFields(ParsedStatement statement) {
    if (statement instanceof ParsedStatement.ShowTblProperties) {
      return PROPERTIES;
    }
    if (statement instanceof ParsedStatement.DescribeDetail) {
      return DETAIL;
    }
    if (statement instanceof ParsedStatement.ShowCreateTable) {
      return ShowCreateTableExecutor.FIELDS;
    }
    return TableMaintenanceExecutor.resultFields(statement);
  }

  static StatementResult alter(StatementContext ctx, ParsedStatement.AlterTable s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = table(ctx, name, "alter");
    OwnershipRules.requireManage(
        ctx, io.aquifer.catalog.Securable.table(name), "alter table " + name);
    ResolvedTable table = ResolvedTable.latest(ctx, info);
    URI location = table.location();
    DeltaSnapshot snapshot = table.snapshot();
    Map<String, String> properties = ctx.deltaTables().properties(location);
    boolean mapped = !properties.getOrDefault(COLUMN_MAPPING_MODE, "none").equals("none");
    TableChange change = s.change();
    if (change instanceof TableChange.AddCheckConstraint add) {
      return addConstraint(ctx, name, location, snapshot, properties, add);
    }
    if (change instanceof TableChange.DropCheckConstraint drop) {
      if (!io.aquifer.storage.delta.CheckConstraints.of(properties)
          .containsKey(drop.name().toLowerCase(Locale.ROOT))) {
        if (s.ifExists()) {
          return new StatementResult.UpdateCount(0);
        }
        throw GatewayErrorCode.DELTA_CONSTRAINT_DOES_NOT_EXIST.exception(
            "Cannot drop nonexistent constraint "
                + drop.name()
                + " from table "
                + name
                + ". To avoid throwing an error, provide the parameter IF EXISTS");
      }
      commit(ctx, location, drop, name);
      return new StatementResult.UpdateCount(0);
    }
    if (change instanceof TableChange.RenameColumn rename) {
      refusePolicyColumns(ctx, name, List.of(rename.from()), "rename");
    } else if (change instanceof TableChange.DropColumns drop) {
      refusePolicyColumns(ctx, name, drop.names(), "drop");
    }
    if (change instanceof TableChange.AddColumns add) {
      Set<String> seen = new HashSet<>();
      for (Column c : add.columns()) {
        DdlExecutor.checkColumnName(name, c.name());
        if (snapshot.schema().column(c.name()).isPresent()
            || !seen.add(c.name().toLowerCase(Locale.ROOT))) {
          throw GatewayErrorCode.FIELD_ALREADY_EXISTS.exception(
              "cannot add column `" + c.name() + "` to " + name + ": it already exists");
        }
      }
    } else if (change instanceof TableChange.RenameColumn rename) {
      Column from = column(snapshot, rename.from(), name);
      DdlExecutor.checkColumnName(name, rename.to());
      if (!rename.to().equalsIgnoreCase(from.name())
          && snapshot.schema().column(rename.to()).isPresent()) {
        throw GatewayErrorCode.FIELD_ALREADY_EXISTS.exception(
            "cannot rename column `"
                + from.name()
                + "` of "
                + name
                + " to `"
                + rename.to()
                + "`: that column already exists");
      }
      if (!mapped) {
        throw GatewayErrorCode.DELTA_UNSUPPORTED_RENAME_COLUMN.exception(
            "RENAME COLUMN is not supported for table "
                + name
                + ": it needs column mapping. Enable it with ALTER TABLE "
                + name
                + " SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name')");
      }
    } else if (change instanceof TableChange.DropColumns drop) {
      List<String> dropping = new ArrayList<>();
      for (String n : new LinkedHashSet<>(drop.names())) {
        var column = snapshot.schema().column(n);
        if (column.isEmpty()) {
          if (s.ifExists()) {
            continue;
          }
          throw unresolved(n, name);
        }
        if (snapshot.partitionColumns().stream().anyMatch(p -> p.equalsIgnoreCase(n))) {
          throw GatewayErrorCode.DELTA_UNSUPPORTED_DROP_PARTITION_COLUMN.exception(
              "cannot drop partition column `" + column.get().name() + "` of " + name);
        }
        dropping.add(column.get().name());
      }
      if (dropping.isEmpty()) {
        return new StatementResult.UpdateCount(0);
      }
      if (dropping.size() >= snapshot.schema().columns().size()) {
        throw GatewayErrorCode.DELTA_DROP_COLUMN_ON_SINGLE_FIELD_SCHEMA.exception(
            "cannot drop every column of " + name + "; drop the table instead");
      }
      if (!mapped) {
        throw GatewayErrorCode.DELTA_UNSUPPORTED_DROP_COLUMN.exception(
            "DROP COLUMN is not supported for table "
                + name
                + ": it needs column mapping. Enable it with ALTER TABLE "
                + name
                + " SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name')");
      }
      change = new TableChange.DropColumns(dropping);
    } else if (change instanceof TableChange.ChangeColumn alter) {
      Column column = column(snapshot, alter.name(), name);
      if (alter.nullable().isPresent() && !alter.nullable().get() && column.nullable()) {
        throw GatewayErrorCode.NOT_SUPPORTED_CHANGE_COLUMN.exception(
            "ALTER COLUMN `"
                + column.name()
                + "` SET NOT NULL is not supported yet for "
                + name
                + " (Delta Kernel cannot tighten a column's nullability)");
      }
      if (alter.type().isPresent()
          && !alter.type().get().equals(column.type())
          && !properties.getOrDefault(TYPE_WIDENING, "false").equalsIgnoreCase("true")) {
        throw GatewayErrorCode.NOT_SUPPORTED_CHANGE_COLUMN.exception(
            "ALTER TABLE ALTER COLUMN is not supported for changing column `"
                + column.name()
                + "` of "
                + name
                + " from "
                + column.type().sql()
                + " to "
                + alter.type().get().sql()
                + ": type changes need type widening. Enable it with ALTER TABLE "
                + name
                + " SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
      }
      if (alter.type().isPresent() && alter.type().get().equals(column.type())) {
        change =
            new TableChange.ChangeColumn(
                column.name(), java.util.Optional.empty(), alter.comment(), alter.nullable());
        if (alter.comment().isEmpty() && alter.nullable().isEmpty()) {
          return new StatementResult.UpdateCount(0);
        }
      }
    } else if (change instanceof TableChange.SetColumnDefault setDefault) {
      Column column = column(snapshot, setDefault.name(), name);
      if (setDefault.defaultValue().isPresent()
          && !ctx.deltaTables()
              .tableFeatures(location)
              .contains(io.aquifer.storage.delta.ColumnDefaultsFeature.NAME)) {
        throw io.aquifer.storage.delta.ColumnDefaultsFeature.notEnabled("ALTER TABLE", name);
      }
      if (setDefault.defaultValue().isPresent()) {
        ColumnDefaultValues.check(ctx.newPlanner(), name, column, setDefault.defaultValue().get());
      } else if (column.defaultValue().isEmpty()) {
        return new StatementResult.UpdateCount(0);
      }
      change = new TableChange.SetColumnDefault(column.name(), setDefault.defaultValue());
    } else if (change instanceof TableChange.UnsetProperties unset) {
      Set<String> present = new LinkedHashSet<>();
      for (String key : unset.keys()) {
        if (properties.containsKey(key)) {
          present.add(key);
        } else if (!s.ifExists()) {
          throw GatewayErrorCode.UNSET_NONEXISTENT_PROPERTIES.exception(
              "table " + name + " has no property " + key + " (use UNSET TBLPROPERTIES IF EXISTS)");
        }
      }
      if (present.isEmpty()) {
        return new StatementResult.UpdateCount(0);
      }
      change = new TableChange.UnsetProperties(present);
    }
    boolean schemaChange =
        change instanceof TableChange.AddColumns || change instanceof TableChange.ChangeColumn;
    if (schemaChange && !mapped) {
      commit(
          ctx, location, new TableChange.SetProperties(Map.of(COLUMN_MAPPING_MODE, "name")), name);
    }
    commit(ctx, location, change, name);
    return new StatementResult.UpdateCount(0);
  }

  /**
   * ADD CONSTRAINT name CHECK (expr): the expression is checked (a deterministic BOOLEAN of the
   * table's columns), then every row of the latest version; a violating row fails the statement
   * with DELTA_NEW_CHECK_CONSTRAINT_VIOLATION, else one commit records the constraint, based on
   * that version (a commit in between is a conflict).
   */
  private static StatementResult addConstraint(
      StatementContext ctx,
      TableName name,
      URI location,
      DeltaSnapshot snapshot,
      Map<String, String> properties,
      TableChange.AddCheckConstraint add) {
    String old =
        io.aquifer.storage.delta.CheckConstraints.of(properties)
            .get(add.name().toLowerCase(Locale.ROOT));
    if (old != null) {
      throw GatewayErrorCode.CONSTRAINT_ALREADY_EXISTS.exception(
          "Constraint '"
              + add.name()
              + "' already exists in "
              + name
              + ". Please delete the existing constraint first. Old constraint: "
              + old);
    }
    CheckConstraintEnforcer.compile(
        ctx.newPlanner(), add.name(), add.expression(), snapshot.schema());
    io.aquifer.catalog.TablePolicies policies = ctx.catalog().functions().policies(name);
    String sql =
        "SELECT count(*) FROM "
            + quoted(name)
            + (policies.isEmpty() ? " VERSION AS OF " + snapshot.version() : " AS `t`")
            + " WHERE NOT coalesce(("
            + add.expression()
            + "), true)";
    io.aquifer.planner.parse.ParsedStatement parsed =
        io.aquifer.planner.parse.StatementParser.parse(sql);
    io.aquifer.planner.QueryPlanner planner = ctx.newPlanner();
    org.apache.calcite.sql.SqlNode count =
        planner.parse(((io.aquifer.planner.parse.ParsedStatement.Query) parsed).calciteSql());
    if (!policies.isEmpty()) {
      // Every row, with its stored values: a row filter or column mask limits what the caller
      // reads, not what the constraint must hold for (the count is all the error tells).
      planner.allowWriteTarget(List.of(name.catalog(), name.schema(), name.table()));
      ((org.apache.calcite.sql.SqlSelect) count).setFrom(allStoredRows(name, snapshot));
    }
    long violating = QueryExecutor.single(ctx, planner.plan(count));
    if (violating > 0) {
      throw GatewayErrorCode.DELTA_NEW_CHECK_CONSTRAINT_VIOLATION.exception(
          violating
              + (violating == 1 ? " row" : " rows")
              + " in "
              + name
              + " violate the new CHECK constraint ("
              + add.expression()
              + ")");
    }
    commit(
        ctx,
        location,
        new TableChange.AddCheckConstraint(add.name(), add.expression(), snapshot.version()),
        name);
    return new StatementResult.UpdateCount(0);
  }

  /**
   * {@code (SELECT stored values AS columns FROM table<write>) AS t}: the write read of a table
   * with a row filter or column masks, every row with its stored values under the columns' names.
   */
  private static org.apache.calcite.sql.SqlNode allStoredRows(
      TableName name, DeltaSnapshot snapshot) {
    org.apache.calcite.sql.parser.SqlParserPos pos =
        org.apache.calcite.sql.parser.SqlParserPos.ZERO;
    org.apache.calcite.sql.SqlIdentifier alias =
        new org.apache.calcite.sql.SqlIdentifier("__aquifer_all", pos);
    List<org.apache.calcite.sql.SqlNode> items = new ArrayList<>();
    for (Column column : snapshot.schema().columns()) {
      items.add(
          org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
              pos,
              new org.apache.calcite.sql.SqlIdentifier(
                  List.of(
                      alias.getSimple(),
                      io.aquifer.planner.calcite.SecuredTable.storedColumn(column.name())),
                  pos),
              new org.apache.calcite.sql.SqlIdentifier(column.name(), pos)));
    }
    org.apache.calcite.sql.SqlNode table =
        org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
            pos,
            new org.apache.calcite.sql.SqlIdentifier(
                List.of(
                    name.catalog(),
                    name.schema(),
                    name.table() + io.aquifer.planner.calcite.SecuredTable.WRITE),
                pos),
            alias);
    org.apache.calcite.sql.SqlSelect select =
        new org.apache.calcite.sql.SqlSelect(
            pos,
            null,
            new org.apache.calcite.sql.SqlNodeList(items, pos),
            table,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    return org.apache.calcite.sql.fun.SqlStdOperatorTable.AS.createCall(
        pos, select, new org.apache.calcite.sql.SqlIdentifier("t", pos));
  }

  private static String quoted(TableName name) {
    return java.util.stream.Stream.of(name.catalog(), name.schema(), name.table())
        .map(p -> "`" + p.replace("`", "``") + "`")
        .collect(java.util.stream.Collectors.joining("."));
  }

  private static void commit(
      StatementContext ctx, URI location, TableChange change, TableName name) {
    ctx.execution().beginCommit();
    try {
      ctx.deltaTables().alter(location, change);
    } catch (StorageException e) {
      if (e.code() != StorageErrorCode.DELTA_CHANGE_REJECTED) {
        // (a DEFAULT without the allowColumnDefaults feature keeps Databricks' own class)
        throw e;
      }
      GatewayErrorCode code =
          change instanceof TableChange.ChangeColumn
                  || change instanceof TableChange.SetColumnDefault
              ? GatewayErrorCode.NOT_SUPPORTED_CHANGE_COLUMN
              : change instanceof TableChange.SetProperties
                      || change instanceof TableChange.UnsetProperties
                  ? GatewayErrorCode.DELTA_INVALID_TABLE_PROPERTY_CHANGE
                  : GatewayErrorCode.NOT_SUPPORTED_CHANGE_COLUMN;
      throw code.exception(
          change.operation() + " on " + name + " was refused: " + e.getMessage(), e);
    }
  }

  /**
   * ALTER TABLE ... RENAME TO: a catalog change only (the data stays where it is). An unqualified
   * new name stays in the table's schema; a new catalog is refused, as in Databricks.
   */
  static StatementResult rename(StatementContext ctx, ParsedStatement.RenameTable s) {
    TableName from = ctx.tableName(s.table());
    TableInfo info =
        ctx.catalog()
            .getTable(from)
            .orElseThrow(
                () ->
                    GatewayErrorCode.TABLE_OR_VIEW_NOT_FOUND.exception(
                        "table " + from + " does not exist"));
    OwnershipRules.requireManage(
        ctx, io.aquifer.catalog.Securable.table(from), "rename table " + from);
    List<String> parts = s.newName();
    TableName to =
        switch (parts.size()) {
          case 1 -> new TableName(from.catalog(), from.schema(), parts.get(0));
          case 2 -> new TableName(from.catalog(), parts.get(0), parts.get(1));
          default -> ctx.tableName(parts);
        };
    if (!to.catalog().equalsIgnoreCase(from.catalog())) {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "cannot rename " + from + " to " + to + ": a table cannot move to another catalog");
    }
    ctx.catalog().renameTable(from, to);
    return new StatementResult.UpdateCount(0);
  }

  /** COMMENT ON TABLE: the catalog's comment of the table (what DESCRIBE and the metadata show). */
  static StatementResult comment(StatementContext ctx, ParsedStatement.CommentOnTable s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = table(ctx, name, "comment on");
    OwnershipRules.requireManage(
        ctx, io.aquifer.catalog.Securable.table(name), "comment on table " + name);
    ctx.catalog().setTableComment(name, s.comment());
    return new StatementResult.UpdateCount(0);
  }

  /** TRUNCATE TABLE: one commit that removes every file (operation TRUNCATE). */
  static StatementResult truncate(StatementContext ctx, ParsedStatement.Truncate s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = table(ctx, name, "truncate");
    ctx.access().requireModify(name);
    if (ctx.catalog().functions().policies(name).rowFilter().isPresent()) {
      // It would delete rows the caller cannot see (DELETE FROM t deletes only the visible ones).
      throw GatewayErrorCode.ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED.exception(
          "Row level security policies for "
              + name
              + " are not supported: TRUNCATE TABLE would remove rows the row filter hides from"
              + " the caller; use DELETE FROM (which deletes the rows the caller sees), or drop the"
              + " filter first (ALTER TABLE ... DROP ROW FILTER)");
    }
    ResolvedTable table = ResolvedTable.latest(ctx, info);
    List<DataFile> files = table.snapshot().files();
    if (files.isEmpty()) {
      return new StatementResult.UpdateCount(0);
    }
    DmlExecutor.commitNewFiles(
        ctx,
        table.location(),
        new CommitRequest(
            table.snapshot().version(), "TRUNCATE", Map.of(), List.of(), files, true));
    return new StatementResult.UpdateCount(0);
  }

  static StatementResult showProperties(StatementContext ctx, ParsedStatement.ShowTblProperties s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = table(ctx, name, "show the properties of");
    Map<String, String> properties =
        new TreeMap<>(ctx.deltaTables().properties(URI.create(info.location().orElseThrow())));
    List<List<Object>> rows = new ArrayList<>();
    if (s.key().isPresent()) {
      String key = s.key().get();
      String value = properties.get(key);
      rows.add(
          Arrays.asList(
              key, value != null ? value : "Table " + name + " does not have property: " + key));
    } else {
      properties.forEach((k, v) -> rows.add(Arrays.asList(k, v)));
    }
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), PROPERTIES, rows));
  }

  static StatementResult describeDetail(StatementContext ctx, ParsedStatement.DescribeDetail s) {
    TableName name = ctx.tableName(s.table());
    ResolvedTable table = ResolvedTable.latest(ctx, table(ctx, name, "describe"));
    TableInfo info = table.info();
    DeltaSnapshot snapshot = table.snapshot();
    Map<String, String> properties = new TreeMap<>(ctx.deltaTables().properties(table.location()));
    long size = snapshot.files().stream().mapToLong(DataFile::size).sum();
    List<Object> row =
        Arrays.asList(
            "delta",
            name.toString(),
            info.comment().orElse(null),
            info.location().orElseThrow(),
            info.createdAt(),
            java.time.Instant.ofEpochMilli(snapshot.timestampMillis()),
            snapshot.partitionColumns().toString(),
            (long) snapshot.files().size(),
            size,
            properties.toString(),
            snapshot.version());
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), DETAIL, List.of(row)));
  }

  /** The table (not a view), which the caller must be able to see. */
  /**
   * A column that a row filter or column mask names (masked, or passed to the function) cannot be
   * renamed or dropped: the mask would no longer apply, or the table no longer read.
   */
  private static void refusePolicyColumns(
      StatementContext ctx, TableName name, List<String> columns, String action) {
    io.aquifer.catalog.TablePolicies policies = ctx.catalog().functions().policies(name);
    Set<String> used = new HashSet<>();
    policies.rowFilter().ifPresent(f -> used.addAll(f.columns()));
    for (io.aquifer.catalog.TablePolicies.ColumnMask m : policies.masks().values()) {
      used.add(m.column());
      used.addAll(m.usingColumns());
    }
    for (String column : columns) {
      if (used.contains(column.toLowerCase(Locale.ROOT))) {
        throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
            "cannot "
                + action
                + " column `"
                + column
                + "` of "
                + name
                + ": a row filter or column mask uses it; drop that first");
      }
    }
  }

  private static TableInfo table(StatementContext ctx, TableName name, String action) {
    TableInfo info = ResolvedTable.table(ctx, name, action);
    ctx.access().requireVisible(io.aquifer.catalog.Securable.table(name));
    return info;
  }

  private static Column column(DeltaSnapshot snapshot, String column, TableName table) {
    return snapshot.schema().column(column).orElseThrow(() -> unresolved(column, table));
  }

  private static RuntimeException unresolved(String column, TableName table) {
    return GatewayErrorCode.UNRESOLVED_COLUMN.exception(
        "column `" + column + "` does not exist in " + table);
  }
}
