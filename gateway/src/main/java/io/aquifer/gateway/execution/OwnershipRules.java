package io.aquifer.gateway.execution;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import java.util.Locale;

/**
 * Who may do what, until grants exist: admins may do everything; catalogs are created and dropped
 * by admins only; a schema, table or view is dropped by its owner (recorded in the catalog when it
 * was created) or an admin. Anything else fails with PERMISSION_DENIED (SQLSTATE 42501).
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
   * @param owner the object's owner as recorded in the catalog
   * @param object what is acted on, e.g. {@code "drop table main.s.t"}
   */
  static void requireOwnerOrAdmin(StatementContext ctx, String owner, String object) {
    Principal principal = ctx.session().principal();
    if (principal.admin() || principal.name().toLowerCase(Locale.ROOT).equals(owner)) {
      return;
    }
    throw denied(
        principal.name()
            + " may not "
            + object
            + ": it is owned by "
            + owner
            + "; only its owner or an admin may");
  }

  private static GatewayException denied(String message) {
    return GatewayErrorCode.PERMISSION_DENIED.exception(message);
  }
}
