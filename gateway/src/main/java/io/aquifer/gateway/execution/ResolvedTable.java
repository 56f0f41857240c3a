package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.storage.delta.DeltaSnapshot;
import java.net.URI;

/**
 * A table a statement names, as the catalog has it, with its location and the latest snapshot of
 * its Delta log: what DDL, SHOW CREATE TABLE and ALTER TABLE read before they act.
 *
 * @param info the catalog's entry
 * @param location where its Delta log is
 * @param snapshot the latest version of its Delta log
 */
record ResolvedTable(TableInfo info, URI location, DeltaSnapshot snapshot) {
  ResolvedTable {
    requireNonNull(info, "info");
    requireNonNull(location, "location");
    requireNonNull(snapshot, "snapshot");
  }

  /** The table or view, or TABLE_OR_VIEW_NOT_FOUND. */
  static TableInfo tableOrView(StatementContext ctx, TableName name) {
    return ctx.catalog()
        .getTable(name)
        .orElseThrow(
            () ->
                GatewayErrorCode.TABLE_OR_VIEW_NOT_FOUND.exception(
                    "table or view " + name + " does not exist"));
  }

  /**
   * The table, or TABLE_OR_VIEW_NOT_FOUND; a view fails with EXPECT_TABLE_NOT_VIEW.
   *
   * @param action what the statement does to it, for the message ("alter", "truncate", ...)
   */
  static TableInfo table(StatementContext ctx, TableName name, String action) {
    TableInfo info =
        ctx.catalog()
            .getTable(name)
            .orElseThrow(
                () ->
                    GatewayErrorCode.TABLE_OR_VIEW_NOT_FOUND.exception(
                        "table " + name + " does not exist"));
    if (info.kind() == TableKind.VIEW) {
      throw GatewayErrorCode.EXPECT_TABLE_NOT_VIEW.exception(
          name + " is a view; cannot " + action + " a view with this statement");
    }
    return info;
  }

  /** A table (not a view) with the latest snapshot of its Delta log. */
  static ResolvedTable latest(StatementContext ctx, TableInfo table) {
    URI location = URI.create(table.location().orElseThrow());
    return new ResolvedTable(table, location, ctx.deltaTables().latest(location));
  }
}
