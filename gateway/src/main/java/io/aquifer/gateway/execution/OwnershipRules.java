package io.aquifer.gateway.execution;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;

/**
 * Who may create and drop: catalogs are created and dropped by admins only (Aquifer has no
 * metastore securable to grant CREATE CATALOG on); a schema, table or view is changed or dropped by
 * its owner, a principal with MANAGE on it, or an admin. Anything else fails with PERMISSION_DENIED
 * (SQLSTATE 42501). Privileges themselves are decided by {@link AccessControl}.
 */
final class OwnershipRules {
  private OwnershipRules() {}

  static void requireAdmin(StatementContext ctx, String operation) {
    Principal principal = ctx.session().principal();
    if (!principal.admin()) {
      throw denied(principal.name() + " may not " + operation + ": only admins may");
    }
  }

  /**
   * Changing, dropping or granting on an object: its owner (or the owner of what holds it), a
   * principal with MANAGE on it, or an admin (see {@link AccessControl#requireManage}).
   *
   * @param operation what is done, e.g. {@code "drop table main.s.t"}
   */
  static void requireManage(
      StatementContext ctx, io.aquifer.catalog.Securable securable, String operation) {
    ctx.access().requireManage(securable, operation);
  }

  private static GatewayException denied(String message) {
    return GatewayErrorCode.PERMISSION_DENIED.exception(message);
  }
}
