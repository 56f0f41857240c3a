package io.aquifer.gateway.execution;

import io.aquifer.catalog.FunctionInfo;
import io.aquifer.catalog.Privilege;
import io.aquifer.catalog.Securable;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.catalog.TablePolicies;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.types.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SQL user-defined functions ({@code CREATE FUNCTION ... RETURN expr}, {@code DROP FUNCTION}) and
 * the row filters and column masks of tables that call them ({@code ALTER TABLE ... SET ROW
 * FILTER}, {@code ALTER COLUMN ... SET MASK}, and their DROP). The planner applies them to every
 * read.
 */
final class FunctionExecutor {
  private FunctionExecutor() {}

  static StatementResult create(StatementContext ctx, ParsedStatement.CreateFunction s) {
    TableName name = functionName(ctx, s.name());
    if (ctx.catalog().getSchema(name.catalog(), name.schema()).isEmpty()) {
      throw GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
          "schema " + name.catalog() + "." + name.schema() + " does not exist");
    }
    AccessControl access = ctx.access();
    Securable schema = Securable.schema(name.catalog(), name.schema());
    access.require(Securable.catalog(name.catalog()), Privilege.USE_CATALOG);
    access.require(schema, Privilege.USE_SCHEMA);
    access.require(schema, Privilege.CREATE_FUNCTION);
    Optional<FunctionInfo> existing = ctx.catalog().functions().get(name);
    if (existing.isPresent()) {
      if (s.ifNotExists()) {
        return new StatementResult.UpdateCount(0);
      }
      if (!s.orReplace()) {
        throw GatewayErrorCode.ROUTINE_ALREADY_EXISTS.exception(
            "cannot create function " + name + " because it already exists");
      }
      requireOwner(ctx, existing.get(), "replace function " + name);
    }
    checkBody(ctx, name, s);
    List<FunctionInfo.Parameter> parameters =
        s.parameters().stream()
            .map(p -> new FunctionInfo.Parameter(p.name().toLowerCase(Locale.ROOT), p.type()))
            .toList();
    ctx.catalog()
        .functions()
        .create(
            name,
            parameters,
            s.returnType(),
            s.body(),
            access.principal().name(),
            s.comment(),
            s.orReplace(),
            s.ifNotExists());
    return new StatementResult.UpdateCount(0);
  }

  /**
   * The body must plan with its parameters as typed columns (and, with RETURNS, cast to the return
   * type): a wrong name, type or call fails here, not at the first read of a table that uses it.
   */
  private static void checkBody(
      StatementContext ctx, TableName name, ParsedStatement.CreateFunction s) {
    StringBuilder sql = new StringBuilder("SELECT ");
    sql.append(
        s.returnType().isEmpty() ? s.body() : "CAST(" + s.body() + " AS " + s.returnType() + ")");
    sql.append(" AS `result` FROM (SELECT ");
    if (s.parameters().isEmpty()) {
      sql.append("1 AS `\u0001none`");
    }
    for (int i = 0; i < s.parameters().size(); i++) {
      ParsedStatement.FunctionParameter p = s.parameters().get(i);
      if (i > 0) {
        sql.append(", ");
      }
      sql.append("CAST(NULL AS ").append(p.type()).append(") AS `").append(p.name()).append('`');
    }
    sql.append(") AS `").append(name.table()).append('`');
    QueryPlanner planner = ctx.newPlanner();
    try {
      planner.validate(planner.parse(sql.toString()));
    } catch (io.aquifer.planner.PlannerException e) {
      throw new io.aquifer.planner.PlannerException(
          e.code(), "the body of function " + name + " is not valid: " + e.getMessage());
    }
  }

  static StatementResult drop(StatementContext ctx, ParsedStatement.DropFunction s) {
    TableName name = functionName(ctx, s.name());
    Optional<FunctionInfo> existing = ctx.catalog().functions().get(name);
    if (existing.isEmpty()) {
      if (s.ifExists()) {
        return new StatementResult.UpdateCount(0);
      }
      throw GatewayErrorCode.ROUTINE_NOT_FOUND.exception(
          "cannot drop function " + name + ": it does not exist");
    }
    requireOwner(ctx, existing.get(), "drop function " + name);
    ctx.catalog().functions().drop(name);
    return new StatementResult.UpdateCount(0);
  }

  /** {@code SET ROW FILTER} and {@code ALTER COLUMN ... SET MASK}. */
  static StatementResult set(StatementContext ctx, ParsedStatement.SetTablePolicy s) {
    TableName table = ctx.tableName(s.table());
    TableInfo info = securedTable(ctx, table);
    TableSchema schema = ResolvedTable.latest(ctx, info).snapshot().schema();
    TableName functionName = functionName(ctx, s.function());
    FunctionInfo function =
        ctx.catalog()
            .functions()
            .get(functionName)
            .orElseThrow(
                () ->
                    GatewayErrorCode.ROUTINE_NOT_FOUND.exception(
                        "function " + functionName + " does not exist"));
    ctx.access().requireExecute(functionName);
    List<String> arguments = new ArrayList<>();
    s.column().ifPresent(arguments::add);
    arguments.addAll(s.columns());
    for (String column : arguments) {
      if (schema.column(column).isEmpty()) {
        throw GatewayErrorCode.UNRESOLVED_COLUMN.exception(
            "column `" + column + "` does not exist in " + table);
      }
    }
    if (arguments.size() != function.parameters().size()) {
      throw GatewayErrorCode.WRONG_NUM_ARGS.exception(
          "function "
              + functionName
              + " takes "
              + function.parameters().size()
              + " argument(s) but the "
              + (s.column().isPresent() ? "mask of column " + s.column().get() : "row filter")
              + " of "
              + table
              + " passes "
              + arguments.size()
              + " column(s)");
    }
    TablePolicies before = ctx.catalog().functions().policies(table);
    if (s.column().isEmpty()) {
      ctx.catalog().functions().setRowFilter(table, functionName, s.columns());
    } else {
      ctx.catalog()
          .functions()
          .setColumnMask(
              table, s.column().get().toLowerCase(Locale.ROOT), functionName, s.columns());
    }
    try {
      // The policy must apply: a body that does not fit the columns' types fails now.
      QueryPlanner planner = ctx.newPlanner();
      planner.plan(
          planner.parse(
              "SELECT * FROM `"
                  + table.catalog()
                  + "`.`"
                  + table.schema()
                  + "`.`"
                  + table.table()
                  + "`"));
    } catch (RuntimeException e) {
      restore(ctx, table, s.column(), before);
      throw e;
    }
    return new StatementResult.UpdateCount(0);
  }

  /** {@code DROP ROW FILTER} and {@code ALTER COLUMN ... DROP MASK}; no-op if there is none. */
  static StatementResult drop(StatementContext ctx, ParsedStatement.DropTablePolicy s) {
    TableName table = ctx.tableName(s.table());
    securedTable(ctx, table);
    if (s.column().isEmpty()) {
      ctx.catalog().functions().dropRowFilter(table);
    } else {
      ctx.catalog().functions().dropColumnMask(table, s.column().get().toLowerCase(Locale.ROOT));
    }
    return new StatementResult.UpdateCount(0);
  }

  private static void restore(
      StatementContext ctx, TableName table, Optional<String> column, TablePolicies before) {
    if (column.isEmpty()) {
      if (before.rowFilter().isPresent()) {
        ctx.catalog()
            .functions()
            .setRowFilter(
                table, before.rowFilter().get().function(), before.rowFilter().get().columns());
      } else {
        ctx.catalog().functions().dropRowFilter(table);
      }
      return;
    }
    String c = column.get().toLowerCase(Locale.ROOT);
    TablePolicies.ColumnMask mask = before.masks().get(c);
    if (mask != null) {
      ctx.catalog().functions().setColumnMask(table, c, mask.function(), mask.usingColumns());
    } else {
      ctx.catalog().functions().dropColumnMask(table, c);
    }
  }

  /** A table (not a view) whose filters and masks the caller may change: owner, MANAGE, admin. */
  private static TableInfo securedTable(StatementContext ctx, TableName table) {
    TableInfo info = ResolvedTable.tableOrView(ctx, table);
    ctx.access().requireVisible(Securable.table(table));
    if (info.kind() == TableKind.VIEW) {
      throw GatewayErrorCode.EXPECT_TABLE_NOT_VIEW.exception(
          table + " is a view; row filters and column masks apply to tables");
    }
    OwnershipRules.requireManage(
        ctx, Securable.table(table), "set or drop row filters and column masks of " + table);
    return info;
  }

  /**
   * The function's owner, the owner of its schema or catalog, a principal with MANAGE on it, or an
   * admin.
   */
  private static void requireOwner(StatementContext ctx, FunctionInfo function, String operation) {
    ctx.access().requireManage(Securable.function(function.name()), operation);
  }

  static TableName functionName(StatementContext ctx, List<String> parts) {
    return switch (parts.size()) {
      case 1 ->
          new TableName(
              ctx.session().currentCatalog(), ctx.session().currentSchema(), parts.get(0));
      case 2 -> new TableName(ctx.session().currentCatalog(), parts.get(0), parts.get(1));
      case 3 -> new TableName(parts.get(0), parts.get(1), parts.get(2));
      default ->
          throw GatewayErrorCode.INVALID_IDENTIFIER.exception(
              "function names have at most three parts (catalog.schema.function): "
                  + String.join(".", parts));
    };
  }
}
